import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { Program } from 'estree'
import { loadEnv, type Plugin, type ResolvedConfig, type Rollup, type ViteDevServer } from 'vite'
import { asConfigError, ImageBossError } from '../core/errors.js'
import { checkOptionNames, type ImageBoss, type ImageBossOptions } from '../core/imageboss.js'
import { formatProblem, prefixed, type Problem } from '../core/problems.js'
import { buildLockHooks } from './build-lock.js'
import { clientSigningPlugin } from './client-signing.js'
import { createContext, type Context, type FilterPattern } from './context.js'
import { cleanId, CSS_ID_RE, hasLineComments, isScript, OWN_DIST_RE, REFERENCE_RE, SCRIPT_EXCLUDE_RE, SCRIPT_ID_RE, VIRTUAL_ID_RE } from './filters.js'
import { checkBundle, checkPublicDir, type OutputItem } from './output-check.js'
import { createProblemsError, PLUGIN_NAME } from './problems.js'
import { markdownItOf, type MarkdownItOfVite } from './markdown-it.js'
import { rehypeOf, type RehypeOfVite } from './rehype.js'
import { svelteKitPlugins } from './sveltekit.js'
import { transformScript, transformText, type TransformResult, type Within } from './transform.js'
import { checkVitePressOutput, signVitePressHead } from './vitepress.js'
import { importProblem, referenceOfId, VIRTUAL_PREFIX, virtualModuleCode } from './virtual-module.js'

/**
 * Options of the Vite plugin: those of the core, where `env` defaults to the `IMAGEBOSS_*`
 * variables of `.env` files merged with `process.env` (which wins), and `production`
 * defaults to `true` for `vite build`; they win over those of the nearest
 * `imageboss.config.{js,mjs,json}` from Vite's `root`, key by key. And which modules to sign.
 */
export interface ImageBossPluginOptions extends ImageBossOptions {
  /**
   * Modules to sign: Vite `createFilter` patterns (globs resolved from Vite's `root`, or
   * regular expressions) matched against each module's file, without its query (default:
   * every module).
   */
  include?: FilterPattern | undefined
  /**
   * Modules to leave as they are, for modules that ship no reference (documentation, test
   * fixtures); a reference of one that reaches the build output still fails the output check
   * (optional).
   */
  exclude?: FilterPattern | undefined
}

/** Raw component files (no query: sub-requests are compiled blocks). */
const COMPONENT_ID_RE = /\.(?:vue|svelte|astro)$/
/** A component's `<style>` block served as a module of its own. */
const STYLE_BLOCK_ID_RE = /\.(?:vue|svelte|astro)\?(?:.*&)?type=style(?:&|$)/

/** Compiled components, whose compiler may run after this plugin. */
const MARKUP_ID_RE = /\.(?:svelte|vue)(?:$|\?)/

/** Output made by the transforms of this plugin: chunks, pages and stylesheets. */
const TRANSFORMED_OUTPUT_RE = /\.(?:html?|css|[cm]?js)$/

const FRONTMATTER_RE = /^\s*---[^\n]*\n(?:[\s\S]*?\n)?---[^\S\n]*(?:\n|$)/

/** Scripts with a reference, or with an import of this package (whose signers must stay off the browser). */
const SCRIPT_FILTER = { id: { include: SCRIPT_ID_RE, exclude: [SCRIPT_EXCLUDE_RE, CSS_ID_RE, OWN_DIST_RE] }, code: /imageboss(?::|-build)/ }

const emptyOptions: ImageBossPluginOptions = {}

/** The plugins of one `imageboss()` call, and a rehype plugin that signs with them. */
export interface ImageBossPlugins extends Array<Plugin> {
  /**
   * A rehype plugin for Markdown and MDX compiled in the same build
   * (`mdx({ rehypePlugins: [images.rehype] })`): it signs with this call's resolver, which
   * reads `.env` and the config as the Vite plugin does, and leaves code samples alone.
   */
  rehype: RehypeOfVite
  /**
   * A markdown-it plugin for the pages VitePress renders in the same build
   * (`markdown: { config: (md) => md.use(images.markdownIt) }`): it signs with this call's
   * resolver, `.env` and config included, pages' front matter too.
   */
  markdownIt: MarkdownItOfVite
}

