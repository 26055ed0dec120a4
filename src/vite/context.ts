import { ImageBossError } from '../core/errors.js'
import { createImageBoss, type ImageBoss, type ImageBossOptions } from '../core/imageboss.js'
import type { Problem } from '../core/problems.js'
import { createVerifyKeys, type VerifyKeys } from '../core/verify-urls.js'
import { checkExposedSecrets, loadImageBossEnv, type EnvConfig, type LoadEnv } from './env.js'

/** What the plugins read from Vite's resolved config. */
export interface ContextConfig extends EnvConfig {
  command: 'build' | 'serve'
  logger: { warn(message: string): void }
  publicDir?: string | false | undefined
  build?: { sourcemap?: boolean | 'inline' | 'hidden' | undefined; copyPublicDir?: boolean | undefined } | undefined
}

/** State shared by the plugins of one `imageboss()` call: one per build, never global. */
export interface Context {
  /**
   * Read the config, check secrets and create the resolver: bad options throw here.
   * `fileOptions` (from `imageboss.config.*`) replace the plugin's options when given.
   */
  configure(config: ContextConfig, loadEnv: LoadEnv, fileOptions?: ImageBossOptions): void
  /** The resolver (one per plugin instance, shared by the client and SSR environments). */
  readonly imageboss: ImageBoss
  /** What the output check verifies URLs against: the same options and variables. */
  readonly keys: VerifyKeys
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
  readonly logger: ContextConfig['logger']
  /** Located problems of a production build, reported together when the build ends. */
  readonly problems: Problem[]
  /** The module id and code frame of the first problem of each module. */
  readonly frames: WeakMap<Problem, { id: string; frame: string }>
}

export function createContext(pluginOptions: ImageBossOptions, shared?: ImageBoss): Context {
  let imageboss: ImageBoss | undefined
  let keys: VerifyKeys | undefined
  let configuredFor: string | undefined
  let root = process.cwd()
  let sourcemap = true
  let serving = false
  let publicDir: string | undefined
  let logger: ContextConfig['logger'] = { warn: (message) => console.warn(message) }
  const problems: Problem[] = []

  return {
    configure(config, loadEnv, fileOptions) {
      const options = fileOptions ?? pluginOptions
      // Vite may resolve the config again per environment (client, SSR): keep one resolver,
      // and with it the memo of signed references and the one missing-secret warning.
      const key = [config.command, config.mode, config.root, String(config.envDir), String(config.envPrefix)].join('\0')
      if (imageboss && key === configuredFor) return
      configuredFor = key
      root = config.root
      logger = config.logger
      serving = config.command === 'serve'
      sourcemap = serving || Boolean(config.build?.sourcemap)
      publicDir = config.publicDir && config.build?.copyPublicDir !== false ? config.publicDir : undefined
      try {
        const env = options.env ?? loadImageBossEnv(config, loadEnv)
        checkExposedSecrets(config, loadEnv, options, env)
        const resolver = shared ?? createImageBoss({
          ...options,
          env,
          production: options.production ?? config.command === 'build',
          onWarning: options.onWarning ?? ((warning) => config.logger.warn(`[imageboss] ${warning.ruleId}: ${warning.reason}`))
        })
        imageboss = resolver
        keys = createVerifyKeys(options, env)
        // A signed URL that this plugin's own resolver made (the same options and variables
        // as the keys) needs no second HMAC in the output check.
        if (!shared) keys.made = (url) => url.includes('bossToken=') && resolver.referenceOf(url) !== undefined
      } catch (error) {
        // Configuration mistakes stop Vite at once, with the rule id in front and no stack of
        // this package's frames: the mistake is in the configuration, not here.
        if (error instanceof ImageBossError) {
          error.message = `[imageboss] ${error.ruleId}: ${error.reason}`
          error.stack = `${error.name}: ${error.message}`
        }
        throw error
      }
    },
    get imageboss() {
      if (!imageboss) throw new Error('[imageboss] Expected `configResolved` to run before the plugin is used')
      return imageboss
    },
    get keys() {
      if (!keys) throw new Error('[imageboss] Expected `configResolved` to run before the plugin is used')
      return keys
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
    get logger() {
      return logger
    },
    problems,
    frames: new WeakMap()
  }
}
