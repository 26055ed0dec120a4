// The image service Astro loads (`image.service.entrypoint`). ImageBoss sources are signed
// here and never reach Astro's image pipeline; every other image goes to Astro's sharp service.
import type { ImageTransform, LocalImageService } from 'astro'
import sharpService from 'astro/assets/services/sharp'
import { AstroError } from 'astro/errors'
import { ImageBossError, PREFIX } from '../core/errors.js'
import { createImageBoss, type ImageBoss, type ResolvedImage } from '../core/imageboss.js'
import { parseReference, SCHEME } from '../core/reference.js'
import { layoutSizes, layoutWidths, mergeSize, srcsetSizes, type ImageSize } from './image-size.js'
import { privateOptions, type ImageBossServiceConfig } from './service.js'
import { definedInstance, getSharedState } from './shared.js'

type ImageConfig = Parameters<LocalImageService<ImageBossServiceConfig>['getURL']>[1]
type SrcSetValue = Awaited<ReturnType<NonNullable<LocalImageService['getSrcSet']>>>[number]
type RemoteSize = (url: string, imageConfig: unknown, ...rest: unknown[]) => unknown

/** Astro's quality presets, as its sharp service reads them. */
const QUALITY_PRESETS: Readonly<Record<string, number>> = { low: 25, mid: 50, high: 80, max: 100 }

/**
 * Astro's `fit` (CSS `object-fit` names and sharp's) as an ImageBoss cover mode; `undefined`
 * is plain `cover` (ImageBoss's smart crop). Applies only when the reference sets no `mode`.
 * `fill` (stretching) has no ImageBoss counterpart and crops like `cover`.
 */
const FIT_MODES: Readonly<Record<string, string | undefined>> = {
  cover: undefined,
  fill: undefined,
  outside: undefined,
  contain: 'contain',
  inside: 'inside',
  'scale-down': 'inside'
}

/** A path of a JPEG image, as `<Picture>` tells a local one's format. */
const JPEG_PATH_RE = /\.jpe?g$/i

/** Parameters the service writes itself; the reference's own values for them are replaced. */
const SIZE_KEYS = new Set(['w', 'width', 'h', 'height', 'op'])

const instances = new Map<string, ImageBoss>()

/** The placeholder `style` of each signed URL whose reference asks for one (`placeholder`), for `getHTMLAttributes`. */
const placeholderStyles = new Map<string, string>()
/** A site has as many as it has images; past this, the oldest go (a long dev session). */
const MAX_PLACEHOLDERS = 10_000
/** The reference's keys that shape the element, not the URL. */
const ELEMENT_KEYS: ReadonlySet<string> = new Set(['placeholder'])
const sharp = sharpService as LocalImageService & { getRemoteSize?: RemoteSize }

const service: LocalImageService<ImageBossServiceConfig> & { getRemoteSize?: RemoteSize } = {
  propertiesToHash: sharp.propertiesToHash ?? ['src', 'width', 'height', 'format', 'quality', 'fit', 'position', 'background'],

  validateOptions(options, imageConfig, ...rest: unknown[]) {
    const found = findReference(options.src, imageConfig)
    if (!found) return callSharp('validateOptions', options, imageConfig, rest) as ImageTransform
    return validateImageBoss(options, found.reference, found.imageboss, imageConfig)
  },

  getURL(options, imageConfig, ...rest: unknown[]) {
    const found = findReference(options.src, imageConfig)
    if (!found) return callSharp('getURL', options, imageConfig, rest) as string
    return transformUrl(found.imageboss, found.reference, options, options.src as string)
  },

  getSrcSet(options, imageConfig, ...rest: unknown[]) {
    const found = findReference(options.src, imageConfig)
    if (!found) return callSharp('getSrcSet', options, imageConfig, rest) as SrcSetValue[]
    return srcSetOf(options)
  },

  getHTMLAttributes(options, imageConfig, ...rest: unknown[]) {
    // Astro's own attributes (`width`, `height`, `loading`, `decoding`, the author's others)
    // fit ImageBoss sources too: after `validateOptions` their `width` and `height` are set.
    const attributes = callSharp('getHTMLAttributes', options, imageConfig, rest) as Record<string, unknown>
    // A `placeholder` of the reference, behind the image at the size Astro asked for; the author's `style` wins.
    const style = typeof options.src === 'string' ? placeholderStyles.get(options.src) : undefined
    if (style !== undefined && attributes.style === undefined) attributes.style = style
    return attributes
  },

  parseURL(url, imageConfig) {
    return sharp.parseURL(url, imageConfig)
  },

  transform(inputBuffer, transform, imageConfig) {
    return sharp.transform(inputBuffer, transform, imageConfig)
  }
}

