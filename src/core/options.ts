import { closest } from 'fastest-levenshtein'
import { liveEnvironment, productionByDefault } from './environment.js'
import { ImageBossError, PREFIX } from './errors.js'
import { ALIASES } from './parameters.js'
import { SOURCE_NAME_RE } from './reference.js'
import { checkResponsiveSettings, RESPONSIVE_KEYS, type ResponsiveRequest, type ResponsiveSettings } from './responsive.js'
import { applyParameter, emptyTransform, parameterNames, type ParameterNames, type Transform } from './transform.js'

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
   * plus unsigned URLs, and the rehype and markdown-it plugins fail a file with any problem
   * (default: `true` unless `env.NODE_ENV === 'development'`). Hosts with a dev mode pass
   * their own (Vite: `command === 'build'`).
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
  /**
   * Whether URLs are signed (default: `true`, unless the `IMAGEBOSS_ENABLED` variable is
   * `false`). `false` writes every URL without a `bossToken` and reads no secret, for builds
   * that cannot have one (pull requests from forks, preview deploys); a `signing-disabled`
   * warning says so once. A source that demands signed URLs refuses such URLs.
   */
  enabled?: boolean | undefined
  /**
   * Whether `<img>` and `<source>` get `width` and `height` where the reference fixes both
   * sides of the image (a `cover` crop, `w` and `h`, a preset with both; not `mode=inside` or
   * `withoutEnlargement`), unless the author wrote either, so the page does not shift as
   * images load (default: `false`: added attributes change existing pages; pair them with
   * CSS `height: auto` where an image is scaled).
   */
  dimensions?: boolean | undefined
  /**
   * What the output check does with an ImageBoss URL of a source that is not configured (no
   * secret, not in `sources`, not the default): `'warn'` (default) or `'error'`.
   */
  unknownSources?: 'warn' | 'error' | undefined
}

/**
 * The options of one instance, checked and with their defaults applied: everything but the
 * default source's `secret`, which is read from `options` when that source is first used.
 */
export interface CheckedOptions {
  /** The options as given. */
  readonly options: ImageBossOptions
  readonly env: Readonly<Record<string, string | undefined>>
  readonly production: boolean
  readonly onWarning: (warning: ImageBossError) => void
  readonly sources: Readonly<Record<string, SourceOptions>>
  readonly defaultSource: string | undefined
  /** Without a trailing `/`. */
  readonly baseUrl: string
  readonly names: ParameterNames
  /** The `attributes` option. */
  readonly writeAttributes: boolean
  /** The `dimensions` option. */
  readonly writeDimensions: boolean
  /** Whether URLs are signed: the `enabled` option, else the `IMAGEBOSS_ENABLED` variable. */
  readonly signing: boolean
  readonly responsive: { request: ResponsiveRequest; breakpoints: number[] }
  readonly defaults: Transform
  readonly presets: ReadonlyMap<string, Transform>
  /** Whether a `missing-secret` message may suggest the `secret` options (not for the CLI, which takes none). */
  readonly secretOption: boolean
}

export const DEFAULT_BASE_URL = 'https://img.imageboss.me'
const EXPOSED_SECRET_VARIABLE_RE = /^(?:VITE|PUBLIC)_\w*IMAGEBOSS_SECRET/

