import { ImageBossError } from './errors.js'
import { imageAttributes, type ImageAttributes } from './image-attributes.js'
import { checkOptions, type CheckedOptions, type ImageBossOptions } from './options.js'
import { explainPlan, type Plan } from './plan.js'
import { createReader, readPlan, readUrl, type Reader } from './reader.js'
import type { ResponsiveKey } from './responsive.js'
import type { SourceState } from './sources.js'
import { writeUrl, type ResolvedImage } from './url.js'

export type { ImageAttributes } from './image-attributes.js'
export { checkOptionNames } from './options.js'
export type { ImageBossOptions, SettingValue, SourceOptions, TransformSettings } from './options.js'
export { secretVariable } from './sources.js'
export type { ResolvedImage } from './url.js'

export interface ImageBoss {
  /** The URL of a reference. Throws `ImageBossError` for an invalid one. */
  url(reference: string): string
  /** Everything known about a reference. Throws `ImageBossError` for an invalid one. */
  resolve(reference: string): ResolvedImage
  /**
   * The attributes of an `<img>` for a reference: `src`, and with the responsive keys
   * (`srcset`, `densities`, `sizes`, `priority`) or the `responsive` option, `srcset`,
   * `sizes`, `width`/`height` and loading hints. Throws `ImageBossError`.
   */
  image(reference: string): ImageAttributes
  /**
   * The reference that a URL made by this instance came from, or `undefined`. Lets a later
   * stage (such as an image service) work from the reference when an earlier one already
   * turned it into a URL.
   */
  referenceOf(url: string): string | undefined
  /** Whether this instance treats a missing secret as an error. */
  readonly production: boolean
}

/** The state of one instance: its options, and everything it memoises. */
interface Instance {
  readonly checked: CheckedOptions
  readonly sourceStates: Map<string, SourceState>
  readonly plans: Map<string, Plan | ImageBossError>
  /** `url()`'s memo: reference → URL, strings only (a result object per reference kept for the whole build weighs on every garbage collection). */
  readonly urls: Map<string, string>
  readonly reader: Reader
  readonly cache: Map<string, ResolvedImage | ImageBossError>
  readonly images: Map<string, ImageAttributes | ImageBossError>
  readonly references: Map<string, string>
  // `url, reference, memo size` of `resolve` and `image` not yet in `references`: most builds never
  // ask `referenceOf`, so the reverse index is only built (in order: the first reference of a
  // URL wins) when asked. `url()`'s own pairs are read from its memo, with an iterator that
  // is never run to its end, so it goes on to the entries added after it was made.
  readonly unindexed: (string | number)[]
  readonly memoEntries: Iterator<[string, string]>
  memoIndexed: number
}

/**
 * Create a resolver for `imageboss:` references.
 *
 * @throws {ImageBossError} `invalid-option` or `exposed-secret` for bad settings.
 */
export function createImageBoss(options: ImageBossOptions = {}): ImageBoss {
  return createResolver(options, true)
}

/**
 * {@link createImageBoss} for an entry point: `secretOption: false` where the user gives no
 * options in code (the CLI, whose config file holds no secret), so that a `missing-secret`
 * message names the variables only.
 */
export function createResolver(options: ImageBossOptions, secretOption: boolean): ImageBoss {
  const checked = checkOptions(options, secretOption)
  const sourceStates = new Map<string, SourceState>()
  const urls = new Map<string, string>()
  const instance: Instance = {
    checked,
    sourceStates,
    urls,
    reader: createReader(checked, sourceStates),
    plans: new Map(),
    cache: new Map(),
    images: new Map(),
    references: new Map(),
    unindexed: [],
    memoEntries: urls.entries(),
    memoIndexed: 0
  }
  // Methods that need no `this`, so that they can be passed around on their own
  // (`references.map(boss.url)`); the work is done by module-level functions.
  return {
    production: checked.production,
    url(reference) {
      return url(instance, reference)
    },
    resolve(reference) {
      return resolve(instance, reference)
    },
    image(reference) {
      return image(instance, reference)
    },
    referenceOf(url) {
      return referenceOf(instance, url)
    }
  }
}

function url(instance: Instance, reference: string): string {
  let made = instance.urls.get(reference)
  if (made === undefined) {
    // One parse for every valid reference; a rejected one goes to the explain pass, for its error.
    made = readUrl(instance.reader, reference)
    if (made === undefined) rejected(instance, reference)
    instance.urls.set(reference, made)
  }
  return made
}

