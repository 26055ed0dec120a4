// What the plugin uses of webpack's and Rspack's compiler: the shared part of their hook API,
// written structurally so that neither bundler is imported.

interface Tap<Args extends unknown[], Result = void> {
  tap(name: string, fn: (...args: Args) => Result): void
}

interface PromiseTap<Args extends unknown[]> {
  tapPromise(name: string, fn: (...args: Args) => Promise<void>): void
}

/** What `normalModuleFactory.hooks.beforeResolve` is given. */
export interface ResolveData {
  request: string
  contextInfo?: { issuer?: string | undefined } | undefined
}

export interface Asset {
  name: string
  source: { source(): string | Uint8Array | ArrayBuffer }
}

export interface Compilation {
  errors: Error[]
  warnings: Error[]
  hooks: {
    processAssets: { tap(options: { name: string; stage: number }, fn: () => void): void }
  }
  getAssets(): readonly Asset[]
  deleteAsset(name: string): void
}

export interface Compiler {
  context: string
  watchMode?: boolean | undefined
  options: {
    mode?: string | undefined
    target?: unknown
    module: { rules: unknown[] }
    plugins?: unknown[] | undefined
    cache?: unknown
    experiments?: unknown
  }
  webpack: {
    Compilation: { PROCESS_ASSETS_STAGE_ANALYSE: number }
    WebpackError: new (message: string) => Error
  }
  hooks: {
    beforeCompile: PromiseTap<[unknown]>
    shutdown?: Tap<[]> | undefined
    thisCompilation: Tap<[Compilation, { normalModuleFactory: { hooks: { beforeResolve: Tap<[ResolveData], undefined> } } }]>
  }
  getInfrastructureLogger?: ((name: string) => { warn(message: string): void }) | undefined
}

/** What an HTML plugin's `beforeEmit` hands on: the page, its name, and the plugin with its template. */
export interface HtmlPluginData {
  html: string
  outputName: string
  plugin?: { options?: { template?: unknown } | undefined; userOptions?: { template?: unknown } | undefined } | undefined
}

export interface HtmlEmitHook {
  tapPromise(name: string, fn: (data: HtmlPluginData) => Promise<HtmlPluginData>): void
}
