import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { settingsDigest, versionPersistentCache } from '../core/cache-version.js'
import { applyEdits } from '../core/edits.js'
import { asConfigError, ImageBossError } from '../core/errors.js'
import { checkOptionNames, type ImageBoss, type ImageBossOptions } from '../core/imageboss.js'
import { createOutputCheck, type OutputCheck } from '../core/output/index.js'
import { formatProblem, prefixed, type Problem } from '../core/problems.js'
import { loadProject, type Project } from '../core/project.js'
import { scanText } from '../core/scan/index.js'
import { OWN_DIST_RE } from '../vite-plugins/filters.js'
import { locateProblems } from '../vite-plugins/problems.js'
import { importProblem, virtualModuleCode } from '../vite-plugins/virtual-module.js'
import type { Compilation, Compiler, HtmlEmitHook, HtmlPluginData } from './host.js'
import { PLACEHOLDER, transformModule } from './module.js'
import { registerState, unregisterState, type LoaderState } from './state.js'

export type { Compilation, Compiler, HtmlEmitHook } from './host.js'

/** A module condition of webpack's and Rspack's rules: an absolute path (a folder or a file) or a regular expression over it. */
export type ModuleCondition = string | RegExp | ReadonlyArray<string | RegExp>

/** Options of the webpack and Rspack plugins: those of the core, over those of `imageboss.config.*`, and which modules to sign. */
export interface ImageBossWebpackOptions extends ImageBossOptions {
  /** Modules to sign, as a rule's `include` (default: every module outside `node_modules`). */
  include?: ModuleCondition | undefined
  /**
   * Modules to leave as they are, as a rule's `exclude`; a reference of one that reaches the
   * output still fails the output check (optional).
   */
  exclude?: ModuleCondition | undefined
}

/** What webpack and Rspack differ in: the name shown, and the HTML plugins' hooks. */
export interface BundlerHost {
  /** The plugin's name in the bundler's hooks and messages. */
  name: string
  /** The `beforeEmit` hooks of the HTML plugins of a compilation (html-webpack-plugin, `HtmlRspackPlugin`). */
  htmlHooks(compiler: Compiler, compilation: Compilation): HtmlEmitHook[]
}

/** The bundler's plugin: `apply(compiler)`. */
export interface BundlerPlugin {
  apply(compiler: Compiler): void
}

const LOADER = fileURLToPath(new URL('./loader.js', import.meta.url))

/** Modules the loader signs once compiled (TypeScript and JSX compiled first). */
const SCRIPT_RE = /\.[cm]?[jt]sx?$/i
/** Stylesheets, signed before `css-loader` or the bundler's CSS resolves `url(imageboss:…)`. */
const CSS_RE = /\.css$/i
const EXCLUDE = [/[\\/]node_modules[\\/]/, OWN_DIST_RE]

/** The plugin of one `imageboss()` call. */
export function createBundlerPlugin(host: BundlerHost, options?: ImageBossWebpackOptions | null): BundlerPlugin {
  const { include, exclude, ...settings } = options ?? {}
  try {
    checkOptionNames(settings, '`imageboss()`')
  } catch (error) {
    throw asConfigError(error)
  }
  return {
    apply(compiler) {
      applyPlugin(host, settings, { include, exclude }, compiler)
    }
  }
}

