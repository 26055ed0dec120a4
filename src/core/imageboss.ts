import type { KeyObject } from 'node:crypto'
import { closest } from 'fastest-levenshtein'
import { ImageBossError } from './errors.js'
import {
  ALIASES,
  EXTRA_OPTION,
  IMAGE_OPTIONS,
  OPERATION_PARAMETERS,
  type Operation
} from './parameters.js'
import { parseReference, SOURCE_NAME_RE, type ReferenceParameter } from './reference.js'
import {
  autoWidths,
  checkResponsiveKey,
  checkResponsiveSettings,
  defaultSizes,
  RESPONSIVE_KEYS,
  type ResponsiveKey,
  type ResponsiveOffsets,
  type ResponsiveRequest,
  type ResponsiveSettings
} from './responsive.js'
import { createSigningKey, signPath } from './sign.js'

/** A value in `defaults` or a preset: validated and written exactly like a reference value. */
export type SettingValue = string | number | boolean

/** Parameters given in settings (`defaults`, `presets`): `w`, `h`, `op`, `mode` and options. */
export type TransformSettings = Readonly<Record<string, SettingValue>>

/** Settings of one named source. */
export interface SourceOptions {
  /** Secret of this source (default: the `IMAGEBOSS_SECRET_<NAME>` variable). */
  secret?: string | undefined
  /** Set to `false` for a source that does not demand signed URLs (default: `true`). */
  signed?: boolean | undefined
}

/** Options shared by every entry point. */
export interface ImageBossOptions {
  /** Default source, for references without `//name` (default: the `IMAGEBOSS_SOURCE` variable). */
  source?: string | undefined
  /** Secret of the default source (default: the `IMAGEBOSS_SECRET` variable). */
  secret?: string | undefined
  /** Named sources, with their secrets or `signed: false` (optional). */
  sources?: Readonly<Record<string, SourceOptions>> | undefined
  /** Where URLs point (default: the `IMAGEBOSS_BASE_URL` variable, else `https://img.imageboss.me`). */
  baseUrl?: string | undefined
  /** Parameters applied to every reference, under presets and the reference's own (default: `{format: 'auto'}`). */
  defaults?: TransformSettings | undefined
  /** Named parameter sets, used with `?preset=name` (optional). */
  presets?: Readonly<Record<string, TransformSettings>> | undefined
  /** Option names that ImageBoss added after this version; values must match `[A-Za-z0-9._-]+` (optional). */
  extraOptions?: readonly string[] | undefined
  /** Where `IMAGEBOSS_*` variables are read (default: `process.env`). */
  env?: Readonly<Record<string, string | undefined>> | undefined
  /**
   * Whether this is a production build: a missing secret is then an error, not a warning
   * plus unsigned URLs (default: `env.NODE_ENV === 'production'`).
   */
  production?: boolean | undefined
  /** Called with each warning, such as a missing secret in development (default: `console.warn`). */
  onWarning?: ((warning: ImageBossError) => void) | undefined
  /**
   * A `srcset` (or densities) and `sizes` for every `<img>` with a reference; the keys a
   * reference gives win (default: off).
   */
  responsive?: ResponsiveSettings | undefined
  /**
   * Whether images with a srcset get the lazy defaults `loading="lazy"` and
   * `decoding="async"` (default: `true`).
   */
  attributes?: boolean | undefined
}

/** The attributes of an `<img>` written for a reference (those that apply). */
export interface ImageAttributes {
  src: string
  srcset?: string
  sizes?: string
  width?: string
  height?: string
  loading?: 'lazy' | 'eager'
  decoding?: 'async'
  fetchpriority?: 'high'
}

/** What a reference resolves to. */
export interface ResolvedImage {
  /** The ImageBoss URL. */
  url: string
  /** Source name. */
  source: string
  /** ImageBoss operation. */
  operation: Operation
  /** Output width (`width` and `cover`). */
  width?: number
  /** Output height (`height` and `cover`). */
  height?: number
  /** Cover mode, when one was asked for. */
  mode?: string
  /** Options as written into the URL, sorted by name. */
  options: Record<string, string>
  /** Decoded path of the image, with a leading `/`. */
  path: string
  /** The signed part of the URL: `/SOURCE/…/PATH`, encoded. */
  signedPath: string
  /** Whether the URL carries a `bossToken`. */
  signed: boolean
}

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

