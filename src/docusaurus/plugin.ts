import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { asConfigError } from '../core/errors.js'
import { checkOptionNames, type ImageBoss, type ImageBossOptions } from '../core/imageboss.js'
import { createOutputCheck } from '../core/output/index.js'
import { printWarning } from '../core/options.js'
import { formatProblem, prefixed } from '../core/problems.js'
import { loadProject, type Project } from '../core/project.js'
import { createTransform } from '../hast/transform.js'
import { checkTree, removeFlagged } from '../site/check.js'
import { createBundlerPlugin, type BundlerPlugin, type Compiler } from '../webpack-plugins/plugin.js'
import { registerState, unregisterState, type LoaderState } from '../webpack-plugins/state.js'

/** Options of `imageboss-build/docusaurus`: those of the core, over those of `imageboss.config.*`. */
export type ImageBossDocusaurusOptions = ImageBossOptions

/** What the plugin reads of Docusaurus's `LoadContext`. */
export interface DocusaurusContext {
  siteDir: string
  /** `.docusaurus/`: the data the plugins write for the client (default: under `siteDir`). */
  generatedFilesDir?: string | undefined
}

/** A rule of the webpack (or Rspack) configuration, as far as the MDX loader's is looked for. */
interface Rule {
  loader?: unknown
  options?: unknown
  use?: unknown
  oneOf?: unknown
  rules?: unknown
}

/** The Docusaurus plugin this module makes (structural: `@docusaurus/types`' `Plugin`). */
export interface DocusaurusPlugin {
  name: string
  configureWebpack(): { plugins: BundlerPlugin[] }
  postBuild(props: { outDir: string }): Promise<void>
}

