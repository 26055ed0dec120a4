import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { Plugin, ResolvedConfig } from 'vite'
import { docsUrl } from '../core/errors.js'
import { formatProblem, prefixed, type Problem } from '../core/problems.js'
import type { TextKind } from '../core/scan/index.js'
import type { Context } from './context.js'
import { checkFolder } from './output-check.js'
import { createProblemsError, PLUGIN_NAME } from './problems.js'

/**
 * SvelteKit's own plugins (`vite-plugin-sveltekit-setup`, `-compile`, …): SvelteKit renders
 * `src/app.html` itself, and prerenders pages after Vite's bundles are written.
 */
const KIT_PLUGIN_RE = /^vite-plugin-sveltekit-/

/**
 * The generated server module that holds `src/app.html` as JSON string literals cut at
 * `%sveltekit.head%` and the other placeholders: `generated/server/internal.js` (SvelteKit 2),
 * `generated/{build,dev}/server.js` (SvelteKit 3).
 */
const TEMPLATE_MODULE_RE = /[\\/]generated[\\/](?:server[\\/]internal|build[\\/]server|dev[\\/]server)\.js$/

/** What the checks read of a build's or an environment's resolved config. */
interface EnvironmentConfig {
  consumer?: string | undefined
  build: { outDir: string; ssr?: unknown }
}

/** The author's file that a generated module was made from. */
export interface ModuleOrigin {
  file: string
  text: string
  kind: TextKind
  /** Whether the module's text at `offset` came from that file. */
  holds(offset: number): boolean
}

/**
 * Where SvelteKit's generated template module comes from: `src/app.html`, so that a problem
 * there is reported at `src/app.html:line:column` rather than in generated code. `undefined`
 * for any other module, or when its literals are not in that file (a template moved by
 * `kit.files.appTemplate`): the generated module is named then, still with line and column.
 */
export function svelteKitTemplateOrigin(id: string, code: string, root: string): ModuleOrigin | undefined {
  if (!TEMPLATE_MODULE_RE.test(id)) return undefined
  const file = path.join(root, 'src', 'app.html')
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
  return { file, text, kind: 'html', holds: (offset) => isTemplatePiece(code, offset, text) }
}

/**
 * Whether `offset` in `code` is in one of the double-quoted literals of its line that are
 * pieces of `template` (SvelteKit writes the template with `JSON.stringify`, so on one line,
 * cut at its placeholders). The pieces are found in the template in order, each after the one
 * before, so that a short piece cannot be taken for an earlier copy of itself.
 */
function isTemplatePiece(code: string, offset: number, template: string): boolean {
  let cursor = 0
  for (const literal of lineLiterals(code, offset)) {
    let value: string
    try {
      value = JSON.parse(code.slice(literal.start, literal.end)) as string
    } catch {
      return false
    }
    const at = value === '' ? -1 : template.indexOf(value, cursor)
    if (literal.start <= offset && offset < literal.end) return at !== -1
    if (at !== -1) cursor = at + value.length
  }
  return false
}

/** The double-quoted literals of the line of `offset`, up to the one that holds it. */
function* lineLiterals(code: string, offset: number): Generator<{ start: number; end: number }> {
  let i = code.lastIndexOf('\n', offset - 1) + 1
  while (i < code.length && i <= offset) {
    const c = code.charAt(i)
    if (c === '\n') return
    if (c !== '"') {
      i++
      continue
    }
    const start = i
    for (i++; i < code.length && code.charAt(i) !== '"' && code.charAt(i) !== '\n'; i++) if (code.charAt(i) === '\\') i++
    if (code.charAt(i) !== '"') return
    i++
    yield { start, end: i }
  }
}

/**
 * SvelteKit's part of the plugin. It takes `transformIndexHtml` off `html` (SvelteKit has no
 * HTML entries, and SvelteKit 3 warns `transform_index_html_unsupported` for a plugin with the
 * hook), and checks the pages SvelteKit prerenders after the bundles, which the output check
 * of `generateBundle` never sees: a `%sveltekit.env.*%` or a server `load` can put a reference
 * there. They are checked before the adapter copies them: in `closeBundle` of the server build
 * (SvelteKit 2), or in `buildApp` (SvelteKit 3), after SvelteKit's own and before its adapter's,
 * whichever of `sveltekit()` and `imageboss()` is listed first. Two plugins, as a plugin has one
 * hook of a name: the normal one runs after SvelteKit's when listed after it, the `post` one
 * before the adapter's when listed before it.
 */
export function svelteKitPlugins(context: Context, html: Plugin): Plugin[] {
  let kit = false
  let config: ResolvedConfig | undefined
  const checked = new WeakSet<object>()
  const check = (build: object, serverOutDir: string, fail: (error: Error) => never) => {
    if (!kit || !context.production || checked.has(build)) return
    const dir = path.resolve(config?.root ?? '', serverOutDir, '..', 'prerendered')
    // Not there before SvelteKit prerenders (it empties its output folder when it starts).
    if (!existsSync(dir)) return
    checked.add(build)
    const problems = checkPrerendered(dir, context)
    if (problems.length > 0) fail(createProblemsError(problems[0]?.place?.file ?? '', problems, '', context.root))
  }
  const buildApp = (order: 'post' | null): NonNullable<Plugin['buildApp']> => ({
    order,
    async handler(builder) {
      const server = builder.environments['ssr']
      // Built by SvelteKit 3 in its own `buildApp`; SvelteKit 2 builds once these hooks have run.
      if (server?.isBuilt) check(builder, server.config.build.outDir, (error) => this.error(error))
    }
  })
  const main: Plugin = {
    name: `${PLUGIN_NAME}:sveltekit`,
    configResolved: {
      // Before SvelteKit's own `configResolved`, which warns about the hook.
      order: 'pre',
      handler(resolved) {
        config = resolved
        kit = resolved.plugins.some((plugin) => KIT_PLUGIN_RE.test(plugin.name))
        if (kit) delete html.transformIndexHtml
      }
    },
    closeBundle: {
      // Before SvelteKit's, which runs the adapter.
      order: 'pre',
      sequential: true,
      handler() {
        const own = (this as { environment?: { config: EnvironmentConfig } }).environment?.config
        const environment: EnvironmentConfig | undefined = own ?? config
        if (environment && (environment.consumer === 'server' || environment.build.ssr))
          check(environment, environment.build.outDir, (error) => this.error(error))
      }
    },
    buildApp: buildApp(null)
  }
  return [main, { name: `${PLUGIN_NAME}:sveltekit-post`, buildApp: buildApp('post') }]
}

/**
 * Why a reference in a prerendered page was not signed, and the way to sign data: in the
 * server `load` that reads it, with the core's resolver (docs/sveltekit.md, "Images in data").
 */
const PRERENDER_NOTE = `prerendered by SvelteKit after the bundle: a reference made at prerender time, from \`%sveltekit.env.*%\` or data a \`load\` reads, is not signed; sign data in the server \`load\` with \`createImageBoss({ env })\` from \`imageboss-build\` and return the URL, as "Images in data" shows: ${docsUrl('sveltekit.md', 'images-in-data')}`

/** Every file SvelteKit prerendered (pages, data, endpoints), with the output check; flagged files are removed before the adapter copies them. */
function checkPrerendered(dir: string, context: Context): Problem[] {
  const found = checkFolder(dir, undefined, context.outputCheck, context.root, PRERENDER_NOTE)
  for (const warning of found.warnings) context.logger.warn(prefixed(formatProblem(warning, context.root)))
  return found.problems
}
