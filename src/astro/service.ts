// Loaded by `astro.config`: nothing here may import `astro`, so that the config loads before
// Astro's own modules do and this package keeps `astro` an optional peer dependency.
import { checkOptionNames, type ImageBossOptions, type SourceOptions } from '../core/imageboss.js'
import { loadProjectSync } from '../core/project.js'

/** The module Astro loads as the image service. */
export const SERVICE_ENTRYPOINT = 'imageboss-build/astro/service-entry'

/**
 * Options of the image service: those of the core. `secret`, `sources[*].secret`, `env`
 * and `onWarning` never reach Astro's config (see {@link ImageBossServiceConfig}).
 */
export type ImageBossServiceOptions = ImageBossOptions

/**
 * What Astro keeps in `image.service.config` and writes, as JSON, into the server bundle:
 * the options without secrets, `env` or `onWarning`. When such private options were given,
 * `privateOptions` names the process-wide slot that holds them.
 */
export interface ImageBossServiceConfig {
  source?: string
  sources?: Record<string, Omit<SourceOptions, 'secret'>>
  baseUrl?: string
  defaults?: ImageBossOptions['defaults']
  presets?: ImageBossOptions['presets']
  extraOptions?: string[]
  production?: boolean
  /** Key of the options that stay in this process (secrets, `env`, `onWarning`) (optional). */
  privateOptions?: string
  /** Key of the integration's resolver in this process, set by `imageboss-build/astro` (optional). */
  instance?: string
}

/** What `image: { service }` takes. */
export interface ImageBossServiceDescriptor {
  entrypoint: string
  config: ImageBossServiceConfig
}

const PRIVATE_KEY = Symbol.for('imageboss-build/astro/service-options')

type Slot = { [PRIVATE_KEY]?: Map<string, ImageBossOptions> }

/**
 * Sign `<Image>` and `<Picture>` sources that are `imageboss:` references (or URLs this
 * package made from one) into ImageBoss URLs, `srcset` included; every other image goes to
 * Astro's sharp service.
 *
 * Secrets given here stay in the build (or dev) process: Astro serialises `config` into
 * its server bundle, so `config` never holds them. A page rendered on demand, on a server,
 * reads them from the `IMAGEBOSS_SECRET*` variables of that server instead. With the
 * `imageboss-build/astro` integration, its resolver (and its options) serve the service.
 *
 * Astro's transform goes into the reference: `width`/`height` become `w`/`h` (a prop wins; a
 * side no prop gives comes from the reference's `w`/`h`, scaled to its aspect ratio when it
 * has both, as written when it has only that side; `src` and every `srcset` candidate are
 * one crop, so `widths` need a width), `format` only when Astro passes one (`<Image>` without `format` keeps the reference's, or
 * `format:auto`; `<Picture>` always passes its formats and a `png` fallback), `quality`
 * as a number (`low` 25, `mid` 50, `high` 80, `max` 100), `fit` as a cover mode when the
 * reference has no `mode` (`contain` → `contain`, `inside`/`scale-down` → `inside`, others
 * plain `cover`). `widths`, `densities` and `layout` give one signed URL per candidate.
 *
 * @throws {ImageBossError} `invalid-option` or `exposed-secret` for bad settings.
 */
export function imagebossService(options?: ImageBossServiceOptions | null): ImageBossServiceDescriptor {
  const settings = options ?? {}
  checkOptionNames(settings, '`imagebossService()`')
  // Check the settings now, where the user wrote them, not at the first image. The variables
  // are checked too (a secret in a `PUBLIC_` variable is an error), the secrets are not needed.
  loadProjectSync({ root: '.', options: settings, configFile: false, production: false, onWarning() {} }, '`imagebossService()`')

  const config: ImageBossServiceConfig = {}
  if (settings.source !== undefined) config.source = settings.source
  if (settings.baseUrl !== undefined) config.baseUrl = settings.baseUrl
  if (settings.defaults !== undefined) config.defaults = { ...settings.defaults }
  if (settings.presets !== undefined) config.presets = { ...settings.presets }
  if (settings.extraOptions !== undefined) config.extraOptions = [...settings.extraOptions]
  if (settings.production !== undefined) config.production = settings.production

  let hasPrivate = settings.secret !== undefined || settings.env !== undefined || settings.onWarning !== undefined
  if (settings.sources !== undefined) {
    const sources: Record<string, Omit<SourceOptions, 'secret'>> = {}
    for (const [name, source] of Object.entries(settings.sources)) {
      const { secret, ...rest } = source
      if (secret !== undefined) hasPrivate = true
      sources[name] = rest
    }
    config.sources = sources
  }

  if (hasPrivate) {
    const store = privateStore()
    // A counter, not a random id: the config is part of the server bundle, whose hashes
    // should not change from one build to the next.
    const key = String(store.size + 1)
    store.set(key, settings)
    config.privateOptions = key
  }

  return { entrypoint: SERVICE_ENTRYPOINT, config }
}

/** Options given to `imagebossService()` in this process, by `config.privateOptions`. */
export function privateOptions(key: string | undefined): ImageBossOptions | undefined {
  return key === undefined ? undefined : privateStore().get(key)
}

function privateStore(): Map<string, ImageBossOptions> {
  // On `globalThis`: Astro bundles the service module into its server build, so that copy
  // and the one `astro.config` imported are different module instances in one process.
  const slot = globalThis as Slot
  slot[PRIVATE_KEY] ??= new Map()
  return slot[PRIVATE_KEY]
}
