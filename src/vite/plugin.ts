import type { Program } from 'estree'
import { loadEnv, type Plugin, type Rollup } from 'vite'
import { ImageBossError } from '../core/errors.js'
import { loadNearestConfigFile } from '../core/config-file.js'
import { checkOptionNames, type ImageBoss, type ImageBossOptions } from '../core/imageboss.js'
import { createContext } from './context.js'
import { transformCss, type TransformResult } from './css.js'
import { cleanId, CSS_ID_RE, isScript, OWN_DIST_RE, REFERENCE_RE, SCRIPT_EXCLUDE_RE, SCRIPT_ID_RE, VIRTUAL_ID_RE } from './filters.js'
import { transformHtml } from './html.js'
import { transformScript } from './js.js'
import { transformMarkup } from './markup.js'
import { createOriginalMapper } from './original-position.js'
import { checkOutput, formatLeftovers, type OutputItem } from './output-check.js'
import { createProblemsError, locateProblems, PLUGIN_NAME } from './problems.js'
import { referenceOfId, VIRTUAL_PREFIX, virtualModuleCode } from './virtual-module.js'

/**
 * Options of the Vite plugin: those of the core, where `env` defaults to the `IMAGEBOSS_*`
 * variables of `.env` files merged with `process.env` (which wins), and `production`
 * defaults to `true` for `vite build`.
 */
export type ImageBossPluginOptions = ImageBossOptions

/** Raw component files (no query: sub-requests are compiled blocks). */
const COMPONENT_ID_RE = /\.(?:vue|svelte|astro)$/

/** Compiled components that keep static markup in strings. */
const MARKUP_ID_RE = /\.(?:svelte|vue)(?:$|\?)/

type TransformPluginContext = Rollup.TransformPluginContext

const SCRIPT_FILTER = { id: { include: SCRIPT_ID_RE, exclude: [SCRIPT_EXCLUDE_RE, CSS_ID_RE, OWN_DIST_RE] }, code: REFERENCE_RE }

const emptyOptions: ImageBossPluginOptions = {}

/**
 * Sign `imageboss:` references in HTML entries, stylesheets, scripts and compiled
 * components, and turn `import url from 'imageboss:…'` into the URL.
 *
 * Returns small plugins: `imageboss` (config, imports and scripts, after TypeScript/JSX
 * and framework compilers), `imageboss:components` (components whose compiler is listed
 * after this plugin), `imageboss:html` (HTML entries, before Vite's
 * asset pass), `imageboss:css` (stylesheets, before preprocessors) and `imageboss:markup`
 * (the markup of raw Vue and Svelte components, before their compilers).
 */
