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
   * (`srcset`, `densities`, `sizes`, `priority`, `placeholder`) or the `responsive` and
   * `dimensions` options, `srcset`, `sizes`, `width`/`height`, loading hints and a
   * placeholder's `style`. Throws `ImageBossError`.
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

/**
 * How many entries a generation of an instance's memos holds before it turns (see
 * {@link Generation}): 2^17. Every entry made within the last 2^17 is held, so a large site
 * (tens of thousands of distinct references, one entry each through `url()`, two through
 * `image()`: its plan and its attributes) never loses one; an instance that lives on (a dev
 * server over a long session, a build of millions of references) holds at most 2^18.
 * Measured on the references of `bench/core.js`: about 60 bytes an entry through `url()`
 * beyond the reference it keeps alive (its URL shares the pieces of the reference), about
 * 530 through `image()`, so at most some 16 MB and 140 MB. Over 400,000 distinct references a
 * cap of 2^14, 2^16 or 2^17 costs the same per URL as no cap (5.2–5.4 µs); only a cap that
 * a build would reach (2^12) is cheaper, a `Map` that small staying out of the old generation.
 */
const MEMO_CAP = 2 ** 17

/** What each memo holds, by name: a result, or the `ImageBossError` its reference threw. */
interface Memoised {
  readonly cache: ResolvedImage | ImageBossError
  readonly images: ImageAttributes | ImageBossError
  readonly plans: Plan | ImageBossError
}

/** The memos of `resolve`, `image` and the plans of `image`, by name. */
type Memos = { readonly [K in keyof Memoised]: Map<string, Memoised[K]> }

/**
 * One generation of an instance's memos. The newer generation takes what is made; when it
 * holds the cap, it becomes the older one and the oldest is dropped, whole. A hit in the
 * older generation is carried into the newer one, so what a build keeps using survives the
 * turns and what it no longer asks for goes: at most twice the cap is held, at the price of
 * a second lookup on a miss (an empty `Map` until the first turn) and a counter.
 */
type Generation = Memos & {
  /** `url()`'s memo: reference → URL, strings only (a result object per reference kept for the whole build weighs on every garbage collection). */
  readonly urls: Map<string, string>
  /** Entries in the four memos. */
  held: number
  readonly references: Map<string, string>
  // `url, reference, memo size` of `resolve` and `image` not yet in `references`: most builds never
  // ask `referenceOf`, so the reverse index is only built (in order: the first reference of a
  // URL wins) when asked. `url()`'s own pairs are read from its memo, with an iterator that
  // is never run to its end, so it goes on to the entries added after it was made. Each
  // generation indexes its own pairs, and is dropped with them: a URL whose pairs are all
  // gone is unknown again (`referenceOf` answers `undefined`, never a stale reference).
  readonly unindexed: (string | number)[]
  readonly memoEntries: Iterator<[string, string]>
  memoIndexed: number
}

/** The state of one instance: its options, and everything it memoises. */
interface Instance {
  readonly checked: CheckedOptions
  readonly sourceStates: Map<string, SourceState>
  readonly reader: Reader
  readonly cap: number
  current: Generation
  previous: Generation
  /** The newer generation's `urls`, one load closer to a memo hit. */
  urls: Map<string, string>
}

function createGeneration(): Generation {
  const urls = new Map<string, string>()
  return {
    urls,
    cache: new Map(),
    images: new Map(),
    plans: new Map(),
    held: 0,
    references: new Map(),
    unindexed: [],
    memoEntries: urls.entries(),
    memoIndexed: 0
  }
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
  return createMemoised(options, secretOption, MEMO_CAP).boss
}

/**
 * {@link createResolver} with the cap of its memos given, and a count of the entries they
 * hold: for the tests of the memos' turns (`test/core/memo.test.ts`), which need a small cap.
 * Internal: not exported by the package.
 */
