import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { AstroConfig, AstroIntegration, AstroIntegrationLogger, HookParameters } from 'astro'
import { loadEnv } from 'vite'
import type { Env } from '../core/environment.js'
import { asConfigError, withoutFrames, type RuleId } from '../core/errors.js'
import type { ImageBoss, ImageBossOptions } from '../core/imageboss.js'
import { createOutputCheck } from '../core/output/index.js'
import { checkTree, removeFlagged } from '../site/check.js'
import { formatProblem, presentProblems, type Problem } from '../core/problems.js'
import { loadProject, type Project } from '../core/project.js'
import type { VerifyKeys } from '../core/verify-urls.js'
import { createTransform } from '../hast/transform.js'
import { createPlugins } from '../vite-plugins/plugin.js'
import { clearFailureMarker, fingerprintOf, readFailureMarker, writeFailureMarker } from './build-state.js'
import { isMdx, markdownError, markdownFailuresPlugin, type MarkdownFailure } from './markdown-failures.js'
import { createSatteriPlugin } from './satteri.js'
import { SERVICE_ENTRYPOINT } from './service.js'
import { newInstanceKey, setSharedState } from './shared.js'

/** Options of the integration: those shared by every entry point of `imageboss-build`. */
export type Options = ImageBossOptions

const emptyOptions: Options = {}

type AstroVitePlugins = NonNullable<NonNullable<AstroConfig['vite']>['plugins']>

/** The parts of Astro 7's `markdown.processor` this integration extends. */
interface MarkdownProcessor {
  name: string
  options: { hastPlugins?: unknown[]; rehypePlugins?: unknown[] }
}

/** What the hooks share, from the config setup to the end of the build. */
interface State {
  /** The options given, which win over the project's config file. */
  options: Options | null | undefined
  settings: Options
  shared: ImageBoss | undefined
  keys: VerifyKeys | undefined
  logger: AstroIntegrationLogger | undefined
  /** Route pattern → the page that renders it, to name sources in warnings. */
  pages: Map<string, string>
  /**
   * Production problems of Markdown and MDX documents (markdown-failures.ts): thrown by the
   * Vite layer for a page module, or at the next build hook for content-collection entries.
   */
  failures: MarkdownFailure[]
  /** The key of this integration's entry in the shared slot (one per build or dev server). */
  instance?: string | undefined
  /** The site's root, output folders (`file:` URLs) and Astro's `cacheDir`, once set up. */
  root?: string | undefined
  dirs?: string[] | undefined
  cacheDir?: URL | undefined
}

function createState(options: Options | null | undefined, instance?: string): State {
  return { options, settings: options ?? emptyOptions, shared: undefined, keys: undefined, logger: undefined, pages: new Map(), failures: [], instance }
}

/** Reports a document's located problems; in production, keeps its failure, and throws it for MDX. */
type ReportMarkdown = (file: string, problems: Problem[]) => void

/**
 * Sign every static `imageboss:` reference of an Astro site: `.astro` templates (attributes,
 * `<style>`, frontmatter strings), Markdown and MDX (pages, layouts and content collections),
 * and `import url from 'imageboss:…'`. One resolver serves the Vite layer, the Markdown
 * layer and the image service, made from `IMAGEBOSS_*` in the environment and the site's
 * `.env` files (the environment wins); `astro build` is a production build.
 *
 * @param options Configuration (optional).
 */
export default function imageboss(options?: Options | null): AstroIntegration {
  // One state per build or dev server (each `astro:config:setup`): an instance reused by
  // builds one after another, or by two at once, never mixes their resolvers or problems.
  const runs = new Set<State>()
  let state = createState(options)
  let instance: string | undefined

  return {
    name: 'imageboss-build',
    hooks: {
      async 'astro:config:setup'(parameters) {
        const root = fileURLToPath(parameters.config.root)
        for (const run of runs) if (run.root === root) runs.delete(run)
        // The key by which the service and runtime find this run's resolver: the same one
        // again, unless another site's build with this instance is still under way.
        const key = runs.size > 0 ? newInstanceKey() : (instance ??= newInstanceKey())
        state = createState(options, key)
        runs.add(state)
        await setup(state, parameters)
      },

      'astro:routes:resolved'({ routes }) {
        state.pages.clear()
        for (const route of routes) state.pages.set(route.pattern, route.entrypoint)
      },

      'astro:build:start'() {
        failIfAny(state)
      },

      async 'astro:build:done'(parameters) {
        const run = runOf(runs, parameters.dir) ?? state
        try {
          await buildDone(run, parameters)
          if (run.cacheDir) clearFailureMarker(run.cacheDir)
        } catch (error) {
          if (run.cacheDir) writeFailureMarker(run.cacheDir)
          throw error
        } finally {
          runs.delete(run)
          // The build is over: its resolver (and secret) leave the process-wide slot.
          if (run.instance !== undefined) setSharedState(run.instance, undefined)
        }
      }
    }
  }
}

