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
}

interface SourceState {
  key: KeyObject | undefined
  warned: boolean
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
  const env = options.env ?? process.env
  const production = options.production ?? env.NODE_ENV === 'production'
  const onWarning = options.onWarning ?? ((warning) => console.warn(`[imageboss-build] ${warning.reason}`))
  const sources = options.sources ?? {}
  const extra = new Set(options.extraOptions ?? [])
  const defaultSource = options.source ?? env.IMAGEBOSS_SOURCE ?? undefined
  const baseUrl = checkBaseUrl(options.baseUrl ?? env.IMAGEBOSS_BASE_URL ?? DEFAULT_BASE_URL)
  const knownKeys = [...Object.keys(ALIASES), ...Object.keys(OPERATION_PARAMETERS), ...Object.keys(IMAGE_OPTIONS), 'preset', ...extra]

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

  const defaults = settingsTransform(options.defaults ?? { format: 'auto' }, '`defaults`')
  const presets = new Map<string, Transform>()
  for (const [name, preset] of Object.entries(options.presets ?? {})) {
    presets.set(name, settingsTransform(preset, `\`presets.${name}\``))
  }

  const sourceStates = new Map<string, SourceState>()
  const cache = new Map<string, ResolvedImage | ImageBossError>()
  const references = new Map<string, string>()

  return {
    production,
    url(reference) {
      return resolve(reference).url
    },
    resolve,
    referenceOf(url) {
      return references.get(url)
    }
  }

  function resolve(reference: string): ResolvedImage {
    let result = cache.get(reference)
    if (result === undefined) {
      try {
        result = compute(reference)
      } catch (error) {
        if (!(error instanceof ImageBossError)) throw error
        result = error
      }
      cache.set(reference, result)
      if (!(result instanceof ImageBossError) && !references.has(result.url)) references.set(result.url, reference)
    }
    if (result instanceof ImageBossError) throw result
    return result
  }

  function compute(reference: string): ResolvedImage {
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
    const key = sourceKey(source, reference)

    let signedPath = '/' + source + '/' + operation
    if (size.mode !== undefined) signedPath += ':' + size.mode
    if (operation === 'cover') signedPath += `/${size.width}x${size.height}`
    else if (operation === 'width') signedPath += '/' + size.width
    else if (operation === 'height') signedPath += '/' + size.height

    const names = Object.keys(imageOptions).sort()
    const sorted: Record<string, string> = {}
    if (names.length > 0) {
      signedPath += '/'
      for (const [index, name] of names.entries()) {
        const value = imageOptions[name] as string
        sorted[name] = value
        signedPath += (index === 0 ? '' : ',') + name + ':' + value
      }
    }
    signedPath += parsed.encodedPath

    const result: ResolvedImage = {
      url: baseUrl + signedPath + (key ? '?bossToken=' + signPath(key, signedPath) : ''),
      source,
      operation,
      options: sorted,
      path: parsed.path,
      signedPath,
      signed: key !== undefined
    }
    if (size.width !== undefined) result.width = Number(size.width)
    if (size.height !== undefined) result.height = Number(size.height)
    if (size.mode !== undefined) result.mode = size.mode
    return result
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
    const transform: Transform = { operation: {}, options: {} }
    const seen = new Map<string, string>()
    for (const parameter of parameters) {
      const name = ALIASES[parameter.key] ?? parameter.key
      const previous = seen.get(name)
      if (previous !== undefined) {
        throw new ImageBossError(
          'conflicting-parameters',
          `Unexpected \`${parameter.key}\` after \`${previous}\`, expected each parameter once`,
          { offset: parameter.keyOffset, reference }
        )
      }
      seen.set(name, parameter.key)
      if (name === 'preset') {
        transform.preset = { name: parameter.value, offset: parameter.valueOffset }
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
    const transform: Transform = { operation: {}, options: {} }
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
        throw configError(`Unexpected unknown parameter \`${key}\` in ${where}, expected a known parameter such as \`${closest(key, knownKeys.filter((k) => k !== 'preset'))}\``)
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
