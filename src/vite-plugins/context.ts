import { createFilter } from 'vite'
import type { EnvFiles, LoadEnv } from '../core/env-files.js'
import { asConfigError } from '../core/errors.js'
import type { ImageBoss, ImageBossOptions } from '../core/imageboss.js'
import { createOutputCheck, type OutputCheck } from '../core/output/index.js'
import { formatProblem, prefixed, type Problem } from '../core/problems.js'
import { loadProject } from '../core/project.js'
import type { VerifyKeys } from '../core/verify-urls.js'

/** What the plugins read from Vite's resolved config. */
export interface ContextConfig extends Omit<EnvFiles, 'loadEnv' | 'copiedToProcess'> {
  command: 'build' | 'serve'
  logger: { warn(message: string): void }
  publicDir?: string | false | undefined
  build?: { sourcemap?: boolean | 'inline' | 'hidden' | undefined; copyPublicDir?: boolean | undefined; outDir?: string | undefined; ssr?: unknown } | undefined
}

/** State shared by the plugins of one `imageboss()` call: one per build, never global. */
export interface Context {
  /**
   * Load the project (the plugin's options over those of `imageboss.config.*`, `.env` files
   * and the environment), check secrets and create the resolver: bad options throw here.
   */
  configure(config: ContextConfig, loadEnv: LoadEnv, options: ImageBossOptions): Promise<void>
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

export function createContext(shared: ImageBoss | undefined, patterns: ModulePatterns): Context {
  let imageboss: ImageBoss | undefined
  let keys: VerifyKeys | undefined
  let outputCheck: OutputCheck | undefined
  let configuredFor: string | undefined
  let loaded: Promise<void> | undefined
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
    async configure(config, loadEnv, options) {
      // Vite may resolve the config again per environment (client, SSR): keep one resolver,
      // and with it the memo of signed references and the one missing-secret warning.
      const key = [config.command, config.mode, config.root, String(config.envDir), String(config.envPrefix)].join('\0')
      if (loaded && key === configuredFor) return loaded
      configuredFor = key
      root = config.root
      accepts = moduleFilter(patterns, config.root)
      logger = config.logger
      serving = config.command === 'serve'
      sourcemap = serving || Boolean(config.build?.sourcemap)
      publicDir = config.publicDir && config.build?.copyPublicDir !== false ? config.publicDir : undefined
      outDir = config.build?.outDir
      ssrBuild = Boolean(config.build?.ssr)
      loaded = loadProject({
        root: config.root,
        options,
        // A resolver handed in came with its options, config file included.
        configFile: shared ? false : undefined,
        envFiles: { loadEnv, mode: config.mode, root: config.root, envDir: config.envDir, envPrefix: config.envPrefix },
        production: config.command === 'build',
        onWarning: (warning) => config.logger.warn(prefixed(formatProblem(warning))),
        resolver: shared
      }).then(
        (project) => {
          imageboss = project.imageboss
          keys = project.keys
          outputCheck = undefined
        },
        (error: unknown) => {
          throw asConfigError(error)
        }
      )
      return loaded
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
        for (const warning of outputCheck.warnings) logger.warn(prefixed(formatProblem(warning)))
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