/** The state of the build that writes to `dir`. */
function runOf(runs: ReadonlySet<State>, dir: URL): State | undefined {
  for (const run of runs) if (run.dirs?.includes(dir.href)) return run
  return undefined
}

function failIfAny(state: State): void {
  if (state.failures.length > 0) throw markdownError(state.failures)
}

/** `astro:config:setup`: the shared resolver, then the Markdown and Vite layers that use it. */
async function setup(state: State, { config, command, updateConfig, addMiddleware, logger }: HookParameters<'astro:config:setup'>): Promise<void> {
  state.logger = logger
  state.root = fileURLToPath(config.root)
  state.dirs = [config.outDir.href, config.build.client.href]
  state.cacheDir = config.cacheDir
  const { imageboss, env } = await createSharedResolver(state, config, command, logger)

  // Astro keeps rendered content-collection entries until its config changes: the
  // settings' fingerprint (a hash, never a secret) in the Markdown config makes a new
  // secret or source re-render them, and so does a failed build (build-state.ts).
  const cacheDir = config.cacheDir
  // `env` enters as its `IMAGEBOSS_*` variables, secrets keyed: not as given, where a secret would be plain.
  const fingerprint = fingerprintOf({ ...state.settings, env: undefined }, env, imageboss.production, readFailureMarker(cacheDir))
  const report: ReportMarkdown = (file, problems) => {
    const message = reportMarkdown(imageboss.production, problems, logger)
    if (!message) return
    const first = problems[0]?.place
    const failure: MarkdownFailure = { file, message, line: first?.line ?? 1, column: first?.column ?? 1 }
    state.failures.push(failure)
    // The content store keeps the entry as it was rendered: the next build renders it again.
    writeFailureMarker(cacheDir)
    if (isMdx(file)) throw markdownError([failure])
  }
  installMarkdownPlugin(config, updateConfig, imageboss, fingerprint, report)
  installVitePlugins(config, updateConfig, { ...state.settings, env, production: imageboss.production }, imageboss, state.instance as string, state.failures)
  // Each prerendered page checked as it renders: an unsigned value fails its page, which is
  // then never written to `dist/` (the output check at the end stays the last word).
  if (command === 'build') addMiddleware({ order: 'post', entrypoint: new URL('./middleware.js', import.meta.url) })
}

/**
 * The one resolver of the Vite layer, the Markdown layer and the image service, with the
 * environment it was made from; the options given win over the project's config file.
 */
async function createSharedResolver(
  state: State,
  config: AstroConfig,
  command: HookParameters<'astro:config:setup'>['command'],
  logger: AstroIntegrationLogger
): Promise<{ imageboss: ImageBoss; env: Env }> {
  const root = fileURLToPath(config.root)
  const vite = config.vite as { envDir?: unknown; envPrefix?: string | string[] } | undefined
  let project: Project
  try {
    // As Vite's `loadEnv` would give them, with the environment winning: read once, so the
    // Vite and Markdown layers see the same values whichever runs first. Astro copies the
    // `.env` values into `process.env` as its build starts (`copiedToProcess`).
    project = await loadProject({
      root,
      options: state.options,
      envFiles: {
        loadEnv,
        mode: command === 'build' ? 'production' : 'development',
        root,
        envDir: typeof vite?.envDir === 'string' ? path.resolve(root, vite.envDir) : root,
        envPrefix: vite?.envPrefix ?? 'PUBLIC_',
        copiedToProcess: true
      },
      production: command === 'build',
      onWarning: (warning) => logger.warn(formatProblem(warning))
    })
    state.settings = project.written
    state.shared = project.imageboss
    state.keys = project.keys
  } catch (error) {
    throw asConfigError(error)
  }
  const imageboss = state.shared
  const env = project.env
  state.instance ??= newInstanceKey()
  // `pages` (filled when Astro resolves its routes) turns on the page check of a build.
  setSharedState(state.instance, { imageboss, pages: command === 'build' ? state.pages : undefined })
  return { imageboss, env }
}

