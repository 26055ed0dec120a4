import path from 'node:path'
import { loadOptions } from '../core/config-file.js'
import { ImageBossError } from '../core/errors.js'
import { createResolver, type ImageBoss, type ImageBossOptions } from '../core/imageboss.js'
import { createVerifyKeys, type VerifyKeys } from '../core/verify-urls.js'

/** What decides the options: plain data, so a worker thread can load the same settings. */
export interface SettingsInput {
  cwd: string
  /** `--config`: a config file to use instead of searching (optional). */
  config?: string | undefined
  /** `--source` (optional). */
  source?: string | undefined
  /** `--base-url` (optional). */
  baseUrl?: string | undefined
}

export interface Settings {
  boss: ImageBoss
  /**
   * A new instance with the same options. An instance memoises every URL it makes: a large
   * HTML file is signed as it streams, by a new instance every few segments, so that memory
   * follows the references of a segment rather than of the file.
   */
  createBoss: () => ImageBoss
  keys: VerifyKeys
  /** The config file read, if any. */
  configFile: string | undefined
  /** The directory that file paths are relative to (`Io.cwd`). */
  cwd: string
}

/**
 * Options for the CLI: flags over the config file (`--config`, else the nearest from the
 * current directory, read as every entry point reads it), then `IMAGEBOSS_*` variables (the
 * core reads those for whatever is not set). The secrets come from the variables only: the
 * file may hold none, and a `missing-secret` message names the variables alone. The CLI is a
 * production build: a missing secret is an error unless the config file sets `production: false`.
 *
 * @throws {ImageBossError} `invalid-option`, `exposed-secret` or `missing-secret`.
 */
export async function loadSettings(input: SettingsInput, onWarning: (warning: ImageBossError) => void): Promise<Settings> {
  const named = input.config === undefined ? undefined : path.resolve(input.cwd, input.config)
  const { options, file: configFile } = await loadOptions({ source: input.source, baseUrl: input.baseUrl }, input.cwd, named)
  // A copy: instances made later (`createBoss`) see the variables as they were when the run began.
  const resolvers = createResolvers(options, { ...process.env }, options.production ?? true, onWarning, false)
  return { ...resolvers, configFile, cwd: input.cwd }
}

/**
 * The resolver, a factory of more with the same options, and the keys its URLs verify with,
 * for an entry point that signs files (the CLI, Eleventy's passthrough copies). In production
 * a missing secret of the default source fails here, once, rather than once per reference.
 *
 * @throws {ImageBossError} `invalid-option`, `exposed-secret` or `missing-secret`.
 */
export function createResolvers(
  options: ImageBossOptions,
  env: Record<string, string | undefined>,
  production: boolean,
  onWarning: (warning: ImageBossError) => void,
  secretOption: boolean
): Pick<Settings, 'boss' | 'createBoss' | 'keys'> {
  const createBoss = () => createResolver({ ...options, env, production, onWarning: options.onWarning ?? onWarning }, secretOption)
  const boss = createBoss()
  if ((options.source ?? env.IMAGEBOSS_SOURCE) !== undefined && production) {
    try {
      boss.resolve('imageboss:/x')
    } catch (error) {
      if (error instanceof ImageBossError && error.ruleId === 'missing-secret') throw error
    }
  }
  return { boss, createBoss, keys: createVerifyKeys(options, env) }
}