const DEFAULT_BASE_URL = 'https://img.imageboss.me'
const EXPOSED_SECRET_VARIABLE_RE = /^(?:VITE|PUBLIC)_\w*IMAGEBOSS_SECRET/

type OperationKey = keyof typeof OPERATION_PARAMETERS

/** A set of parameters, validated and written as they go into the URL. */
interface Transform {
  operation: Partial<Record<OperationKey, string>>
  options: Record<string, string>
  preset?: { name: string; offset: number }
  responsive: ResponsiveRequest
  responsiveOffsets: ResponsiveOffsets
}

/** A reference, understood: everything needed to write its URL and its variants. */
interface Plan {
  reference: string
  source: string
  key: KeyObject | undefined
  operation: Operation
  size: Partial<Record<OperationKey, string>>
  options: Record<string, string>
  path: string
  encodedPath: string
  responsive: ResponsiveRequest
  responsiveOffsets: ResponsiveOffsets
}

/** A variant of a plan: another size, or another option. */
interface Variant {
  operation: Operation
  size: Partial<Record<OperationKey, string>>
  options: Record<string, string>
}

interface SourceState {
  key: KeyObject | undefined
  warned: boolean
}

/** The names of every option, shared by every entry point. */
export const OPTION_NAMES: readonly (keyof ImageBossOptions)[] = [
  'source',
  'secret',
  'sources',
  'baseUrl',
  'defaults',
  'presets',
  'extraOptions',
  'env',
  'production',
  'onWarning',
  'responsive',
  'attributes'
]

/**
 * Reject what cannot be options at once: not an object, or an unknown option name (the
 * message suggests the nearest). `where` names the entry point (`imageboss()`).
 *
 * @throws {ImageBossError} `invalid-option`.
 */
export function checkOptionNames(options: unknown, where = '`createImageBoss()`'): void {
  if (options === undefined || options === null) return
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw configError(`Unexpected options for ${where}, expected an object such as \`{ source: 'my-source' }\``)
  }
  for (const name of Object.keys(options)) {
    if (!(OPTION_NAMES as readonly string[]).includes(name)) {
      throw configError(`Unexpected option \`${name}\` for ${where}, expected a known option such as \`${closest(name, OPTION_NAMES)}\``)
    }
  }
}

/** The variable that holds the secret of a named source: `blog-assets` → `IMAGEBOSS_SECRET_BLOG_ASSETS`. */
export function secretVariable(source: string): string {
  return 'IMAGEBOSS_SECRET_' + source.toUpperCase().replaceAll('-', '_')
}

/**
 * Create a resolver for `imageboss:` references.
 *
 * @throws {ImageBossError} `invalid-option` or `exposed-secret` for bad settings.
 */