/** The Markdown layer: a hast plugin of Astro 7's Sätteri, else a rehype plugin. */
function installMarkdownPlugin(
  config: AstroConfig,
  updateConfig: HookParameters<'astro:config:setup'>['updateConfig'],
  imageboss: ImageBoss,
  fingerprint: string,
  report: ReportMarkdown
): void {
  const markdown = config.markdown as typeof config.markdown & { processor?: MarkdownProcessor }
  const processor = markdown.processor
  if (processor?.name === 'satteri') {
    // Astro 7: Sätteri runs its own hast plugins, for `.md` and (inherited) `.mdx`.
    const plugin = createSatteriPlugin(imageboss, (problems, file, source) => {
      const offset = lineOffset(file, source)
      report(
        file,
        problems.map((p) => ({ ...p.problem, place: { file, line: (p.place?.start.line ?? 1) + offset, column: p.place?.start.column ?? 1 } }))
      )
    })
    ;(processor.options.hastPlugins ??= []).push({ ...plugin, fingerprint })
  } else {
    const attacher = () => markdownTransform(imageboss, report)
    if (processor?.name === 'unified') (processor.options.rehypePlugins ??= []).push([attacher, { fingerprint }])
    // Astro 5 and 6 (and `@astrojs/mdx`, which inherits them): rehype plugins. They run
    // on hast, after Astro collected remote images, so a signed URL is never fetched.
    else updateConfig({ markdown: { rehypePlugins: [[attacher, { fingerprint }]] } })
  }
}

/** The Vite layer: `.astro` templates, styles, scripts and `imageboss:` imports. */
function installVitePlugins(
  config: AstroConfig,
  updateConfig: HookParameters<'astro:config:setup'>['updateConfig'],
  settings: Options,
  imageboss: ImageBoss,
  instance: string,
  failures: readonly MarkdownFailure[]
): void {
  // Astro bundles its own Vite (6 in Astro 5, 7 in Astro 6): the plugins are the same
  // objects for each, but their types come from the Vite this package was built with.
  // With this package's image service, `<Image src="imageboss:…">` reaches the service as
  // the reference, so its props (`width`, `fit`) shape the URL.
  const service = (config.image as { service?: { entrypoint?: string } } | undefined)?.service?.entrypoint
  const keepSrcOf = service === SERVICE_ENTRYPOINT ? ['Image', 'Picture'] : undefined
  const plugins = [...createPlugins(settings, { imageboss, keepSrcOf }), markdownFailuresPlugin(failures)] as unknown as AstroVitePlugins
  if (service === SERVICE_ENTRYPOINT) {
    // The service finds this build's resolver by this key (no secret: a counter).
    const image = config.image as { service: { entrypoint: string; config?: Record<string, unknown> } }
    updateConfig({ image: { service: { entrypoint: SERVICE_ENTRYPOINT, config: { ...image.service.config, instance } } } } as Parameters<
      typeof updateConfig
    >[0])
  }
  updateConfig({
    vite: {
      plugins,
      // The runtime helper finds this build's resolver by this key, in the code Vite bundles.
      define: { __IMAGEBOSS_INSTANCE__: JSON.stringify(instance) },
      // Bundled for the server, so the image service's imports are Vite-processed, and
      // `astro` resolves once, from the site (also when this package is linked).
      ssr: { noExternal: ['imageboss-build'] },
      resolve: { dedupe: ['astro'] }
    }
  })
}

