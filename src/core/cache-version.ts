import { createHash, createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { findConfigFile } from './config-file.js'
import { liveEnvironment, type Env } from './environment.js'
import type { ImageBossOptions } from './imageboss.js'

/** What a build's signed output depends on. */
export interface SettingsInput {
  /** The project's root, where `imageboss.config.*` is looked for. */
  root: string
  /** The options written in the build's configuration. */
  options: ImageBossOptions
  /** Whether the build is a production one (problems fail it). */
  production: boolean
  /** The environment the settings are read from (default: the process's). */
  env?: Env | undefined
}

/**
 * What a build's signed output depends on, as a short hash: the options written, the bytes of
 * `imageboss.config.*`, the `IMAGEBOSS_*` variables and production, each secret in it as an
 * HMAC. A bundler's persistent cache keeps signed modules across runs; given this in its
 * version, it drops them when one of these changes (a rotated secret, another preset).
 * Synchronous: a bundler's plugin gives the version before the compiler is made.
 */
export function settingsDigest({ root, options, production, env = liveEnvironment() }: SettingsInput): string {
  const file = findConfigFile(root)
  const variables = Object.fromEntries(
    Object.keys(env)
      .filter((name) => name.startsWith('IMAGEBOSS_'))
      .sort()
      .map((name) => [name, env[name]])
  )
  const config = file === undefined ? null : { file, sha256: createHash('sha256').update(readFileSync(file)).digest('hex') }
  const text = JSON.stringify({ options, config, variables, production }, (key, value: unknown) =>
    /secret/i.test(key) && typeof value === 'string' ? createHmac('sha256', value).update('imageboss-build cache version').digest('hex') : value
  )
  return createHash('sha256').update(text).digest('hex').slice(0, 16)
}

/** What a bundler's configuration holds of its persistent cache. */
export interface BundlerCacheOptions {
  cache?: unknown
  experiments?: unknown
}

/**
 * Give the persistent cache of a webpack or Rspack configuration the settings' digest in its
 * version (the configuration is changed in place): webpack's `cache: { type: 'filesystem' }`,
 * Rspack's `persistent` cache in either place Rspack has had it (`experiments.cache` in 1.x,
 * `cache` from 2.0). Both read the version once a plugin has been applied. Without a
 * persistent cache, nothing changes.
 */
export function versionPersistentCache(options: BundlerCacheOptions, digest: string): void {
  const cache =
    persistentCache(options.cache, ['filesystem', 'persistent']) ??
    persistentCache((options.experiments as { cache?: unknown } | undefined)?.cache, ['persistent'])
  if (!cache) return
  const suffix = `imageboss-${digest}`
  cache.version = typeof cache.version === 'string' && cache.version !== '' ? `${cache.version}-${suffix}` : suffix
}

function persistentCache(cache: unknown, types: readonly string[]): { version?: unknown } | undefined {
  if (!cache || typeof cache !== 'object') return undefined
  const { type } = cache as { type?: unknown }
  return typeof type === 'string' && types.includes(type) ? (cache as { version?: unknown }) : undefined
}