export function createMemoised(options: ImageBossOptions, secretOption: boolean, cap: number): { boss: ImageBoss; held: () => number } {
  const checked = checkOptions(options, secretOption)
  const sourceStates = new Map<string, SourceState>()
  const current = createGeneration()
  const instance: Instance = {
    checked,
    sourceStates,
    reader: createReader(checked, sourceStates),
    cap,
    current,
    previous: createGeneration(),
    urls: current.urls
  }
  // Methods that need no `this`, so that they can be passed around on their own
  // (`references.map(boss.url)`); the work is done by module-level functions.
  const boss: ImageBoss = {
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
  return { boss, held: () => instance.current.held + instance.previous.held }
}

function url(instance: Instance, reference: string): string {
  return instance.urls.get(reference) ?? newUrl(instance, reference)
}

/** `url()` past its newer generation: the older one, or one parse (a miss kept out of the hit's way). */
function newUrl(instance: Instance, reference: string): string {
  // One parse for every valid reference; a rejected one goes to the explain pass, for its error.
  const made = instance.previous.urls.get(reference) ?? readUrl(instance.reader, reference)
  if (made === undefined) rejected(instance, reference)
  const current = instance.current
  current.urls.set(reference, made)
  if (++current.held >= instance.cap) turn(instance)
  return made
}

/** The newer generation becomes the older one; the older one is dropped. */
function turn(instance: Instance): void {
  instance.previous = instance.current
  instance.current = createGeneration()
  instance.urls = instance.current.urls
}

/** What `memo` holds for `reference`, from either generation (a hit in the older one is carried into the newer). */
function recall<K extends keyof Memoised>(instance: Instance, memo: K, reference: string): Memoised[K] | undefined {
  const current: Memos = instance.current
  const previous: Memos = instance.previous
  let result = current[memo].get(reference)
  if (result === undefined) {
    result = previous[memo].get(reference)
    if (result !== undefined) remember(instance, memo, reference, result)
  }
  return result
}

/** Keep `result` in the newer generation's `memo`, and a URL it made for the reverse index. */
function remember<K extends keyof Memoised>(instance: Instance, memo: K, reference: string, result: Memoised[K]): void {
  const current = instance.current
  const memos: Memos = current
  memos[memo].set(reference, result)
  if (!(result instanceof ImageBossError)) {
    if (memo === 'cache') current.unindexed.push((result as ResolvedImage).url, reference, current.urls.size)
    else if (memo === 'images') current.unindexed.push((result as ImageAttributes).src, reference, current.urls.size)
  }
  if (++current.held >= instance.cap) turn(instance)
}

/**
 * The memoised result of `make` for a reference, in the memo `memo`; an error is memoised
 * too, and thrown each time.
 */
function memoised<K extends keyof Memoised>(
  instance: Instance,
  memo: K,
  reference: string,
  make: (instance: Instance, reference: string) => Exclude<Memoised[K], ImageBossError>
): Exclude<Memoised[K], ImageBossError> {
  let result = recall(instance, memo, reference)
  if (result === undefined) {
    result = attempt(make, instance, reference) as Memoised[K]
    remember(instance, memo, reference, result)
  }
  if (result instanceof ImageBossError) throw result
  return result as Exclude<Memoised[K], ImageBossError>
}

function resolve(instance: Instance, reference: string): ResolvedImage {
  return memoised(instance, 'cache', reference, resolveUncached)
}

function resolveUncached(instance: Instance, reference: string): ResolvedImage {
  // Not through `plan()`: a URL is memoised in `cache` already, and keeping its plan
  // too would only add to what the garbage collector walks in a large build.
  const planned = instance.current.plans.get(reference) ?? instance.previous.plans.get(reference) ?? readPlan(instance.reader, reference)
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
  const known = recall(instance, 'cache', reference)
  if (known instanceof ImageBossError) throw known
  const error = attempt(explainUrl, instance, reference)
  if (!(error instanceof ImageBossError)) {
    throw new Error(`imageboss-build: the reference parser rejected \`${reference}\`, which the explain pass accepts; please report this`)
  }
  remember(instance, 'cache', reference, error)
  throw error
}

function explainUrl(instance: Instance, reference: string): Plan {
  const planned = explainPlan(instance.checked, instance.sourceStates, reference)
  throwResponsive(planned)
  return planned
}

function image(instance: Instance, reference: string): ImageAttributes {
  return memoised(instance, 'images', reference, imageUncached)
}

function imageUncached(instance: Instance, reference: string): ImageAttributes {
  return imageAttributes(instance.checked, plan(instance, reference))
}

function plan(instance: Instance, reference: string): Plan {
  return memoised(instance, 'plans', reference, makePlanOf)
}

function makePlanOf(instance: Instance, reference: string): Plan {
  return readPlan(instance.reader, reference)
}

/**
 * The first reference held for `url`: the older generation's pairs come first. A pair that a
 * hit carried into the newer generation is held in both until the turn, and from then on
 * ranks among the newer generation's pairs in the order it was carried; either way the
 * reference answered made that URL. A URL no pair holds any longer is `undefined`: the output
 * check (`keys.made` of Vite and Eleventy) then verifies its token with the HMAC, as for any
 * URL; Astro's image service, which asks of a URL made for the same `<Image>` moments before,
 * would only miss one after 2^17 other entries in between, and take it for a remote image.
 */
function referenceOf(instance: Instance, url: string): string | undefined {
  return indexed(instance.previous).get(url) ?? indexed(instance.current).get(url)
}

/** The reverse index of a generation, with the pairs made since it was last asked for. */
function indexed(generation: Generation): Map<string, string> {
  const { references, unindexed, urls, memoEntries } = generation
  // The pairs in the order they were made, so that the first reference of a URL wins: the
  // memo's up to the size it had when a pair of `resolve` or `image` was made, then that pair.
  const indexMemo = (to: number) => {
    for (; generation.memoIndexed < to; generation.memoIndexed++) {
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
  return references
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
