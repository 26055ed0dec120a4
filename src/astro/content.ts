import { z, type ZodType } from 'astro/zod'
import { ImageBossError, PREFIX } from '../core/errors.js'
import type { ImageAttributes, ImageBoss } from '../core/imageboss.js'
import { SCHEME } from '../core/reference.js'
import { definedInstance, getSharedState } from './shared.js'

export type { ImageAttributes }

/** Options of {@link imagebossImage}. */
export interface ImagebossImageOptions {
  /**
   * Give the `<img>` attributes of the reference (`{ src, width?, height?, srcset?, sizes? }`,
   * as the core's `image()` makes them) rather than its URL alone.
   */
  attributes?: boolean | undefined
  /**
   * Also accept the `http:` or `https:` URL of an image hosted elsewhere, as written (`{ src }`
   * with `attributes`). Any other value that is not an `imageboss:` reference is an issue.
   */
  otherUrls?: boolean | undefined
}

const OTHER_URL_RE = /^https?:\/\//i

/**
 * A content-collection schema for an `imageboss:` reference in an entry's data (front matter,
 * a data file): the value comes out signed, with the integration's resolver (its `.env`, its
 * source and secret, production in `astro build`), as the collection loads.
 *
 * ```ts
 * // src/content.config.ts
 * import { imagebossImage } from 'imageboss-build/astro/content'
 * schema: z.object({ title: z.string(), cover: imagebossImage() })
 * ```
 *
 * An invalid reference, or a value that is not a reference (but an `http(s):` URL with
 * `otherUrls`), is an issue of the entry, which Astro reports with the entry's file. Uses the
 * site's zod (`astro/zod`), so it composes with the rest of the schema (`.optional()`, `.array()`).
 */
export function imagebossImage(options: ImagebossImageOptions & { attributes: true }): ZodType<ImageAttributes>
export function imagebossImage(options?: ImagebossImageOptions & { attributes?: false | undefined }): ZodType<string>
export function imagebossImage(options?: ImagebossImageOptions): ZodType<string> | ZodType<ImageAttributes>
export function imagebossImage(options: ImagebossImageOptions = {}): ZodType<string> | ZodType<ImageAttributes> {
  const attributes = options.attributes === true
  const otherUrls = options.otherUrls === true
  return z.string().transform((value, context) => {
    const issue = (message: string) => {
      context.addIssue({ code: 'custom', message: `${PREFIX} ${message}` })
      return z.NEVER
    }
    if (!value.startsWith(SCHEME)) {
      if (otherUrls && OTHER_URL_RE.test(value)) return attributes ? { src: value } : value
      return issue(
        `invalid-reference: Unexpected value \`${clip(value)}\`, expected an \`imageboss:\` reference (\`imageboss:/photos/cat.jpg?w=800\`)${otherUrls ? ' or an `http:` or `https:` URL' : '; a field that may also hold the URL of an image hosted elsewhere is written `imagebossImage({ otherUrls: true })`'}`
      )
    }
    const imageboss = sharedResolver()
    if (!imageboss) {
      return issue(
        'Missing the `imageboss()` integration of `imageboss-build/astro` in the site’s `integrations`, expected it: it signs the references `imagebossImage()` reads'
      )
    }
    try {
      // A copy: the resolver memoises its results, which the content store and pages must not share.
      return attributes ? { ...imageboss.image(value) } : imageboss.url(value)
    } catch (error) {
      const problem = imagebossError(error)
      if (!problem) throw error
      return issue(`${problem.ruleId}: ${problem.reason} in \`${clip(value)}\``)
    }
  }) as ZodType<string> | ZodType<ImageAttributes>
}

/** The integration's resolver for this build or dev server, found as the runtime helper finds it. */
function sharedResolver(): ImageBoss | undefined {
  return getSharedState(definedInstance())?.imageboss
}

/**
 * `error` as an `ImageBossError`, also when the resolver's copy of the class is another than
 * this module's (the integration is loaded by Node, the content config by Vite).
 */
function imagebossError(error: unknown): Pick<ImageBossError, 'ruleId' | 'reason'> | undefined {
  if (error instanceof ImageBossError) return error
  if (!(error instanceof Error) || error.name !== 'ImageBossError') return undefined
  const { ruleId, reason } = error as Partial<ImageBossError>
  return typeof ruleId === 'string' && typeof reason === 'string' ? { ruleId, reason } : undefined
}

/** A value as a message shows it: one line, cut short. */
function clip(value: string): string {
  const line = value.replace(/[\r\n]+/g, ' ')
  return line.length > 80 ? line.slice(0, 77) + '…' : line
}
