import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { AstroConfig, AstroIntegration, AstroIntegrationLogger } from 'astro'
import { loadEnv } from 'vite'
import { ImageBossError } from '../core/errors.js'
import { createImageBoss, type ImageBoss, type ImageBossOptions } from '../core/imageboss.js'
import { rewriteHtml } from '../core/html.js'
import { createLocator } from '../core/location.js'
import { createTransform } from '../rehype/plugin.js'
import { createPlugins } from '../vite/plugin.js'
import { createSatteriPlugin, type DocumentProblem } from './satteri.js'
import { SERVICE_ENTRYPOINT } from './service.js'
import { setSharedState } from './shared.js'

/** Options of the integration: those shared by every entry point of `imageboss-build`. */
export type Options = ImageBossOptions

const emptyOptions: Options = {}

type AstroVitePlugins = NonNullable<NonNullable<AstroConfig['vite']>['plugins']>

/** The parts of Astro 7's `markdown.processor` this integration extends. */
interface MarkdownProcessor {
  name: string
  options: { hastPlugins?: unknown[]; rehypePlugins?: unknown[] }
}

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
  const settings = options ?? emptyOptions
  let shared: ImageBoss | undefined
  let logger: AstroIntegrationLogger | undefined
  /** Route pattern → the page that renders it, to name sources in warnings. */
  const pages = new Map<string, string>()

  return {
    name: 'imageboss-build',
    hooks: {
      'astro:config:setup'({ config, command, updateConfig, logger: astroLogger }) {
        logger = astroLogger
        const mode = command === 'build' ? 'production' : 'development'
        const root = fileURLToPath(config.root)
        const envDir = typeof config.vite?.envDir === 'string' ? path.resolve(root, config.vite.envDir) : root
        // As Vite's `loadEnv` would give them, with the environment winning: computed once,
        // so the Vite and Markdown layers see the same values whichever runs first.
        const env = settings.env ?? { ...loadEnv(mode, envDir, ['IMAGEBOSS_', 'PUBLIC_', 'VITE_']), ...process.env }
        try {
          shared = createImageBoss({
            ...settings,
            env,
            production: settings.production ?? command === 'build',
            onWarning: settings.onWarning ?? ((warning) => astroLogger.warn(`${warning.ruleId}: ${warning.reason}`))
          })
        } catch (error) {
          if (error instanceof ImageBossError) error.message = `[imageboss] ${error.ruleId}: ${error.reason}`
          throw error
        }
        const imageboss = shared
        setSharedState({ imageboss })

        const markdown = config.markdown as typeof config.markdown & { processor?: MarkdownProcessor }
        const processor = markdown.processor
        if (processor?.name === 'satteri') {
          // Astro 7: Sätteri runs its own hast plugins, for `.md` and (inherited) `.mdx`.
          ;(processor.options.hastPlugins ??= []).push(
            createSatteriPlugin(imageboss, (problems, file) => reportDocument(imageboss, problems, file, astroLogger))
          )
        } else {
          const attacher = () => markdownTransform(imageboss, astroLogger)
          if (processor?.name === 'unified') (processor.options.rehypePlugins ??= []).push(attacher)
          // Astro 5 and 6 (and `@astrojs/mdx`, which inherits them): rehype plugins. They run
          // on hast, after Astro collected remote images, so a signed URL is never fetched.
          else updateConfig({ markdown: { rehypePlugins: [attacher] } })
        }

        // Astro bundles its own Vite (6 in Astro 5, 7 in Astro 6): the plugins are the same
        // objects for each, but their types come from the Vite this package was built with.
        // With this package's image service, `<Image src="imageboss:…">` reaches the service as
        // the reference, so its props (`width`, `fit`) shape the URL.
        const service = (config.image as { service?: { entrypoint?: string } } | undefined)?.service?.entrypoint
        const keepSrcOf = service === SERVICE_ENTRYPOINT ? ['Image', 'Picture'] : undefined
        const plugins = createPlugins({ ...settings, env, production: imageboss.production }, { imageboss, keepSrcOf }) as unknown as AstroVitePlugins
        updateConfig({
          vite: {
            plugins,
            // Bundled for the server, so the image service's imports are Vite-processed, and
            // `astro` resolves once, from the site (also when this package is linked).
            ssr: { noExternal: ['imageboss-build'] },
            resolve: { dedupe: ['astro'] }
          }
        })
      },

      'astro:routes:resolved'({ routes }) {
        pages.clear()
        for (const route of routes) pages.set(route.pattern, route.entrypoint)
      },

      async 'astro:build:done'({ dir, assets }) {
        if (!shared || !logger) return
        const sources = new Map<string, string>()
        for (const [pattern, urls] of assets) {
          const page = pages.get(pattern)
          if (page) for (const url of urls) sources.set(fileURLToPath(url), page)
        }
        await warnAboutRuntimeReferences(fileURLToPath(dir), sources, logger)
      }
    }
  }
}