const NAME = 'imageboss-build'
const LOADER = fileURLToPath(new URL('../webpack-plugins/loader.js', import.meta.url))
/** A reference in a text (Markdown's `![alt](imageboss:/… "title")`): up to a space, quote, bracket or parenthesis. */
const REFERENCE_RE = /imageboss:[^\s"'`()<>[\]\\]+/g
const MDX_LOADER_RE = /[\\/]@docusaurus[\\/]mdx-loader[\\/]/

/**
 * The Docusaurus 3 plugin, `plugins: ['imageboss-build/docusaurus']`: references in MDX (docs,
 * blog, pages) signed by the rehype transform, added to every `@docusaurus/mdx-loader` rule; in
 * the theme's and the site's scripts and CSS by the webpack layer; and, after `docusaurus
 * build`, every file of the built site checked, the build failing on what cannot ship.
 */
export default async function imagebossDocusaurus(context: DocusaurusContext, options?: ImageBossDocusaurusOptions | null): Promise<DocusaurusPlugin> {
  // Docusaurus hands a plugin its options with the plugin's `id` added.
  const { id: _id, ...settings } = (options ?? {}) as ImageBossOptions & { id?: unknown }
  try {
    checkOptionNames(settings, '`imageboss-build/docusaurus`')
  } catch (error) {
    throw asConfigError(error)
  }
  const root = context.siteDir
  const generatedFilesDir = context.generatedFilesDir ?? path.join(root, '.docusaurus')
  let project: Project
  try {
    // `docusaurus build` runs with NODE_ENV=production, `docusaurus start` with development.
    project = await loadProject({ root, options: settings, onWarning: printWarning })
  } catch (error) {
    throw asConfigError(error)
  }
  const { imageboss, keys, production } = project
  // A file with problems fails outside production too: `docusaurus start` prints no file messages.
  const rehypeImageBoss = () => createTransform(imageboss, undefined, true)

  return {
    name: NAME,
    // The webpack layer gives the persistent cache (webpack's, or Rspack's with Docusaurus
    // Faster) the settings in its version, as for any webpack or Rspack build.
    configureWebpack() {
      // Named as the webpack and Rspack plugins are: the bundler's logger shows `[imageboss]`.
      const bundler = createBundlerPlugin({ name: 'imageboss', htmlHooks: () => [] }, { ...settings, production })
      const plugin: BundlerPlugin = {
        apply(compiler) {
          // The rules as they are once every plugin configured them: the MDX loaders of the
          // docs, blog and pages plugins, whatever their order in the config.
          addRehypePlugin(compiler.options.module.rules, rehypeImageBoss)
          addDataRule(compiler, imageboss, generatedFilesDir)
          bundler.apply(compiler)
        }
      }
      return { plugins: [plugin] }
    },
    async postBuild({ outDir }) {
      if (!production) return
      const check = createOutputCheck(keys)
      for (const warning of check.warnings) console.warn(prefixed(formatProblem(warning)))
      const show = (file: string) => path.relative(process.cwd(), file).split(path.sep).join('/')
      const found = checkTree(outDir, check, { show })
      for (const warning of found.warnings) console.warn(prefixed(formatProblem(warning, process.cwd())))
      if (found.problems.length === 0) return
      removeFlagged(found.flagged)
      const lines = found.problems.map((problem) => formatProblem(problem, process.cwd()))
      const error = new Error(
        prefixed(`the built site cannot ship: ${lines.length} problem${lines.length === 1 ? '' : 's'}, the files removed:\n${lines.join('\n')}`)
      )
      error.name = 'ImageBossError'
      throw error
    }
  }
}

/**
 * The data modules the plugins write to `.docusaurus/` (metadata, the blog archive with each
 * post's Markdown text), signed through the webpack layer's loader: a string that is a
 * reference, and each reference inside a longer text. One that cannot be signed is left as it
 * is: its page's MDX fails at its place, and the output check catches it if it ships.
 */
function addDataRule(compiler: Compiler, imageboss: ImageBoss, generatedFilesDir: string): void {
  const state: LoaderState = {
    failing: false,
    transformModule({ source, map }) {
      const sign = (reference: string) => {
        try {
          return imageboss.url(reference)
        } catch {
          return reference
        }
      }
      const data: unknown = JSON.parse(source)
      const code = JSON.stringify(data, (_key, value: unknown) =>
        typeof value === 'string' && value.includes('imageboss:') ? value.replace(REFERENCE_RE, sign) : value
      )
      return { code, map, errors: [] }
    }
  }
  const id = registerState(state)
  compiler.hooks.shutdown?.tap(NAME, () => unregisterState(id))
  compiler.options.module.rules.push({
    test: /\.json$/i,
    include: generatedFilesDir,
    enforce: 'pre',
    use: [{ loader: LOADER, options: { id, kind: 'json' } }]
  })
}

/**
 * Add the transform to the `rehypePlugins` of every `@docusaurus/mdx-loader` use among
 * `rules`, once; the loader's processors, made with the options before, are made again.
 */
function addRehypePlugin(rules: readonly unknown[], transform: () => unknown): number {
  let added = 0
  for (const rule of rules) {
    if (!rule || typeof rule !== 'object') continue
    const r = rule as Rule
    if (Array.isArray(r.oneOf)) added += addRehypePlugin(r.oneOf, transform)
    if (Array.isArray(r.rules)) added += addRehypePlugin(r.rules, transform)
    const uses = Array.isArray(r.use) ? r.use : r.use ? [r.use] : r.loader ? [r] : []
    for (const use of uses) {
      if (!use || typeof use !== 'object') continue
      const { loader, options } = use as { loader?: unknown; options?: { rehypePlugins?: unknown[]; processors?: unknown } }
      if (typeof loader !== 'string' || !MDX_LOADER_RE.test(loader) || !options || typeof options !== 'object') continue
      if (options.rehypePlugins?.includes(transform)) continue
      options.rehypePlugins = [...(options.rehypePlugins ?? []), transform]
      options.processors = undefined
      added++
    }
  }
  return added
}