/** `astro:build:done`: fail on Markdown problems, then check every file the build wrote. */
async function buildDone(state: State, { dir, assets }: HookParameters<'astro:build:done'>): Promise<void> {
  failIfAny(state)
  const { shared, logger } = state
  if (!shared || !logger) return
  const sources = new Map<string, string>()
  for (const [pattern, urls] of assets) {
    const page = state.pages.get(pattern)
    if (page) for (const url of urls) sources.set(fileURLToPath(url), page)
  }
  const served = fileURLToPath(dir)
  const outDir = state.dirs?.[0] ? fileURLToPath(state.dirs[0]) : served
  const { problems, flagged } = checkBuiltSite(served.startsWith(outDir) ? outDir : served, served, sources, state.keys, logger)
  const error = presentProblems(problems, { production: shared.production, root: process.cwd(), warn: (line) => logger.warn(line) })
  if (error) {
    // A failed build leaves none of the files it flagged to be deployed.
    removeFlagged(flagged)
    throw withoutFrames(error)
  }
}

/** Report a document's located problems by the one policy; in production, the message of the error that fails the build. */
function reportMarkdown(production: boolean, problems: Problem[], logger: AstroIntegrationLogger): string | undefined {
  return presentProblems(problems, { production, root: process.cwd(), warn: (line) => logger.warn(line) })?.message
}

/** The rehype transform under Astro: problems go through `report`, which fails production. */
function markdownTransform(imageboss: ImageBoss, report: ReportMarkdown) {
  const transform = createTransform(imageboss)
  return function imagebossMarkdown(...args: Parameters<typeof transform>): undefined {
    const [, file] = args
    let failure: unknown
    try {
      transform(...args)
    } catch (error) {
      failure = error
    }
    // Every problem, without the summary that failed the file.
    const messages = file.messages.filter((message) => message.source === 'imageboss-build' && message !== failure)
    if (messages.length === 0) {
      if (failure) throw failure
      return
    }
    const offset = lineOffset(file.path, typeof file.value === 'string' ? file.value : undefined)
    report(
      file.path,
      messages.map((m) => ({
        ruleId: m.ruleId as RuleId,
        reason: m.reason,
        start: 0,
        end: 0,
        place: { file: file.path, line: (m.line ?? 1) + offset, column: m.column ?? 1 }
      }))
    )
  }
}

/**
 * How many lines of `file` precede `body`: content loaders hand Markdown over without its
 * frontmatter, so positions in the body are shifted by it.
 */
function lineOffset(file: string, body: string | undefined): number {
  if (!file || body === undefined) return 0
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return 0
  }
  const at = text === body ? 0 : text.indexOf(body)
  return at > 0 ? text.slice(0, at).split('\n').length - 1 : 0
}

/**
 * After a build, the output check on every file written (the independent one, on each file's
 * own bytes): references that reached the output unsigned (values computed at run time,
 * `<img src={someVar}>`, files of `public/`), ImageBoss URLs whose token is missing or does not
 * verify, and a secret in any encoding, in the client files and the server build alike.
 */
function checkBuiltSite(
  outDir: string,
  served: string,
  sources: Map<string, string>,
  keys: VerifyKeys | undefined,
  logger: AstroIntegrationLogger
): { problems: Problem[]; flagged: string[] } {
  if (!keys) return { problems: [], flagged: [] }
  const check = createOutputCheck(keys)
  for (const warning of check.warnings) logger.warn(formatProblem(warning))
  const inServed = (file: string) => !path.relative(served, file).startsWith('..')
  const show = (file: string) => path.relative(process.cwd(), file) + (sources.has(file) ? ` (rendered by ${sources.get(file)})` : '')
  const found = checkTree(outDir, check, { show, served: (relative) => inServed(path.join(outDir, relative)) })
  for (const warning of found.warnings) logger.warn(formatProblem(warning, process.cwd()))
  const rendered = [...sources.keys()].map((file) => show(file))
  const problems = found.problems.map((problem) => {
    const hint =
      problem.ruleId === 'leftover-reference' && rendered.includes(problem.place?.file ?? '')
        ? '; a value computed when the page renders is signed with `imagebossUrl(…)` from `imageboss-build/astro/runtime`'
        : ''
    return { ...problem, reason: `${problem.reason}${problem.reference ? ` (\`${problem.reference}\`)` : ''}${hint}` }
  })
  return { problems, flagged: found.flagged }
}
