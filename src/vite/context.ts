import { createFilter } from 'vite'
import { asConfigError } from '../core/errors.js'
import { createImageBoss, type ImageBoss, type ImageBossOptions } from '../core/imageboss.js'
import { createOutputCheck, type OutputCheck } from '../core/output/index.js'
import type { Problem } from '../core/problems.js'
import { createVerifyKeys, trustOwnUrls, type VerifyKeys } from '../core/verify-urls.js'
import { checkExposedSecrets, loadImageBossEnv, type EnvConfig, type LoadEnv } from './env.js'

/** What the plugins read from Vite's resolved config. */
export interface ContextConfig extends EnvConfig {
  command: 'build' | 'serve'
  logger: { warn(message: string): void }
  publicDir?: string | false | undefined
  build?: { sourcemap?: boolean | 'inline' | 'hidden' | undefined; copyPublicDir?: boolean | undefined; outDir?: string | undefined; ssr?: unknown } | undefined
}

/** State shared by the plugins of one `imageboss()` call: one per build, never global. */
export interface Context {
  /**
   * Read the config, check secrets and create the resolver: bad options throw here.
   * `options` are the plugin's over those of `imageboss.config.*`.
   */
  configure(config: ContextConfig, loadEnv: LoadEnv, options: ImageBossOptions): void
  /** Whether the `include`/`exclude` options let the plugin sign the module of a file (its id without query). */
  accepts(file: string): boolean
  /** The resolver (one per plugin instance, shared by the client and SSR environments). */
  readonly imageboss: ImageBoss
  /** What the output check verifies URLs against: the same options and variables. */
  readonly keys: VerifyKeys
  /** The output check of this configuration (its warnings shown once). */
  readonly outputCheck: OutputCheck
  /** Whether this is a dev server (`vite`, `astro dev`), which anyone who reaches it can ask. */
  readonly serving: boolean
  /** Whether problems fail the build (at its end, all of them) rather than each module. */
  readonly production: boolean
  /** Project root, for positions in messages. */
  readonly root: string
  /** Whether transforms return source maps: in dev, and in builds that write maps. */
  readonly sourcemap: boolean
  /** The `public/` folder copied into the build, if any. */
  readonly publicDir: string | undefined
  /** The build's output folder (Vite 5; later versions have one per environment). */
  readonly outDir: string | undefined
  /** Whether the build is a server build (Vite 5's `build.ssr`). */
  readonly ssrBuild: boolean
  readonly logger: ContextConfig['logger']
  /** Located problems of a production build, reported together when the build ends. */
  readonly problems: Problem[]
  /** The module id and code frame of the first problem of each module. */
  readonly frames: WeakMap<Problem, { id: string; frame: string }>
}

/** Module ids to sign, or not: Vite's `createFilter` patterns. */
export type FilterPattern = ReadonlyArray<string | RegExp> | string | RegExp | null

/** The `include` and `exclude` options of the Vite plugin. */
export interface ModulePatterns {
  include?: FilterPattern | undefined
  exclude?: FilterPattern | undefined
}

/** The `include`/`exclude` test of module files, resolved from the project root as Vite resolves its own patterns. */
function moduleFilter(patterns: ModulePatterns, root: string): (id: unknown) => boolean {
  if (patterns.include == null && patterns.exclude == null) return () => true
  return createFilter(patterns.include, patterns.exclude, { resolve: root })
}

/** The resolver and the output check's keys of a configuration (bad options throw). */
function createResolverOf(
  config: ContextConfig,
  loadEnv: LoadEnv,
  options: ImageBossOptions,
  shared: ImageBoss | undefined
): { imageboss: ImageBoss; keys: VerifyKeys } {
  try {
    const env = options.env ?? loadImageBossEnv(config, loadEnv)
    checkExposedSecrets(config, loadEnv, options, env)
    const resolver =
      shared ??
      createImageBoss({
        ...options,
        env,
        production: options.production ?? config.command === 'build',
        onWarning: options.onWarning ?? ((warning) => config.logger.warn(`[imageboss] ${warning.ruleId}: ${warning.reason}`))
      })
    const keys = createVerifyKeys(options, env)
    // A resolver passed in may have been made with other options: its URLs get the HMAC.
    return { imageboss: resolver, keys: shared ? keys : trustOwnUrls(keys, resolver) }
  } catch (error) {
    throw asConfigError(error)
  }
}

export function createContext(shared: ImageBoss | undefined, patterns: ModulePatterns): Context {
  let imageboss: ImageBoss | undefined
  let keys: VerifyKeys | undefined
  let outputCheck: OutputCheck | undefined
  let configuredFor: string | undefined
  let root = process.cwd()
  let sourcemap = true
  let serving = false
  let publicDir: string | undefined
  let outDir: string | undefined
  let ssrBuild = false
  let logger: ContextConfig['logger'] = { warn: (message) => console.warn(message) }
  let accepts = moduleFilter(patterns, root)
  const problems: Problem[] = []

  return {
    configure(config, loadEnv, options) {
      // Vite may resolve the config again per environment (client, SSR): keep one resolver,
      // and with it the memo of signed references and the one missing-secret warning.
      const key = [config.command, config.mode, config.root, String(config.envDir), String(config.envPrefix)].join('\0')
      if (imageboss && key === configuredFor) return
      configuredFor = key
      root = config.root
      accepts = moduleFilter(patterns, config.root)
      logger = config.logger
      serving = config.command === 'serve'
      sourcemap = serving || Boolean(config.build?.sourcemap)
      publicDir = config.publicDir && config.build?.copyPublicDir !== false ? config.publicDir : undefined
      outDir = config.build?.outDir
      ssrBuild = Boolean(config.build?.ssr)
      const made = createResolverOf(config, loadEnv, options, shared)
      imageboss = made.imageboss
      keys = made.keys
      outputCheck = undefined
    },
    accepts(file) {
      return accepts(file)
    },
    get imageboss() {
      if (!imageboss) throw new Error('[imageboss] Expected `configResolved` to run before the plugin is used')
      return imageboss
    },
    get keys() {
      if (!keys) throw new Error('[imageboss] Expected `configResolved` to run before the plugin is used')
      return keys
    },
    get outputCheck() {
      if (!outputCheck) {
        outputCheck = createOutputCheck(this.keys)
        for (const warning of outputCheck.warnings) logger.warn(`[imageboss] ${warning.ruleId}: ${warning.reason}`)
      }
      return outputCheck
    },
    get production() {
      return this.imageboss.production
    },
    get root() {
      return root
    },
    get serving() {
      return serving
    },
    get sourcemap() {
      return sourcemap
    },
    get publicDir() {
      return publicDir
    },
    get outDir() {
      return outDir
    },
    get ssrBuild() {
      return ssrBuild
    },
    get logger() {
      return logger
    },
    problems,
    frames: new WeakMap()
  }
}
