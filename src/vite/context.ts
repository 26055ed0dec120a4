import { ImageBossError } from '../core/errors.js'
import { createImageBoss, type ImageBoss, type ImageBossOptions } from '../core/imageboss.js'
import { checkExposedSecrets, loadImageBossEnv, type EnvConfig, type LoadEnv } from './env.js'

/** What the plugins read from Vite's resolved config. */
export interface ContextConfig extends EnvConfig {
  command: 'build' | 'serve'
  logger: { warn(message: string): void }
}

/** State shared by the plugins of one `imageboss()` call. */
export interface Context {
  /**
   * Read the config, check secrets and create the resolver: bad options throw here.
   * `fileOptions` (from `imageboss.config.*`) replace the plugin's options when given.
   */
  configure(config: ContextConfig, loadEnv: LoadEnv, fileOptions?: ImageBossOptions): void
  /** The resolver (one per plugin instance, shared by the client and SSR environments). */
  readonly imageboss: ImageBoss
  /** Whether invalid and dynamic references fail the build. */
  readonly production: boolean
  /** Project root, for positions in messages. */
  readonly root: string
  readonly logger: ContextConfig['logger']
}

export function createContext(pluginOptions: ImageBossOptions, shared?: ImageBoss): Context {
  let imageboss: ImageBoss | undefined
  let configuredFor: string | undefined
  let root = process.cwd()
  let logger: ContextConfig['logger'] = { warn: (message) => console.warn(message) }

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
      try {
        const env = options.env ?? loadImageBossEnv(config, loadEnv)
        checkExposedSecrets(config, loadEnv, options, env)
        imageboss = shared ?? createImageBoss({
          ...options,
          env,
          production: options.production ?? config.command === 'build',
          onWarning: options.onWarning ?? ((warning) => config.logger.warn(`[imageboss] ${warning.ruleId}: ${warning.reason}`))
        })
      } catch (error) {
        // Configuration mistakes stop Vite at once, with the rule id in front.
        if (error instanceof ImageBossError) error.message = `[imageboss] ${error.ruleId}: ${error.reason}`
        throw error
      }
    },
    get imageboss() {
      if (!imageboss) throw new Error('[imageboss] Expected `configResolved` to run before the plugin is used')
      return imageboss
    },
    get production() {
      return this.imageboss.production
    },
    get root() {
      return root
    },
    get logger() {
      return logger
    }
  }
}