/** What another entry point of this package can hand the plugins. */
export interface SharedResolver {
  /** A resolver made by the caller, used instead of one made from Vite's config and `.env`. */
  imageboss: ImageBoss
  /**
   * Components whose `src` prop is left as the reference, for a later stage that needs it
   * whole (Astro's `<Image>` and `<Picture>` with this package's image service) (optional).
   */
  keepSrcOf?: readonly string[] | undefined
}

/** State of one `imageboss()` call, shared by its plugins: one per build, never global. */
interface Plugins {
  context: Context
  /** The options given, without `include` and `exclude`. */
  options: ImageBossOptions
  shared: SharedResolver | undefined
  /** Components listed before their compiler (`[imageboss(), svelte()]`), signed after it. */
  deferred: Set<string>
}

/** The plugins, optionally around a resolver shared with other layers (the Astro integration). */
export function createPlugins(options?: ImageBossPluginOptions | null, shared?: SharedResolver): ImageBossPlugins {
  const { include, exclude, ...settings } = options ?? emptyOptions
  try {
    checkOptionNames(settings, '`imageboss()`')
  } catch (error) {
    throw asConfigError(error)
  }
  const state: Plugins = { context: createContext(shared?.imageboss, { include, exclude }), options: settings, shared, deferred: new Set() }
  const html = htmlPlugin(state.context)
  const plugins = [
    mainPlugin(state),
    clientSigningPlugin(state.context),
    componentsPlugin(state),
    html,
    cssPlugin(state.context),
    markupPlugin(state.context),
    ...svelteKitPlugins(state.context, html)
  ]
  return Object.assign(plugins, { rehype: rehypeOf(state.context), markdownIt: markdownItOf(state.context) })
}

/** Throw every problem collected in a production build, as one error located at the first. */
function failWithProblems(context: Context, plugin: { error(error: Error): never }, problems: Problem[]): void {
  if (problems.length === 0) return
  const first = problems[0] as Problem
  const module = context.frames.get(first)
  const error = createProblemsError(module?.id ?? first.place?.file ?? '', problems, module?.frame ?? '', context.root)
  problems.length = 0
  plugin.error(error)
}

/** Config, `import … from 'imageboss:…'`, compiled scripts, and the checks that end a build. */
function mainPlugin(state: Plugins): Plugin {
  const { context } = state
  /** Virtual module id → the module that imported it, to locate its problems. */
  const importers = new Map<string, string>()
  /**
   * References that a project module imports: the only ones the dev server signs on request.
   * Anyone who can reach the server can ask for `/@id/__x00__imageboss:/any/path.jpg`; without
   * this, the server would sign any path with the secret.
   */
  const imported = new Set<string>()
  // One project's build at a time (build-lock.ts).
  const lock = buildLockHooks(() => context.serving)
  return {
    name: PLUGIN_NAME,
    async configResolved(config) {
      lock.configResolved(config)
      await configure(state, config)
    },
    buildStart() {
      lock.buildStart(this)
    },
    closeBundle() {
      lock.closeBundle(this)
    },
    configureServer(server) {
      refuseUnimported(server, imported)
    },
    resolveId: {
      filter: { id: /^(?:\0)?imageboss:/ },
      handler(source, importer) {
        if (source.startsWith(VIRTUAL_PREFIX)) return source
        if (!source.startsWith('imageboss:')) return null
        const id = '\0' + source
        if (importer) {
          importers.set(id, importer)
          if (isImportedBy(source, importer)) imported.add(referenceOfId(id) as string)
        }
        return id
      }
    },
    load: {
      filter: { id: VIRTUAL_ID_RE },
      handler(id) {
        const reference = referenceOfId(id)
        if (reference === undefined) return null
        // A request no project module explains: not found, and nothing signed.
        if (context.serving && !imported.has(reference)) return null
        try {
          return { code: virtualModuleCode(context.imageboss.image(reference)), map: null }
        } catch (error) {
          if (!(error instanceof ImageBossError)) throw error
          const problem = importProblem(error, reference, importers.get(id))
          if (!context.production) return this.error(createProblemsError(importers.get(id) ?? id, [problem], '', context.root))
          context.problems.push(problem)
          return { code: virtualModuleCode({ src: 'data:,' }), map: null }
        }
      }
    },
    transform: {
      filter: SCRIPT_FILTER,
      handler(code, id, transformOptions) {
        // Vite before 6.3 ignores `filter`.
        if (!code.includes('imageboss') || !isScript(id) || !context.accepts(cleanId(id))) return null
        const client = isClient(this, transformOptions)
        // A component whose compiler runs after this plugin: sign it once compiled.
        return signScript(state, this, code, id, client, () => (MARKUP_ID_RE.test(id) ? state.deferred.add(id) : warnUnparsed(this, id)))
      }
    },
    generateBundle: {
      // After Vite's own hooks, which emit the HTML and CSS assets here.
      order: 'post',
      handler(_, bundle) {
        endBundle(context, this, bundle)
      }
    }
  }
}