export function createImageBoss(options: ImageBossOptions = {}): ImageBoss {
  checkOptionNames(options)
  const env = options.env ?? process.env
  const production = options.production ?? env.NODE_ENV === 'production'
  const onWarning = options.onWarning ?? ((warning) => console.warn(`[imageboss-build] ${warning.reason}`))
  const sources = options.sources ?? {}
  const extra = new Set(options.extraOptions ?? [])
  const defaultSource = options.source ?? env.IMAGEBOSS_SOURCE ?? undefined
  const baseUrl = checkBaseUrl(options.baseUrl ?? env.IMAGEBOSS_BASE_URL ?? DEFAULT_BASE_URL)
  const knownKeys = [
    ...Object.keys(ALIASES),
    ...Object.keys(OPERATION_PARAMETERS),
    ...Object.keys(IMAGE_OPTIONS),
    'preset',
    ...RESPONSIVE_KEYS,
    ...extra
  ]
  const writeAttributes = options.attributes ?? true

  for (const name of Object.keys(env)) {
    if (EXPOSED_SECRET_VARIABLE_RE.test(name) && env[name]) {
      throw new ImageBossError(
        'exposed-secret',
        `Unexpected secret in \`${name}\`, a variable the bundler exposes to client code; expected it in an \`IMAGEBOSS_SECRET\` variable`
      )
    }
  }

  if (defaultSource !== undefined && !SOURCE_NAME_RE.test(defaultSource)) {
    throw configError(`Unexpected \`source\` \`${defaultSource}\`, expected an ImageBoss source name (letters, digits, \`_\`, \`-\`)`)
  }
  for (const name of Object.keys(sources)) {
    if (!SOURCE_NAME_RE.test(name)) {
      throw configError(`Unexpected source name \`${name}\` in \`sources\`, expected letters, digits, \`_\`, \`-\``)
    }
  }
  for (const name of extra) {
    if (!/^[a-zA-Z][\w-]*$/.test(name)) throw configError(`Unexpected name \`${name}\` in \`extraOptions\`, expected an option name`)
  }

  const responsiveSettings = checkResponsiveSettings(options.responsive ?? {})
  if (typeof responsiveSettings === 'string') throw configError(`Unexpected ${responsiveSettings}`)
  const defaults = settingsTransform(options.defaults ?? { format: 'auto' }, '`defaults`')
  const presets = new Map<string, Transform>()
  for (const [name, preset] of Object.entries(options.presets ?? {})) {
    presets.set(name, settingsTransform(preset, `\`presets.${name}\``))
  }

  const sourceStates = new Map<string, SourceState>()
  const plans = new Map<string, Plan | ImageBossError>()
  const cache = new Map<string, ResolvedImage | ImageBossError>()
  const images = new Map<string, ImageAttributes | ImageBossError>()
  const references = new Map<string, string>()
  // `url, reference` pairs not yet in `references`: most builds never ask `referenceOf`, so
  // the reverse index is only built (in order: the first reference of a URL wins) when asked.
  const unindexed: string[] = []

  return {
    production,
    url(reference) {
      return resolve(reference).url
    },
    resolve,
    image,
    referenceOf(url) {
      for (let index = 0; index < unindexed.length; index += 2) {
        const made = unindexed[index] as string
        if (!references.has(made)) references.set(made, unindexed[index + 1] as string)
      }
      unindexed.length = 0
      return references.get(url)
    }
  }

  function resolve(reference: string): ResolvedImage {
    let result = cache.get(reference)
    if (result === undefined) {
      result = attempt(() => {
        // Not through `plan()`: a URL is memoised in `cache` already, and keeping its plan
        // too would only add to what the garbage collector walks in a large build.
        const planned = plans.get(reference) ?? makePlan(reference)
        if (planned instanceof ImageBossError) throw planned
        for (const key in planned.responsiveOffsets) {
          throw new ImageBossError(
            'misplaced-parameter',
            `Unexpected \`${key}\` where no image element is written (a CSS \`url()\`, a string, a \`meta\` tag), expected it only on \`<img>\` or \`<source>\``,
            { offset: planned.responsiveOffsets[key as ResponsiveKey] as number, reference }
          )
        }
        return build(planned, planned)
      })
      cache.set(reference, result)
      if (!(result instanceof ImageBossError)) unindexed.push(result.url, reference)
    }
    if (result instanceof ImageBossError) throw result
    return result
  }

  function image(reference: string): ImageAttributes {
    let result = images.get(reference)
    if (result === undefined) {
      result = attempt(() => imageAttributes(plan(reference)))
      images.set(reference, result)
      if (!(result instanceof ImageBossError)) unindexed.push(result.src, reference)
    }
    if (result instanceof ImageBossError) throw result
    return result
  }

  /** The result of `run`, or the `ImageBossError` it threw (memoised like a result). */
  function attempt<T>(run: () => T): T | ImageBossError {
    try {
      return run()
    } catch (error) {
      if (!(error instanceof ImageBossError)) throw error
      return error
    }
  }

  function plan(reference: string): Plan {
    let result = plans.get(reference)
    if (result === undefined) {
      result = attempt(() => makePlan(reference))
      plans.set(reference, result)
    }
    if (result instanceof ImageBossError) throw result
    return result
  }

  function makePlan(reference: string): Plan {
    const parsed = parseReference(reference)
    const own = referenceTransform(parsed.parameters, reference)

    let preset: Transform | undefined
    if (own.preset) {
      preset = presets.get(own.preset.name)
      if (!preset) {
        const names = [...presets.keys()]
        throw new ImageBossError(
          'unknown-preset',
          `Unexpected unknown preset \`${own.preset.name}\`, expected ${names.length > 0 ? `a preset such as \`${closest(own.preset.name, names)}\`` : 'a preset defined in the `presets` setting'}`,
          { offset: own.preset.offset, reference }
        )
      }
    }

    const size = { ...defaults.operation, ...preset?.operation, ...own.operation }
    const imageOptions: Record<string, string> = { ...defaults.options, ...preset?.options, ...own.options }
    const operation = chooseOperation(size, parsed.parameters, reference)

    const source = parsed.source ?? defaultSource
    if (source === undefined) {
      throw new ImageBossError(
        'unknown-source',
        'Unexpected reference to the default source, expected a default source in the `source` option or the `IMAGEBOSS_SOURCE` variable',
        { offset: 0, reference }
      )
    }
    return {
      reference,
      source,
      key: sourceKey(source, reference),
      operation,
      size,
      options: imageOptions,
      path: parsed.path,
      encodedPath: parsed.encodedPath,
      responsive: own.responsive,
      responsiveOffsets: own.responsiveOffsets
    }
  }

  /** The URL of a plan, or of a variant of it. */
  function build(planned: Plan, variant: Variant): ResolvedImage {
    const { operation, size } = variant
    let signedPath = '/' + planned.source + '/' + operation
    if (size.mode !== undefined) signedPath += ':' + size.mode
    if (operation === 'cover') signedPath += `/${size.width}x${size.height}`
    else if (operation === 'width') signedPath += '/' + size.width
    else if (operation === 'height') signedPath += '/' + size.height

    const names = Object.keys(variant.options).sort()
    const sorted: Record<string, string> = {}
    for (let index = 0; index < names.length; index++) {
      const name = names[index] as string
      const value = variant.options[name] as string
      sorted[name] = value
      signedPath += (index === 0 ? '/' : ',') + name + ':' + value
    }
    signedPath += planned.encodedPath

    const key = planned.key
    const result: ResolvedImage = {
      url: baseUrl + signedPath + (key ? '?bossToken=' + signPath(key, signedPath) : ''),
      source: planned.source,
      operation,
      options: sorted,
      path: planned.path,
      signedPath,
      signed: key !== undefined
    }
    if (size.width !== undefined) result.width = Number(size.width)
    if (size.height !== undefined) result.height = Number(size.height)
    if (size.mode !== undefined) result.mode = size.mode
    return result
  }

  /** The `<img>` attributes of a plan: its URL, and the responsive ones it asks for. */
  function imageAttributes(planned: Plan): ImageAttributes {
    const own = planned.responsive
    const global = responsiveSettings as { request: ResponsiveRequest; breakpoints: number[] }
    const at = (key: ResponsiveKey) => ({ offset: planned.responsiveOffsets[key], reference: planned.reference })
    if (own.srcset !== undefined && own.densities !== undefined) {
      throw new ImageBossError('conflicting-parameters', 'Unexpected `densities` with `srcset`, expected one of them', at('densities'))
    }
    const srcset = own.srcset ?? (own.densities === undefined ? global.request.srcset : undefined)
    const densities = own.densities ?? (own.srcset === undefined && srcset === undefined ? global.request.densities : undefined)
    const width = planned.size.width === undefined ? undefined : Number(planned.size.width)
    const height = planned.size.height === undefined ? undefined : Number(planned.size.height)

    const attributes: ImageAttributes = { src: build(planned, planned).url }
    if (srcset !== undefined) {
      if (planned.operation === 'height') {
        // The `responsive` option skips such images; a reference asking for it is wrong.
        if (own.srcset !== undefined) {
          throw new ImageBossError(
            'conflicting-parameters',
            'Unexpected `srcset` with operation `height`, expected `densities` for an image of a fixed height',
            at('srcset')
          )
        }
      } else {
        const widths = srcset === 'auto' ? autoWidths(width, global.breakpoints) : srcset
        attributes.srcset = widths.map((w) => `${build(planned, widthVariant(planned, w, width, height)).url} ${w}w`).join(', ')
        attributes.sizes = own.sizes ?? global.request.sizes ?? defaultSizes(width)
      }
    } else if (densities !== undefined) {
      if (planned.options.dpr !== undefined) {
        throw new ImageBossError('conflicting-parameters', 'Unexpected `densities` with `dpr`, expected one of them', at('densities'))
      }
      attributes.srcset = densities
        .map((d) => `${build(planned, d === '1' ? planned : { ...planned, options: { ...planned.options, dpr: d } }).url} ${d}x`)
        .join(', ')
      if (own.sizes !== undefined) attributes.sizes = own.sizes
    } else if (own.sizes !== undefined) {
      attributes.sizes = own.sizes
    }

    const responsive = attributes.srcset !== undefined || own.priority === true
    if (responsive && width !== undefined && height !== undefined) {
      attributes.width = String(width)
      attributes.height = String(height)
    }
    if (own.priority) {
      attributes.loading = 'eager'
      attributes.fetchpriority = 'high'
    } else if (responsive && writeAttributes) {
      attributes.loading = 'lazy'
      attributes.decoding = 'async'
    }
    return attributes
  }

  /** The HMAC key of a source, or `undefined` for an unsigned one. */
  function sourceKey(source: string, reference: string): KeyObject | undefined {
    let state = sourceStates.get(source)
    if (state === undefined) {
      state = { key: undefined, warned: false }
      const entry = Object.hasOwn(sources, source) ? sources[source] : undefined
      const isDefault = source === defaultSource
      const variable = isDefault ? 'IMAGEBOSS_SECRET' : secretVariable(source)
      if (entry === undefined && !isDefault && !env[variable]) {
        const names = [...(defaultSource === undefined ? [] : [defaultSource]), ...Object.keys(sources)]
        throw new ImageBossError(
          'unknown-source',
          `Unexpected unknown source \`${source}\`, expected ${names.length > 0 ? `a configured source such as \`${closest(source, names)}\`` : 'a source in the `sources` setting'} or a \`${variable}\` variable`,
          { offset: 'imageboss://'.length, reference }
        )
      }
      if (entry?.signed !== false) {
        const secret = (isDefault ? options.secret : undefined) ?? entry?.secret ?? env[variable]
        if (secret) {
          state.key = createSigningKey(secret)
        } else {
          const where = isDefault ? '`secret` option' : `\`sources['${source}'].secret\` option`
          const warning = new ImageBossError(
            'missing-secret',
            `Missing secret for source \`${source}\`, expected the \`${variable}\` variable or the ${where} (or \`signed: false\` for a source without signed URLs)`,
            { reference }
          )
          if (production) throw warning
          onWarning(warning)
          state.warned = true
        }
      }
      sourceStates.set(source, state)
    }
    return state.key
  }

  function chooseOperation(
    size: Partial<Record<OperationKey, string>>,
    parameters: readonly ReferenceParameter[],
    reference: string
  ): Operation {
    const hasWidth = size.width !== undefined
    const hasHeight = size.height !== undefined
    const operation = (size.op as Operation | undefined) ?? (hasWidth ? (hasHeight ? 'cover' : 'width') : hasHeight ? 'height' : 'cdn')
    const at = (name: string) => {
      const found = parameters.find((p) => (ALIASES[p.key] ?? p.key) === name)
      return { offset: found?.keyOffset ?? reference.indexOf('?') + 1, reference }
    }
    if (size.mode !== undefined && operation !== 'cover') {
      throw new ImageBossError(
        'conflicting-parameters',
        `Unexpected \`mode\` with operation \`${operation}\`, expected \`mode\` only with \`cover\` (both \`w\` and \`h\`)`,
        at('mode')
      )
    }
    const needs: Record<Operation, [boolean, boolean, string]> = {
      cover: [true, true, 'both `w` and `h`'],
      width: [true, false, '`w` and no `h`'],
      height: [false, true, '`h` and no `w`'],
      cdn: [false, false, 'neither `w` nor `h`']
    }
    const [width, height, expected] = needs[operation]
    if (width !== hasWidth || height !== hasHeight) {
      throw new ImageBossError(
        'conflicting-parameters',
        `Unexpected ${describeSize(hasWidth, hasHeight)} with operation \`${operation}\`, expected ${expected}`,
        at(size.op === undefined ? (hasWidth ? 'width' : 'height') : 'op')
      )
    }
    return operation
  }

  /** Validate a reference's own parameters. */
  function referenceTransform(parameters: readonly ReferenceParameter[], reference: string): Transform {
    const transform: Transform = { operation: {}, options: {}, responsive: {}, responsiveOffsets: {} }
    // Names seen so far, beside the key each was written as: a handful, so a list beats a `Map`.
    const seen: string[] = []
    for (const parameter of parameters) {
      const name = ALIASES[parameter.key] ?? parameter.key
      let previous: string | undefined
      for (let index = 0; index < seen.length; index += 2) if (seen[index] === name) previous = seen[index + 1]
      if (previous !== undefined) {
        throw new ImageBossError(
          'conflicting-parameters',
          `Unexpected \`${parameter.key}\` after \`${previous}\`, expected each parameter once`,
          { offset: parameter.keyOffset, reference }
        )
      }
      seen.push(name, parameter.key)
      if (name === 'preset') {
        transform.preset = { name: parameter.value, offset: parameter.valueOffset }
        continue
      }
      if ((RESPONSIVE_KEYS as readonly string[]).includes(name)) {
        const key = name as ResponsiveKey
        const checked = checkResponsiveKey(key, parameter.value)
        if (!checked.ok) {
          throw new ImageBossError('invalid-value', `Unexpected value \`${parameter.value}\` for \`${key}\`, expected ${checked.expected}`, {
            offset: parameter.valueOffset,
            reference
          })
        }
        ;(transform.responsive as Record<string, unknown>)[key] = checked.value
        transform.responsiveOffsets[key] = parameter.keyOffset
        continue
      }
      const problem = applyParameter(transform, name, parameter.value)
      if (problem === 'unknown') {
        throw new ImageBossError(
          'unknown-parameter',
          `Unexpected unknown parameter \`${parameter.key}\`, expected a known parameter such as \`${closest(parameter.key, knownKeys)}\``,
          { offset: parameter.keyOffset, reference }
        )
      }
      if (problem !== undefined) {
        throw new ImageBossError(
          'invalid-value',
          `Unexpected value \`${parameter.value}\` for \`${parameter.key}\`, expected ${problem}`,
          { offset: parameter.valueOffset, reference }
        )
      }
    }
    return transform
  }

  /** Validate `defaults` or a preset; mistakes there are configuration errors. */
  function settingsTransform(settings: TransformSettings, where: string): Transform {
    const transform: Transform = { operation: {}, options: {}, responsive: {}, responsiveOffsets: {} }
    const seen = new Map<string, string>()
    for (const [key, raw] of Object.entries(settings)) {
      const name = ALIASES[key] ?? key
      const previous = seen.get(name)
      if (previous !== undefined) throw configError(`Unexpected \`${key}\` after \`${previous}\` in ${where}, expected each parameter once`)
      seen.set(name, key)
      const value = typeof raw === 'string' ? raw : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : undefined
      if (value === undefined) throw configError(`Unexpected value for \`${key}\` in ${where}, expected a string, number or boolean`)
      const problem = applyParameter(transform, name, value)
      if (problem === 'unknown') {
        throw configError(
          `Unexpected unknown parameter \`${key}\` in ${where}, expected a known parameter such as \`${closest(key, knownKeys.filter((k) => k !== 'preset' && !(RESPONSIVE_KEYS as readonly string[]).includes(k)))}\``
        )
      }
      if (problem !== undefined) throw configError(`Unexpected value \`${value}\` for \`${key}\` in ${where}, expected ${problem}`)
    }
    return transform
  }

  /** Store one parameter in `transform`; returns what was expected when it is not valid. */
  function applyParameter(transform: Transform, name: string, value: string): string | undefined {
    const check = Object.hasOwn(OPERATION_PARAMETERS, name)
      ? OPERATION_PARAMETERS[name as OperationKey]
      : Object.hasOwn(IMAGE_OPTIONS, name)
        ? IMAGE_OPTIONS[name]
        : extra.has(name)
          ? EXTRA_OPTION
          : undefined
    if (check === undefined) return 'unknown'
    const checked = check(value)
    if (!checked.ok) return checked.expected
    if (Object.hasOwn(OPERATION_PARAMETERS, name)) transform.operation[name as OperationKey] = checked.value
    else transform.options[name] = checked.value
    return undefined
  }
}

/** A candidate of a `w` srcset: `width/Wi` (also for `cdn`), or `cover/Wi x round(Wi·H/W)`. */
function widthVariant(planned: Plan, candidate: number, width: number | undefined, height: number | undefined): Variant {
  if (planned.operation === 'cover' && width !== undefined && height !== undefined) {
    return {
      operation: 'cover',
      size: { ...planned.size, width: String(candidate), height: String(Math.round((candidate * height) / width)) },
      options: planned.options
    }
  }
  const { mode, height: _, ...size } = planned.size
  return { operation: 'width', size: { ...size, width: String(candidate) }, options: planned.options }
}

function describeSize(width: boolean, height: boolean): string {
  return width ? (height ? 'both `w` and `h`' : 'only `w`') : height ? 'only `h`' : 'no size'
}

function configError(reason: string): ImageBossError {
  return new ImageBossError('invalid-option', reason)
}

function checkBaseUrl(value: string): string {
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    url = undefined
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash) {
    throw configError(`Unexpected \`baseUrl\` \`${value}\`, expected an \`https://\` or \`http://\` URL without query or fragment`)
  }
  return value.replace(/\/+$/, '')
}