// Astro 6+ asks a service for the size of a remote image (`inferSize`, and to pick an output
// format for remote images it downloads). An ImageBoss image is never downloaded.
if (sharp.getRemoteSize) {
  const getRemoteSize = sharp.getRemoteSize
  service.getRemoteSize = (url, imageConfig, ...rest) => {
    if (findReference(url, imageConfig as ImageConfig)) {
      throw new AstroError(
        `Unexpected \`inferSize\` on the ImageBoss image \`${url}\`, expected \`width\` and \`height\` (or \`w\` and \`h\` in the reference): ImageBoss images are never downloaded at build time`
      )
    }
    return getRemoteSize.call(sharp, url, imageConfig, ...rest)
  }
}

export default service

function callSharp(
  method: 'validateOptions' | 'getURL' | 'getSrcSet' | 'getHTMLAttributes',
  options: ImageTransform,
  imageConfig: ImageConfig,
  rest: unknown[]
): unknown {
  const fn = sharp[method] as ((...args: unknown[]) => unknown) | undefined
  if (method === 'getSrcSet' && fn === undefined) return []
  if (method === 'getHTMLAttributes' && fn === undefined) return {}
  if (method === 'validateOptions' && fn === undefined) return options
  return (fn as (...args: unknown[]) => unknown).call(sharp, options, imageConfig, ...rest)
}

/** The integration's resolver for this build: by the key in the service's config, else the bundled one. */
function sharedOrNull(imageConfig: ImageConfig): ImageBoss | undefined {
  const config: ImageBossServiceConfig = imageConfig.service.config ?? {}
  return getSharedState(config.instance ?? definedInstance())?.imageboss
}

/** The resolver: the integration's when it set one (build, dev), else one from `config` and `process.env`. */
function imagebossFor(imageConfig: ImageConfig): ImageBoss {
  const shared = sharedOrNull(imageConfig)
  if (shared) return shared
  const config: ImageBossServiceConfig = imageConfig.service.config ?? {}
  const key = JSON.stringify(config)
  let instance = instances.get(key)
  if (instance === undefined) {
    const given = privateOptions(config.privateOptions)
    const options = { ...config }
    delete options.privateOptions
    // The options as the service was given them (no config file), and the server's variables.
    instance = withAstroErrors(undefined, () => createImageBoss(given ?? options))
    instances.set(key, instance)
  }
  return instance
}