function applyPlugin(host: BundlerHost, settings: ImageBossOptions, modules: Pick<ImageBossWebpackOptions, 'include' | 'exclude'>, compiler: Compiler): void {
  const root = compiler.context
  // The bundler's logger names the plugin itself (`<w> [imageboss] …`); the console does not.
  const logger = compiler.getInfrastructureLogger?.(host.name)
  const warn = logger ? (line: string) => logger.warn(line) : (line: string) => console.warn(prefixed(line))
  let project: Project | undefined
  let loading: Promise<void> | undefined
  let outputCheck: OutputCheck | undefined
  const ready = () => {
    if (!project) throw new Error(`[imageboss] Expected the ${host.name} plugin's settings to be loaded before a module is built`)
    return project
  }
  const failing = () => ready().production && !compiler.watchMode
  const report = (compilation: Compilation, problems: readonly Problem[]) => {
    for (const problem of problems) (failing() ? compilation.errors : compilation.warnings).push(problemError(compiler, problem, root))
  }

  const state: LoaderState = {
    get failing() {
      return failing()
    },
    transformModule(module) {
      return transformModule(ready().imageboss, module, root)
    }
  }
  const id = registerState(state)
  compiler.hooks.shutdown?.tap(host.name, () => unregisterState(id))
  // A persistent cache keeps signed modules from run to run (its key for a module is the rule's
  // place, not the loader's options): its version carries the settings, so that a rotated
  // secret or another preset rebuilds them.
  versionPersistentCache(compiler.options, settingsDigest({ root, options: settings, production: compiler.options.mode === 'production' }))

  const own =
    modules.exclude === undefined ? [] : typeof modules.exclude === 'string' || modules.exclude instanceof RegExp ? [modules.exclude] : modules.exclude
  const conditions = { ...(modules.include === undefined ? {} : { include: modules.include }), exclude: [...EXCLUDE, ...own] }
  compiler.options.module.rules.push(
    { test: SCRIPT_RE, ...conditions, enforce: 'post', use: [{ loader: LOADER, options: { id, kind: 'script' } }] },
    { test: CSS_RE, ...conditions, enforce: 'pre', use: [{ loader: LOADER, options: { id, kind: 'css' } }] }
  )

  const load = () =>
    (loading ??= loadProject({
      root,
      options: settings,
      production: compiler.options.mode === 'production',
      onWarning: (warning) => warn(formatProblem(warning))
    }).then(
      (loaded) => {
        project = loaded
      },
      (error: unknown) => {
        loading = undefined
        throw asConfigError(error)
      }
    ))
  // Before every compilation of this compiler: `run`, `watch` and the dev servers' alike.
  compiler.hooks.beforeCompile.tapPromise(host.name, load)

  compiler.hooks.thisCompilation.tap(host.name, (compilation, params) => {
    params.normalModuleFactory.hooks.beforeResolve.tap(host.name, (data) => {
      if (!data.request.startsWith('imageboss:')) return undefined
      const code = importedModule(ready().imageboss, data.request, data.contextInfo?.issuer, (problem) => report(compilation, [problem]))
      // A request no project file explains is left to the bundler, which reads no `imageboss:` scheme.
      if (code !== undefined) data.request = 'data:text/javascript;base64,' + Buffer.from(code, 'utf8').toString('base64')
      return undefined
    })

    for (const hook of host.htmlHooks(compiler, compilation))
      hook.tapPromise(host.name, async (data) => {
        const signed = signPage(ready().imageboss, data, root)
        report(compilation, signed.problems)
        data.html = signed.html
        return data
      })

    compilation.hooks.processAssets.tap({ name: host.name, stage: compiler.webpack.Compilation.PROCESS_ASSETS_STAGE_ANALYSE }, () => {
      if (!ready().production) return
      if (!outputCheck) {
        outputCheck = createOutputCheck(ready().keys)
        for (const warning of outputCheck.warnings) warn(formatProblem(warning))
      }
      const found = checkAssets(compilation, outputCheck, !isServerTarget(compiler.options.target))
      for (const name of found.flagged) compilation.deleteAsset(name)
      report(compilation, found.problems)
      for (const warning of found.warnings) compilation.warnings.push(problemError(compiler, warning, root))
    })
  })
}

/**
 * The module of `import … from 'imageboss:…'`, signed only when the importing file holds
 * the reference as written: a request that no project file makes (a crafted module id) signs
 * nothing. A reference that cannot be signed is reported at the import, its module a placeholder.
 */