function resolve(instance: Instance, reference: string): ResolvedImage {
  let result = instance.cache.get(reference)
  if (result === undefined) {
    result = attempt(resolveUncached, instance, reference)
    instance.cache.set(reference, result)
    if (!(result instanceof ImageBossError)) instance.unindexed.push(result.url, reference, instance.urls.size)
  }
  if (result instanceof ImageBossError) throw result
  return result
}

function resolveUncached(instance: Instance, reference: string): ResolvedImage {
  // Not through `plan()`: a URL is memoised in `cache` already, and keeping its plan
  // too would only add to what the garbage collector walks in a large build.
  const planned = instance.plans.get(reference) ?? readPlan(instance.reader, reference)
  if (planned instanceof ImageBossError) throw planned
  throwResponsive(planned)
  return writeUrl(instance.checked.baseUrl, planned, planned)
}

/** A responsive key is an error where no image element is written. */
function throwResponsive(planned: Plan): void {
  for (const key in planned.responsiveOffsets) {
    throw new ImageBossError(
      'misplaced-parameter',
      `Unexpected \`${key}\` where no image element is written (a CSS \`url()\`, a string, a \`meta\` tag), expected it only on \`<img>\` or \`<source>\``,
      { offset: planned.responsiveOffsets[key as ResponsiveKey] as number, reference: planned.reference }
    )
  }
}

/**
 * Throw the error of a reference that `readUrl` rejected, found by the explain pass (and
 * memoised with the results of `resolve`). The explain pass accepting it would be a bug of
 * the parser: said as such, never answered with a URL of the other pass.
 */
function rejected(instance: Instance, reference: string): never {
  const known = instance.cache.get(reference)
  if (known instanceof ImageBossError) throw known
  const error = attempt(explainUrl, instance, reference)
  if (!(error instanceof ImageBossError)) {
    throw new Error(`imageboss-build: the reference parser rejected \`${reference}\`, which the explain pass accepts; please report this`)
  }
  instance.cache.set(reference, error)
  throw error
}

function explainUrl(instance: Instance, reference: string): Plan {
  const planned = explainPlan(instance.checked, instance.sourceStates, reference)
  throwResponsive(planned)
  return planned
}

function image(instance: Instance, reference: string): ImageAttributes {
  let result = instance.images.get(reference)
  if (result === undefined) {
    result = attempt(imageUncached, instance, reference)
    instance.images.set(reference, result)
    if (!(result instanceof ImageBossError)) instance.unindexed.push(result.src, reference, instance.urls.size)
  }
  if (result instanceof ImageBossError) throw result
  return result
}

function imageUncached(instance: Instance, reference: string): ImageAttributes {
  return imageAttributes(instance.checked, plan(instance, reference))
}

function plan(instance: Instance, reference: string): Plan {
  let result = instance.plans.get(reference)
  if (result === undefined) {
    result = attempt(makePlanOf, instance, reference)
    instance.plans.set(reference, result)
  }
  if (result instanceof ImageBossError) throw result
  return result
}

function makePlanOf(instance: Instance, reference: string): Plan {
  return readPlan(instance.reader, reference)
}

function referenceOf(instance: Instance, url: string): string | undefined {
  const { references, unindexed, urls, memoEntries } = instance
  // The pairs in the order they were made, so that the first reference of a URL wins: the
  // memo's up to the size it had when a pair of `resolve` or `image` was made, then that pair.
  const indexMemo = (to: number) => {
    for (; instance.memoIndexed < to; instance.memoIndexed++) {
      const [reference, made] = memoEntries.next().value as [string, string]
      if (!references.has(made)) references.set(made, reference)
    }
  }
  for (let index = 0; index < unindexed.length; index += 3) {
    indexMemo(unindexed[index + 2] as number)
    const made = unindexed[index] as string
    if (!references.has(made)) references.set(made, unindexed[index + 1] as string)
  }
  unindexed.length = 0
  indexMemo(urls.size)
  return references.get(url)
}

/** The result of `run`, or the `ImageBossError` it threw (memoised like a result). */
function attempt<T>(run: (instance: Instance, reference: string) => T, instance: Instance, reference: string): T | ImageBossError {
  try {
    return run(instance, reference)
  } catch (error) {
    if (!(error instanceof ImageBossError)) throw error
    return error
  }
}