export default function imageboss(options?: ImageBossPluginOptions | null): Plugin[] {
  return createPlugins(options)
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

/** The plugins, optionally around a resolver shared with other layers (the Astro integration). */
export function createPlugins(options?: ImageBossPluginOptions | null, shared?: SharedResolver): Plugin[] {
  const settings = options ?? emptyOptions
  try {
    checkOptionNames(settings, '`imageboss()`')
  } catch (error) {
    if (error instanceof ImageBossError) error.message = `[imageboss] invalid-option: ${error.reason}`
    throw error
  }
  const context = createContext(settings, shared?.imageboss)

  const main: Plugin = {
    name: PLUGIN_NAME,
    async configResolved(config) {
      // Called with no options: the project's `imageboss.config.{js,mjs,json}`, if any, gives them.
      const fromFile = options == null && !shared ? await loadNearestConfigFile(config.root) : undefined
      context.configure(config, loadEnv, fromFile?.options)
    },
    resolveId: {
      filter: { id: /^(?:\0)?imageboss:/ },
      handler(source) {
        if (source.startsWith(VIRTUAL_PREFIX)) return source
        if (source.startsWith('imageboss:')) return '\0' + source
        return null
      }
    },
    load: {
      filter: { id: VIRTUAL_ID_RE },
      handler(id) {
        const reference = referenceOfId(id)
        if (reference === undefined) return null
        try {
          return { code: virtualModuleCode(context.imageboss.image(reference)), map: null }
        } catch (error) {
          if (!(error instanceof ImageBossError)) throw error
          return this.error({ message: `${error.ruleId}: ${error.reason} (in \`import … from '${reference}'\`)`, pluginCode: error.ruleId })
        }
      }
    },
    transform: {
      filter: SCRIPT_FILTER,
      handler(code, id) {
        // Vite before 6.3 ignores `filter`.
        if (!code.includes('imageboss:') || !isScript(id)) return null
        return signScript(this, code, id, () => {
          if (MARKUP_ID_RE.test(id)) {
            // A component whose compiler runs after this plugin: sign it once compiled.
            deferred.add(id)
          } else {
            this.warn(`Could not parse \`${cleanId(id)}\` to sign its \`imageboss:\` references`)
          }
        })
      }
    },
    generateBundle: {
      // After Vite's own hooks, which emit the HTML and CSS assets here.
      order: 'post',
      handler(_, bundle) {
        // Production client output only: server bundles keep references for runtime signers.
        if (!context.production || (this.environment && this.environment.config.consumer !== 'client')) return
        const leftovers = checkOutput(Object.values(bundle) as OutputItem[], context.imageboss, (code) => this.parse(code) as unknown as Program)
        if (leftovers.length > 0) this.error(formatLeftovers(leftovers))
      }
    }
  }

  /** Components listed before their compiler (`[imageboss(), svelte()]`), signed after it. */
  const deferred = new Set<string>()
  const components: Plugin = {
    name: `${PLUGIN_NAME}:components`,
    transform: {
      order: 'post',
      filter: { id: MARKUP_ID_RE, code: REFERENCE_RE },
      handler(code, id) {
        if (!deferred.delete(id)) return null
        return signScript(this, code, id, () => {
          this.warn(`Could not parse \`${cleanId(id)}\` to sign its \`imageboss:\` references`)
        })
      }
    }
  }

  /** Sign the literals of a compiled module; report problems (dynamic ones only warn in dev). */
  function signScript(plugin: TransformPluginContext, code: string, id: string, onParseError: () => void): TransformResult | null {
    let program: Program
    try {
      program = plugin.parse(code) as unknown as Program
    } catch {
      onParseError()
      return null
    }
    const { result, problems, dynamic } = transformScript(context, code, program, { markup: MARKUP_ID_RE.test(id), keepSrcOf: shared?.keepSrcOf })
    const errors = context.production ? [...problems, ...dynamic] : problems
    const warnings = context.production ? [] : dynamic
    if (errors.length === 0 && warnings.length === 0) return result

    let map: Parameters<typeof createOriginalMapper>[1]
    try {
      map = plugin.getCombinedSourcemap() as Parameters<typeof createOriginalMapper>[1]
    } catch {
      map = undefined
    }
    const place = { id, file: cleanId(id), text: code, original: createOriginalMapper(code, map) }
    for (const warning of warnings) {
      const error = createProblemsError(id, locateProblems(place, [warning]), context.root)
      plugin.warn({ message: error.message, id, loc: error.loc, frame: error.frame, pluginCode: error.pluginCode })
    }
    if (errors.length > 0) throw createProblemsError(id, locateProblems(place, errors), context.root)
    return result
  }

  const html: Plugin = {
    name: `${PLUGIN_NAME}:html`,
    transformIndexHtml: {
      // Before Vite's own HTML asset pass, which would take `imageboss:/…` for a relative file.
      order: 'pre',
      handler(source, { filename }) {
        return transformHtml(context, source, filename)
      }
    }
  }

  const css: Plugin = {
    name: `${PLUGIN_NAME}:css`,
    // Before preprocessors and `vite:css`, which would try to resolve `url(imageboss:…)`.
    enforce: 'pre',
    transform: {
      filter: { id: CSS_ID_RE, code: REFERENCE_RE },
      handler(code, id) {
        if (!code.includes('imageboss:') || !CSS_ID_RE.test(id)) return null
        return transformCss(context, code, id)
      }
    }
  }

  const markup: Plugin = {
    name: `${PLUGIN_NAME}:markup`,
    enforce: 'pre',
    transform: {
      // Before every compiler, also those that are `enforce: 'pre'` themselves.
      order: 'pre',
      filter: { id: COMPONENT_ID_RE, code: REFERENCE_RE },
      handler(code, id) {
        if (!code.includes('imageboss:') || !COMPONENT_ID_RE.test(id)) return null
        return transformMarkup(context, code, id)
      }
    }
  }

  return [main, components, html, css, markup]
}