/** A dev-server request for a reference that no module imports: not found, and not signed. */
function refuseUnimported(server: ViteDevServer, imported: ReadonlySet<string>): void {
  // Before Vite's own middlewares, whose SPA fallback would answer any path with a page.
  server.middlewares.use((request, response, next) => {
    const reference = requestedReference(request.url)
    if (reference === undefined || imported.has(reference)) return next()
    response.statusCode = 404
    response.setHeader('Content-Type', 'text/plain; charset=utf-8')
    response.end('Not found: no module of this project imports this `imageboss:` reference, so the dev server does not sign it.\n')
  })
}

/**
 * The end of a bundle: every problem of every module (placeholders stood in for their
 * references), and what the output check finds in the emitted files, in one run. Flagged
 * files are left out of the output. Client bundles are checked for everything; server
 * bundles, which keep references for runtime signers, for secrets.
 */
function endBundle(context: Context, plugin: Rollup.PluginContext, bundle: Rollup.OutputBundle): void {
  const found = context.problems.splice(0)
  if (context.production) {
    const environment = plugin.environment?.config
    const served = environment ? environment.consumer === 'client' : !context.ssrBuild
    const output = checkBundle(Object.values(bundle) as OutputItem[], context.outputCheck, served, context.root)
    for (const file of output.flagged) delete bundle[file]
    const outDir = environment?.build.outDir ?? context.outDir
    const copied =
      served && context.publicDir && outDir
        ? checkPublicDir(context.publicDir, path.resolve(context.root, outDir), context.outputCheck, context.root)
        : undefined
    for (const warning of [...output.warnings, ...(copied?.warnings ?? [])]) context.logger.warn(prefixed(formatProblem(warning, context.root)))
    // What was reported at its source (a dynamic reference, prose) is not reported again in
    // the chunk or page made from it; a secret, and files no transform sees (`public/`, SVG), are.
    const fromSource = (p: Problem) => found.length > 0 && p.ruleId !== 'secret-in-output' && TRANSFORMED_OUTPUT_RE.test(p.place?.file ?? '')
    found.push(...output.problems.filter((p) => !fromSource(p)), ...(copied?.problems ?? []))
  }
  failWithProblems(context, plugin, found)
}

/** `configResolved`: the options, the context made from them and Vite's config, and VitePress's `head`. */
async function configure(state: Plugins, config: ResolvedConfig): Promise<void> {
  await state.context.configure(config, loadEnv, state.options)
  // VitePress writes the config's `head` into its pages itself, past every Vite hook.
  signVitePressHead(config as { vitepress?: unknown }, state.context)
  checkVitePressOutput(config as { vitepress?: unknown }, state.context)
}

/**
 * Whether `importer` is a module whose file holds the import of `source`: an import that a
 * project file wrote, not one a request made up. Virtual importers (no file) are plugins' own.
 */