/** The reference behind an image source: an `imageboss:` reference, or a URL made from one. */
function findReference(src: unknown, imageConfig: ImageConfig): { reference: string; imageboss: ImageBoss } | undefined {
  if (typeof src !== 'string') return undefined
  if (src.startsWith(SCHEME)) return { reference: src, imageboss: imagebossFor(imageConfig) }
  if (!/^https?:\/\//i.test(src)) return undefined
  const imageboss = imagebossFor(imageConfig)
  const reference = imageboss.referenceOf(src)
  return reference === undefined ? undefined : { reference, imageboss }
}

function validateImageBoss(options: ImageTransform, reference: string, imageboss: ImageBoss, imageConfig: ImageConfig): ImageTransform {
  const src = options.src as string
  const props: ImageSize = { width: toSize(options.width), height: toSize(options.height) }
  // With both props the reference's size is not needed, nor need the reference be complete
  // on its own (`?mode=face` takes the size the props bring).
  const own = props.width && props.height ? {} : withAstroErrors(src, () => referenceSize(imageboss, reference))
  const { width, height } = mergeSize(props, own)
  if (!width && !height) {
    throw new AstroError(
      `Missing width and height for the ImageBoss image \`${src}\`, expected \`width\` or \`height\` props, or \`w\` or \`h\` in the reference`,
      'Astro needs the size of a remote image to reserve its space; ImageBoss images are never downloaded to find it.'
    )
  }

  checkDescriptors(options, src, width)
  const validated: ImageTransform = { ...options }
  if (width) validated.width = width
  else delete validated.width
  if (height) validated.height = height
  else delete validated.height

  // The `layout` widths and `sizes` come from the `width` prop, before this service runs; a
  // width taken from the reference needs them computed here, by Astro's rules.
  const layout = typeof options.layout === 'string' ? options.layout : 'none'
  if (layout !== 'none' && !props.width) {
    if (width && (!options.widths || options.widths.length === 0)) validated.widths = layoutWidths(width, layout, imageConfig.breakpoints)
    const sizes = layoutSizes(width, layout)
    if (sizes !== undefined) validated.sizes ??= sizes
  }
  delete validated.layout
  if (validated.fit === 'none') delete validated.fit
  if (validated.format === undefined) delete validated.format
  if (isDefaultFallback(options, reference)) validated.format = 'jpg'
  if (validated.quality === undefined) delete validated.quality

  validated.src = transformUrl(imageboss, reference, validated, src)
  return validated
}

/**
 * Whether Astro asks for the fallback `<img>` of a `<Picture>` of a JPEG reference in its
 * default format. `<Picture>` falls back to `png` unless given `fallbackFormat`, but to the
 * image's own format for a local JPEG, GIF or SVG, whose format it can see: an ImageBoss
 * reference is a photo it cannot see, so a JPEG one keeps its family (`format:jpg`), as a
 * local one would. A `<Picture>` call is told by the `widths` and `densities` keys it always
 * passes; a reference with its own `format` keeps Astro's.
 */
function isDefaultFallback(options: ImageTransform, reference: string): boolean {
  if (options.format !== 'png' || !('widths' in options && 'densities' in options)) return false
  const query = reference.indexOf('?')
  if (!JPEG_PATH_RE.test(query === -1 ? reference : reference.slice(0, query))) return false
  return !parseReference(reference).parameters.some((p) => p.key === 'format')
}

/**
 * `widths` (given, or made by `layout="full-width"`) need the image's width: a `w` candidate
 * of an image sized by its height alone would be another operation than `src`, so the
 * `<img>` would mix two ways of sizing one picture. (`densities` win over `widths`, as in Astro.)
 */
function checkDescriptors(options: ImageTransform, src: string, width: number | undefined): void {
  if (width || !options.widths || options.widths.length === 0 || (options.densities && options.densities.length > 0)) return
  const layout = typeof options.layout === 'string' && options.layout !== 'none' ? ` (from \`layout="${options.layout}"\`)` : ''
  throw new AstroError(
    `Unexpected \`widths\`${layout} for the ImageBoss image \`${src}\` sized by its height alone, expected a \`width\` prop or \`w\` in the reference, or \`densities\``,
    'Every `srcset` candidate is the same crop as `src`: a `w` descriptor needs each candidate to have a width.'
  )
}

/**
 * The reference's own `w`/`h` (its preset's included). A reference complete only with a side
 * the props bring (`?w=400&mode=face` and `height={300}`) is read without its `op` and `mode`.
 */
function referenceSize(imageboss: ImageBoss, written: string): ImageSize {
  const reference = withoutKeys(written, ELEMENT_KEYS)
  let resolved: ResolvedImage
  try {
    resolved = imageboss.resolve(reference)
  } catch (error) {
    if (!(error instanceof ImageBossError) || error.ruleId !== 'conflicting-parameters') throw error
    try {
      resolved = imageboss.resolve(withoutKeys(reference, new Set(['op', 'mode'])))
    } catch {
      throw error
    }
  }
  return { width: resolved.width, height: resolved.height }
}

/** The signed URL of `reference` with the size, format and quality Astro asks for. */
function transformUrl(imageboss: ImageBoss, reference: string, transform: ImageTransform, src: string): string {
  return withAstroErrors(src, () => {
    const withTransform = transformReference(reference, transform, imageboss)
    const plain = withoutKeys(withTransform, ELEMENT_KEYS)
    const url = imageboss.url(plain)
    if (plain !== withTransform) {
      // The placeholder of the image at this size: its `style`, from the core, for the element.
      const style = imageboss.image(withTransform).style
      if (style !== undefined) {
        if (placeholderStyles.size >= MAX_PLACEHOLDERS) placeholderStyles.delete(placeholderStyles.keys().next().value as string)
        placeholderStyles.set(url, style)
      }
    }
    return url
  })
}

/**
 * `reference` with Astro's transform written into it: `w`/`h`/`op` always (the author's
 * props win over the reference's own), `format` and `quality` when Astro passes them, and a
 * cover `mode` from `fit` when the reference has none. Other parameters stay as written.
 */
function transformReference(reference: string, transform: ImageTransform, imageboss: ImageBoss): string {
  const parsed = parseReference(reference)
  const width = toSize(transform.width)
  const height = toSize(transform.height)
  const operation = width && height ? 'cover' : width ? 'width' : height ? 'height' : undefined
  const format = typeof transform.format === 'string' ? transform.format : undefined
  const quality = qualityOf(transform.quality)

  const replaced = new Set(operation ? SIZE_KEYS : [])
  if (operation !== undefined && operation !== 'cover') replaced.add('mode')
  if (format !== undefined) replaced.add('format')
  if (quality !== undefined) replaced.add('quality')

  const added: string[] = []
  if (width) added.push('w=' + width)
  if (height) added.push('h=' + height)
  if (operation) added.push('op=' + operation)
  if (format !== undefined) added.push('format=' + encodeURIComponent(format))
  if (quality !== undefined) added.push('quality=' + encodeURIComponent(quality))
  const result = withoutKeys(reference, replaced, added)
  const mode = operation === 'cover' && typeof transform.fit === 'string' ? FIT_MODES[transform.fit] : undefined
  // The reference's own `mode` (or its preset's) wins over `fit`.
  if (mode === undefined || parsed.parameters.some((p) => p.key === 'mode') || imageboss.resolve(withoutKeys(result, ELEMENT_KEYS)).mode !== undefined)
    return result
  return result + (result.includes('?') ? '&' : '?') + 'mode=' + mode
}

/** `reference` without the parameters named in `keys`, with the `added` pairs at its end. */
function withoutKeys(reference: string, keys: ReadonlySet<string>, added: readonly string[] = []): string {
  const { parameters } = parseReference(reference)
  const query = reference.indexOf('?')
  const pairs =
    query === -1
      ? []
      : reference
          .slice(query + 1)
          .split('&')
          .filter((pair) => pair !== '')
  // `parseReference` skips empty pairs the same way, so `pairs[i]` is `parameters[i]`.
  const kept = [...pairs.filter((_, index) => !keys.has(parameters[index]?.key ?? '')), ...added]
  const path = query === -1 ? reference : reference.slice(0, query)
  return kept.length > 0 ? path + '?' + kept.join('&') : path
}

/** `srcset` candidates by Astro's rules, each with the crop of the image itself (see `srcsetSizes`). */
function srcSetOf(options: ImageTransform): SrcSetValue[] {
  const size: ImageSize = { width: toSize(options.width), height: toSize(options.height) }
  const rest: ImageTransform = { ...options }
  delete rest.width
  delete rest.height
  const format = typeof options.format === 'string' ? options.format : undefined
  const attributes: Record<string, string> = format && format !== 'auto' ? { type: mimeType(format) } : {}
  return srcsetSizes(size, options.widths, options.densities).map(({ descriptor, ...sized }) => ({ transform: { ...rest, ...sized }, descriptor, attributes }))
}

function toSize(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number.parseInt(value, 10) : typeof value === 'number' ? value : Number.NaN
  return Number.isFinite(n) && n > 0 ? Math.round(n) : undefined
}

/** Astro's `quality`: a number, a numeric string, or a preset (`low`, `mid`, `high`, `max`). */
function qualityOf(value: unknown): string | undefined {
  if (typeof value === 'number') return String(Math.round(value))
  if (typeof value !== 'string' || value === '') return undefined
  const preset = QUALITY_PRESETS[value]
  return preset === undefined ? value : String(preset)
}

function mimeType(format: string): string {
  return format === 'jpg' ? 'image/jpeg' : `image/${format}`
}

/** Run `fn`, turning an `ImageBossError` into an Astro error that names the rule and the image. */
function withAstroErrors<T>(src: string | undefined, fn: () => T): T {
  try {
    return fn()
  } catch (error) {
    if (!(error instanceof ImageBossError)) throw error
    const where = src === undefined ? '' : ` in the image \`${src}\``
    const astroError = new AstroError(`${PREFIX} ${error.ruleId}: ${error.reason}${where}`, `See ${error.url}`)
    astroError.cause = error
    throw astroError
  }
}