/** The rehype transform under Astro: messages go to Astro's logger, production failures list every problem. */
function markdownTransform(imageboss: ImageBoss, logger: AstroIntegrationLogger) {
  const transform = createTransform(imageboss)
  return function imagebossMarkdown(...args: Parameters<typeof transform>): undefined {
    const [, file] = args
    try {
      transform(...args)
    } catch (error) {
      // Every problem, without the summary that failed the file.
      const problems = file.messages.filter((message) => message.source === 'imageboss-build' && message !== error)
      if (problems.length === 0) throw error
      throw new Error(
        `[imageboss] ${problems[0]?.ruleId}: ${problems.length} problem${problems.length === 1 ? '' : 's'} with \`imageboss:\` references in ${file.path}:\n` +
          problems.map((m) => `  ${file.path}:${m.line ?? 1}:${m.column ?? 1}  ${m.ruleId}  ${m.reason}`).join('\n'),
        { cause: error }
      )
    }
    for (const message of file.messages) {
      if (message.source === 'imageboss-build') logger.warn(`${file.path}:${message.line ?? 1}:${message.column ?? 1}  ${message.ruleId}  ${message.reason}`)
    }
  }
}

/** Sätteri documents: the same reporting as for rehype. */
function reportDocument(imageboss: ImageBoss, problems: DocumentProblem[], file: string, logger: AstroIntegrationLogger): void {
  const lines = problems.map(
    (p) => `  ${file}:${p.place?.start.line ?? 1}:${p.place?.start.column ?? 1}  ${p.error.ruleId}  ${p.error.reason}`
  )
  if (imageboss.production) {
    throw new Error(
      `[imageboss] ${problems[0]?.error.ruleId}: ${problems.length} problem${problems.length === 1 ? '' : 's'} with \`imageboss:\` references in ${file}:\n${lines.join('\n')}`
    )
  }
  for (const line of lines) logger.warn(line.trim())
}

/**
 * After a build, look for references that reached the HTML unsigned: values computed at run
 * time (`<img src={someVar}>`) that no build step could see. Each gets a warning naming the
 * page; signing them needs `imagebossUrl()` where the value is computed (see the README).
 */
async function warnAboutRuntimeReferences(outDir: string, sources: Map<string, string>, logger: AstroIntegrationLogger): Promise<void> {
  for (const file of await htmlFiles(outDir)) {
    const html = await readFile(file, 'utf8')
    if (!html.includes('imageboss')) continue
    const found = rewriteHtml(html, (reference) => {
      throw new ImageBossError(
        'dynamic-reference',
        `Unexpected \`${reference}\` in the built page, computed at run time where no build step could sign it; expected a static reference, or \`imagebossUrl(…)\` from \`imageboss-build/astro/runtime\` where the value is computed`
      )
    })
    const locate = createLocator(html)
    const page = sources.get(file)
    for (const problem of found.problems) {
      const point = locate(problem.start)
      const from = page ? ` (rendered by ${page})` : ''
      logger.warn(`${path.relative(process.cwd(), file)}:${point.line}:${point.column}${from}  ${problem.ruleId}  ${problem.reason}`)
    }
  }
}

async function htmlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])
  return entries.filter((e) => e.isFile() && e.name.endsWith('.html')).map((e) => path.join(e.parentPath, e.name))
}