function isImportedBy(source: string, importer: string): boolean {
  const file = cleanId(importer)
  if (file.startsWith('\0') || !existsSync(file)) return true
  try {
    return readFileSync(file, 'utf8').includes(source.replace(/[?#].*$/s, ''))
  } catch {
    return false
  }
}

/** The reference a dev-server request asks for (`/@id/__x00__imageboss:…`, `/@id/imageboss:…`), if any. */
function requestedReference(url: string | undefined): string | undefined {
  if (!url?.startsWith('/@id/')) return undefined
  let id: string
  try {
    id = decodeURIComponent(url.slice('/@id/'.length))
  } catch {
    return undefined
  }
  if (id.startsWith('__x00__')) id = '\0' + id.slice('__x00__'.length)
  else if (id.startsWith('imageboss:')) id = '\0' + id
  return referenceOfId(id)
}

/** Whether a module is transformed for the browser (Vite 6+ environments; `ssr` before). */
function isClient(plugin: Rollup.TransformPluginContext, options: { ssr?: boolean | undefined } | undefined): boolean {
  const environment = (plugin as { environment?: { config: { consumer: string } } }).environment
  return environment ? environment.config.consumer === 'client' : options?.ssr !== true
}

function warnUnparsed(plugin: Rollup.TransformPluginContext, id: string): void {
  plugin.warn(`Could not parse \`${cleanId(id)}\` to sign its \`imageboss:\` references`)
}

/** Components whose compiler is listed after this plugin, signed once compiled. */
function componentsPlugin(state: Plugins): Plugin {
  return {
    name: `${PLUGIN_NAME}:components`,
    transform: {
      order: 'post',
      filter: { id: MARKUP_ID_RE, code: REFERENCE_RE },
      handler(code, id, transformOptions) {
        if (!state.deferred.delete(id)) return null
        return signScript(state, this, code, id, isClient(this, transformOptions), () => warnUnparsed(this, id))
      }
    }
  }
}

/** Sign a compiled module, parsed by the host's parser. */
function signScript(
  state: Plugins,
  plugin: Rollup.TransformPluginContext,
  code: string,
  id: string,
  client: boolean,
  onParseError: () => void
): TransformResult | null {
  let program: Program
  try {
    program = plugin.parse(code) as unknown as Program
  } catch {
    onParseError()
    return null
  }
  return transformScript(state.context, plugin, code, id, cleanId(id), program, state.shared?.keepSrcOf, client)
}

/** HTML entries, before Vite's own HTML asset pass, which would take `imageboss:/…` for a relative file. */
function htmlPlugin(context: Context): Plugin {
  return {
    name: `${PLUGIN_NAME}:html`,
    transformIndexHtml: {
      order: 'pre',
      handler(source, { filename }) {
        if (!source.includes('imageboss') || !context.accepts(filename)) return undefined
        // `transformIndexHtml` has no `this.warn`: problems throw, or wait for the build's end.
        return transformText(context, undefined, 'html', source, { id: filename, file: filename })?.code
      }
    }
  }
}

/** Stylesheets, before preprocessors and `vite:css`, which would try to resolve `url(imageboss:…)`. */
function cssPlugin(context: Context): Plugin {
  return {
    name: `${PLUGIN_NAME}:css`,
    enforce: 'pre',
    transform: {
      filter: { id: CSS_ID_RE, code: REFERENCE_RE },
      handler(code, id) {
        if (!code.includes('imageboss') || !CSS_ID_RE.test(id) || !context.accepts(cleanId(id))) return null
        return transformText(context, this, 'css', code, { id, file: cleanId(id), within: blockOf(id, code) }, { lineComments: hasLineComments(id) })
      }
    }
  }
}

/**
 * A component's `<style>` block as a module of its own (`App.vue?vue&type=style&index=0…`):
 * where its text starts in the component file, so that problems name the file's lines.
 */
function blockOf(id: string, code: string): Within | undefined {
  if (!STYLE_BLOCK_ID_RE.test(id)) return undefined
  let text: string
  try {
    text = readFileSync(cleanId(id), 'utf8')
  } catch {
    return undefined
  }
  const at = text.indexOf(code)
  return at === -1 ? undefined : { text, at }
}

/** The markup of raw components, before every compiler, also those that are `enforce: 'pre'` themselves. */
function markupPlugin(context: Context): Plugin {
  return {
    name: `${PLUGIN_NAME}:markup`,
    enforce: 'pre',
    transform: {
      order: 'pre',
      filter: { id: COMPONENT_ID_RE, code: REFERENCE_RE },
      handler(code, id) {
        if (!code.includes('imageboss') || !COMPONENT_ID_RE.test(id) || !context.accepts(cleanId(id))) return null
        // An Astro component's frontmatter is code, signed once compiled like any script.
        const base = id.endsWith('.astro') ? (FRONTMATTER_RE.exec(code)?.[0].length ?? 0) : 0
        return transformText(context, this, 'html', code, { id, file: cleanId(id), base }, { component: true })
      }
    }
  }
}