function importedModule(imageboss: ImageBoss, request: string, issuer: string | undefined, onProblem: (problem: Problem) => void): string | undefined {
  if (!issuer || !isImportedBy(request, issuer)) return undefined
  try {
    return virtualModuleCode(imageboss.image(request))
  } catch (error) {
    if (!(error instanceof ImageBossError)) throw error
    onProblem(importProblem(error, request, issuer))
    return virtualModuleCode({ src: PLACEHOLDER })
  }
}

/** Whether `issuer` is a file of the project whose text holds `request` (its path, without query). */
function isImportedBy(request: string, issuer: string): boolean {
  const file = issuer.replace(/[?#].*$/s, '')
  if (!path.isAbsolute(file) || !existsSync(file)) return false
  try {
    return readFileSync(file, 'utf8').includes(request.replace(/[?#].*$/s, ''))
  } catch {
    return false
  }
}

/**
 * A page of an HTML plugin, signed. Its problems are found again in its template, where the
 * author wrote them, by the same scan of the template; else located in the page.
 */
function signPage(imageboss: ImageBoss, data: HtmlPluginData, root: string): { html: string; problems: Problem[] } {
  if (!data.html.includes('imageboss')) return { html: data.html, problems: [] }
  const result = scanText('html', data.html, { signer: imageboss, placeholder: imageboss.production ? PLACEHOLDER : undefined })
  const html = applyEdits(data.html, result.edits)
  if (result.problems.length === 0) return { html, problems: [] }
  const template = templateOf(data, root)
  let text: string | undefined
  try {
    text = template ? readFileSync(template, 'utf8') : undefined
  } catch {
    text = undefined
  }
  const own = template && text !== undefined ? scanText('html', text, { signer: imageboss }).problems : []
  const located =
    template && text !== undefined && own.length > 0
      ? locateProblems({ id: template, file: template, text }, own).located
      : locateProblems({ id: data.outputName, file: path.resolve(root, data.outputName), text: data.html }, result.problems).located
  return { html, problems: located }
}

/** The template file of an HTML plugin's page (html-webpack-plugin's request is `loader!file`). */
function templateOf(data: HtmlPluginData, root: string): string | undefined {
  const template = data.plugin?.options?.template ?? data.plugin?.userOptions?.template
  if (typeof template !== 'string' || template.length === 0) return undefined
  const file = template.slice(template.lastIndexOf('!') + 1).replace(/[?#].*$/s, '')
  return path.resolve(root, file)
}

/** The output check over every emitted asset: its problems located in the asset, which is left out when it fails. */
function checkAssets(compilation: Compilation, check: OutputCheck, served: boolean): { problems: Problem[]; warnings: Problem[]; flagged: string[] } {
  const found = { problems: [] as Problem[], warnings: [] as Problem[], flagged: [] as string[] }
  for (const asset of compilation.getAssets()) {
    const source = asset.source.source()
    const bytes = typeof source === 'string' ? Buffer.from(source, 'utf8') : new Uint8Array(source)
    let failed = false
    for (const problem of check.check({ name: asset.name, bytes, served })) {
      const warning = check.isWarning(problem)
      failed ||= !warning
      ;(warning ? found.warnings : found.problems).push(problem)
    }
    if (failed) found.flagged.push(asset.name)
  }
  return found
}

/** Whether the build is for a server (its bundles searched for secrets only, as they keep references for runtime signers). */
function isServerTarget(target: unknown): boolean {
  const targets = Array.isArray(target) ? target : [target]
  return targets.some((t) => typeof t === 'string' && /^(?:node|async-node|electron-main)/.test(t))
}

/** A problem as the bundler's error: its one located line. */
function problemError(compiler: Compiler, problem: Problem, root: string): Error {
  const error = new compiler.webpack.WebpackError(formatProblem(problem, root))
  error.name = 'ImageBossError'
  ;(error as { hideStack?: boolean }).hideStack = true
  return error
}