/** The names of every option, shared by every entry point. */
const OPTION_NAMES: readonly (keyof ImageBossOptions)[] = [
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
  'attributes',
  'dimensions',
  'enabled',
  'unknownSources'
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

/**
 * Check every option and apply the defaults. Options are read, and checked, in a fixed
 * order, so that the first mistake is the one reported.
 *
 * @throws {ImageBossError} `invalid-option` or `exposed-secret` for bad settings.
 */
export function checkOptions(options: ImageBossOptions, secretOption = true): CheckedOptions {
  checkOptionNames(options)
  const env = options.env ?? liveEnvironment()
  const production = options.production ?? productionByDefault(env)
  const onWarning = options.onWarning ?? printWarning
  const sources = options.sources ?? {}
  const extra = new Set(options.extraOptions ?? [])
  const defaultSource = options.source ?? env.IMAGEBOSS_SOURCE ?? undefined
  const baseUrl = checkBaseUrl(
    options.baseUrl ?? env.IMAGEBOSS_BASE_URL ?? DEFAULT_BASE_URL,
    options.baseUrl !== undefined ? '`baseUrl`' : '`IMAGEBOSS_BASE_URL`'
  )
  const names = parameterNames(extra)
  const writeAttributes = options.attributes ?? true
  const writeDimensions = options.dimensions ?? false
  const signing = signingEnabled(options, env)

  checkExposedSecrets(env)
  checkNames(defaultSource, sources, extra)

  const responsive = checkResponsiveSettings(options.responsive ?? {})
  if (typeof responsive === 'string') throw configError(`Unexpected ${responsive}`)
  const defaults = settingsTransform(options.defaults ?? { format: 'auto' }, '`defaults`', names)
  const presets = new Map<string, Transform>()
  for (const [name, preset] of Object.entries(options.presets ?? {})) {
    presets.set(name, settingsTransform(preset, `\`presets.${name}\``, names))
  }
  return {
    options,
    env,
    production,
    onWarning,
    sources,
    defaultSource,
    baseUrl,
    names,
    writeAttributes,
    writeDimensions,
    signing,
    responsive,
    defaults,
    presets,
    secretOption
  }
}

/**
 * Whether URLs are signed: the `enabled` option, else `IMAGEBOSS_ENABLED` (unset or `true`
 * signs, `false` does not; anything else is a mistake, not a guess).
 *
 * @throws {ImageBossError} `invalid-option`.
 */
export function signingEnabled(options: Pick<ImageBossOptions, 'enabled'>, env: Readonly<Record<string, string | undefined>>): boolean {
  if (options.enabled !== undefined) return options.enabled
  const value = env.IMAGEBOSS_ENABLED
  if (value === undefined || value === '' || value === 'true') return true
  if (value === 'false') return false
  throw configError('Unexpected value of `IMAGEBOSS_ENABLED`, expected `true` or `false`')
}

/** Where warnings go when no one says: printed, with the package's prefix. */
export function printWarning(warning: ImageBossError): void {
  console.warn(`${PREFIX} ${warning.ruleId}: ${warning.reason}`)
}

function checkExposedSecrets(env: Readonly<Record<string, string | undefined>>): void {
  for (const name of Object.keys(env)) {
    if (EXPOSED_SECRET_VARIABLE_RE.test(name) && env[name]) {
      throw new ImageBossError(
        'exposed-secret',
        `Unexpected secret in \`${name}\`, a variable the bundler exposes to client code; expected it in an \`IMAGEBOSS_SECRET\` variable`
      )
    }
  }
}

/** Check the names given in options: the default source, named sources and extra options. */
function checkNames(defaultSource: string | undefined, sources: Readonly<Record<string, SourceOptions>>, extra: ReadonlySet<string>): void {
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
}

/** Validate `defaults` or a preset; mistakes there are configuration errors. */
function settingsTransform(settings: TransformSettings, where: string, names: ParameterNames): Transform {
  const transform = emptyTransform()
  const seen = new Map<string, string>()
  for (const [key, raw] of Object.entries(settings)) {
    const name = ALIASES[key] ?? key
    const previous = seen.get(name)
    if (previous !== undefined) throw configError(`Unexpected \`${key}\` after \`${previous}\` in ${where}, expected each parameter once`)
    seen.set(name, key)
    const value = typeof raw === 'string' ? raw : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : undefined
    if (value === undefined) throw configError(`Unexpected value for \`${key}\` in ${where}, expected a string, number or boolean`)
    const problem = applyParameter(transform, name, value, names.extra)
    if (problem === 'unknown') {
      throw configError(
        `Unexpected unknown parameter \`${key}\` in ${where}, expected a known parameter such as \`${closest(
          key,
          names.known.filter((k) => k !== 'preset' && !(RESPONSIVE_KEYS as readonly string[]).includes(k))
        )}\``
      )
    }
    if (problem !== undefined) throw configError(`Unexpected value \`${value}\` for \`${key}\` in ${where}, expected ${problem}`)
  }
  return transform
}

function configError(reason: string): ImageBossError {
  return new ImageBossError('invalid-option', reason)
}

/** Hosts a base URL may reach over plain `http:`: this machine only (a local stand-in server). */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]'])

/**
 * The base URL, checked with the URL parser, without its trailing `/`: `https:` (`http:` for
 * this machine only: a token sent in clear text can be replayed), no user name or password,
 * no query, no fragment, no backslash, and written as the parser writes it. URLs are built by
 * appending to the text as given, so text that a parser reads otherwise (`\` is `/`, `?` with
 * nothing after it is no query, `a/../b` is `b`) would send them somewhere else. Messages
 * name the problem, never the value: it may hold a password or a key.
 *
 * @throws {ImageBossError} `invalid-option`.
 */
function checkBaseUrl(value: unknown, name: string): string {
  const fail = (problem: string) =>
    configError(
      `Unexpected ${name} ${problem}, expected an \`https://\` URL with an optional path prefix, such as \`https://cdn.example.com/images\` (\`http://\` for \`localhost\`, \`127.0.0.1\` and \`[::1]\` only)`
    )
  if (typeof value !== 'string') throw fail('that is not a string')
  if (value.includes('\\')) throw fail('with a backslash (`\\`), which URL parsers read as `/`')
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw fail('that is not an absolute URL')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw fail(`with the scheme \`${url.protocol}\``)
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) throw fail(`with \`http:\` for the host \`${url.hostname}\`, which is not this machine`)
  if (url.username !== '' || url.password !== '' || authorityOf(value).includes('@')) throw fail('with a user name or password (`…@`)')
  if (value.includes('?')) throw fail('with a query (`?…`)')
  if (value.includes('#')) throw fail('with a fragment (`#…`)')
  const parsed = url.origin + withoutTrailingSlashes(url.pathname)
  const given = withoutTrailingSlashes(value)
  if (given !== parsed) throw fail(`written otherwise than the URL parser reads it (\`${parsed}\`)`)
  return given
}

/** What lies between the scheme's `//` and the path: where a user name and password go. */
function authorityOf(value: string): string {
  let start = value.indexOf(':') + 1
  while (value.charCodeAt(start) === 47 /* `/` */) start++
  let end = start
  while (end < value.length && !'/?#'.includes(value.charAt(end))) end++
  return value.slice(start, end)
}

/** `text` without its trailing `/`s: a loop, where `/\/+$/` backtracks over a long run of them. */
export function withoutTrailingSlashes(text: string): string {
  let end = text.length
  while (end > 0 && text.charCodeAt(end - 1) === 47 /* `/` */) end--
  return text.slice(0, end)
}
