import { loadOptions, loadOptionsSync } from './config-file.js'
import { checkExposedSecrets, readEnvFiles, type EnvFiles } from './env-files.js'
import { processEnvironment, productionByDefault, type Env } from './environment.js'
import { ImageBossError } from './errors.js'
import { createResolver, type ImageBoss, type ImageBossOptions } from './imageboss.js'
import { printWarning } from './options.js'
import { createVerifyKeys, trustOwnUrls, type VerifyKeys } from './verify-urls.js'

// The project loader: how every entry point (the Vite plugins, the Astro integration, the
// rehype and markdown-it plugins, Eleventy, the CLI) turns its options and its project into
// settings. Options given in code over those of `imageboss.config.{js,mjs,json}`; `IMAGEBOSS_*`
// variables from the environment, and from `.env` files where the host's convention reads
// them; production or not; warnings; the keys the output check verifies URLs with. No entry
// point reads a config file or the environment itself.

/** What an entry point knows of its project and run. */
export interface ProjectRequest {
  /** Where the nearest config file is looked for: the project root (Vite's `root`, the current directory). */
  root: string
  /** The options given to the entry point, over those of the config file (optional). */
  options?: ImageBossOptions | null | undefined
  /**
   * The config file: a path named by the user (the CLI's `--config`), `false` when `options`
   * are final already (a layer handed them by another), else the nearest from `root`.
   */
  configFile?: string | false | undefined
  /** The `.env` files of a Vite-based host; without them, the environment alone is read. */
  envFiles?: EnvFiles | undefined
  /**
   * Whether the run is a production build when the options do not say (Vite: `command ===
   * 'build'`; default: unless `NODE_ENV` is `development`).
   */
  production?: boolean | undefined
  /** Where warnings go when the options give no `onWarning` (default: printed, `[imageboss] rule-id: reason`). */
  onWarning?: ((warning: ImageBossError) => void) | undefined
  /** Called with every warning first, wherever it goes then (the rehype plugin adds it to the file being processed). */
  tap?: ((warning: ImageBossError) => void) | undefined
  /** Whether a `missing-secret` message may suggest the `secret` options (not for the CLI, which takes none; default: `true`). */
  secretOption?: boolean | undefined
  /** In production, fail here on a missing secret of the default source, once, rather than at each reference (the CLI, Eleventy). */
  secretNow?: boolean | undefined
  /** A resolver made already from the same options (the Astro integration's, shared with its Vite layer). */
  resolver?: ImageBoss | undefined
}

/** The settings of a project, for one run. */
export interface Project {
  /** The options as the user wrote them: those given over those of the config file. */
  readonly written: ImageBossOptions
  /** The options as the resolver has them: the written ones with `env`, `production` and `onWarning` set. */
  readonly options: ImageBossOptions
  /** The config file read (absolute), if any. */
  readonly configFile: string | undefined
  /** The `IMAGEBOSS_*` variables (and the rest of the environment) as read when the run began. */
  readonly env: Env
  readonly production: boolean
  /** The resolver of the run. */
  readonly imageboss: ImageBoss
  /**
   * A new resolver with the same options. A resolver memoises every URL it makes: a large file
   * is signed as it streams by a new one every few segments, so that memory follows the
   * references of a segment rather than of the file.
   */
  createImageBoss(): ImageBoss
  /** What the output check verifies URLs with: the same options and variables. */
  readonly keys: VerifyKeys
}

/**
 * Load a project's settings, for an entry point that may wait (Vite, Astro, Eleventy, the CLI).
 *
 * @throws {ImageBossError} `invalid-option`, `exposed-secret`, `changed-variable`,
 *   `expanded-variable` or, with `secretNow` in production, `missing-secret`.
 */
export async function loadProject(request: ProjectRequest): Promise<Project> {
  const { options, file } =
    request.configFile === false
      ? { options: request.options ?? {}, file: undefined }
      : await loadOptions(request.options, request.root, request.configFile ?? undefined)
  return settle(request, options, file)
}

/**
 * The same, for a host that takes its plugins synchronously (`md.use`, unified's `.use`):
 * `host` names it in the message that refuses a config module that waits.
 *
 * @throws {ImageBossError} as {@link loadProject}.
 */
export function loadProjectSync(request: ProjectRequest, host: string): Project {
  const { options, file } =
    request.configFile === false ? { options: request.options ?? {}, file: undefined } : loadOptionsSync(request.options, request.root, host)
  return settle(request, options, file)
}

function settle(request: ProjectRequest, given: ImageBossOptions, configFile: string | undefined): Project {
  const env = given.env ?? (request.envFiles ? readEnvFiles(request.envFiles) : processEnvironment())
  if (request.envFiles) checkExposedSecrets(request.envFiles, given, env)
  const production = given.production ?? request.production ?? productionByDefault(env)
  const sink = given.onWarning ?? request.onWarning ?? printWarning
  const tap = request.tap
  const onWarning = tap ? (warning: ImageBossError) => (tap(warning), sink(warning)) : sink
  const options: ImageBossOptions = { ...given, env, production, onWarning }
  const secretOption = request.secretOption ?? true
  const createImageBoss = () => createResolver(options, secretOption)
  const imageboss = request.resolver ?? createImageBoss()
  if (request.secretNow && production && (options.source ?? env.IMAGEBOSS_SOURCE) !== undefined) failOnMissingSecret(imageboss)
  const keys = createVerifyKeys(options, env)
  // A resolver made elsewhere may have other options: its URLs get the HMAC.
  return { written: given, options, configFile, env, production, imageboss, createImageBoss, keys: request.resolver ? keys : trustOwnUrls(keys, imageboss) }
}

/** A missing secret of the default source, as the first reference would meet it. */
function failOnMissingSecret(imageboss: ImageBoss): void {
  try {
    imageboss.resolve('imageboss:/x')
  } catch (error) {
    if (error instanceof ImageBossError && error.ruleId === 'missing-secret') throw error
  }
}
