import path from 'node:path'
import { loadEnv, type Plugin } from 'vite'
import { asConfigError } from '../core/errors.js'
import { createOutputCheck } from '../core/output/index.js'
import { formatProblem, prefixed, type Problem } from '../core/problems.js'
import { loadProject } from '../core/project.js'
import { checkTree, removeFlagged } from '../site/check.js'
import { checkFolder } from '../vite-plugins/output-check.js'
import { createPlugins, type ImageBossPluginOptions } from '../vite-plugins/plugin.js'
import { createProblemsError } from '../vite-plugins/problems.js'

/** Options of the Nuxt module: those of the Vite plugin (`imageboss` in `nuxt.config`, or inline). */
export type ImageBossNuxtOptions = ImageBossPluginOptions

/** What the module reads of Nuxt (structural: Nuxt 3 and 4, no import of Nuxt). */
export interface NuxtLike {
  options: {
    rootDir: string
    dev: boolean
    runtimeConfig: Record<string, unknown>
    imageboss?: ImageBossNuxtOptions | undefined
  }
  hook(name: string, handler: (...args: never[]) => unknown): unknown
}

/** What the module reads of Nitro. */
interface NitroLike {
  options: { dev: boolean; output: { dir: string; publicDir: string; serverDir: string } }
  hooks: { hook(name: string, handler: () => unknown): unknown }
}

/** A Nuxt module, as `@nuxt/kit`'s `defineNuxtModule` would make it, without needing it. */
export interface ImageBossNuxtModule {
  (inlineOptions: ImageBossNuxtOptions | undefined, nuxt: NuxtLike): Promise<void>
  getMeta(): Promise<{ name: string; configKey: string }>
}

/**
 * Why a reference in the output of Nitro was not signed: Nitro prerenders pages after the
 * bundle, from what the server renders at that time (runtime data, `runtimeConfig`).
 */
const PRERENDER_NOTE =
  'written by Nitro after the bundle: a reference made at prerender or run time (data, `runtimeConfig`) is not signed; sign it on the server with `createImageBoss({ secret: useRuntimeConfig().imageboss.secret, … })` from `imageboss-build` and render the URL (docs/nuxt.md, "Images in data")'

/**
 * The Nuxt module (`modules: ['imageboss-build/nuxt']`): the Vite plugins of
 * `imageboss-build/vite` in Nuxt's builds and dev server, a private `runtimeConfig.imageboss.secret`
 * that is empty at build time (set at run time with `NUXT_IMAGEBOSS_SECRET`), and the output
 * check over what Nitro writes after the bundle: prerendered pages, `public/`, the server.
 */
const imagebossModule: ImageBossNuxtModule = Object.assign(
  async (inlineOptions: ImageBossNuxtOptions | undefined, nuxt: NuxtLike) => {
    const options: ImageBossNuxtOptions = { ...nuxt.options.imageboss, ...inlineOptions }
    privateRuntimeConfig(nuxt.options.runtimeConfig)
    nuxt.hook('vite:extend', (({ config }: { config: { plugins?: unknown[] } }) => {
      ;(config.plugins ??= []).push(...(createPlugins(options) as Plugin[]))
    }) as never)
    if (nuxt.options.dev) return
    nuxt.hook('nitro:init', ((nitro: NitroLike) => {
      if (nitro.options.dev) return
      nitro.hooks.hook('compiled', () => checkNitroOutput(nitro, nuxt.options.rootDir, options))
    }) as never)
  },
  { getMeta: () => Promise.resolve({ name: 'imageboss-build', configKey: 'imageboss' }) }
)

export default imagebossModule

/**
 * `runtimeConfig.imageboss.secret`, private and empty: Nitro bakes defaults into the server
 * build, so the secret is given at run time (`NUXT_IMAGEBOSS_SECRET`), never here.
 */
function privateRuntimeConfig(runtimeConfig: Record<string, unknown>): void {
  const own = runtimeConfig['imageboss']
  const section: Record<string, unknown> = typeof own === 'object' && own !== null ? (own as Record<string, unknown>) : {}
  if (section['secret'] !== undefined && section['secret'] !== '')
    throw asConfigError(
      new Error(
        '[imageboss] Unexpected `runtimeConfig.imageboss.secret` with a value in `nuxt.config`: Nitro writes it into the server build; leave it empty and set `NUXT_IMAGEBOSS_SECRET` at run time'
      )
    )
  runtimeConfig['imageboss'] = { ...section, secret: '' }
}

/**
 * The output check over Nitro's output once it is complete (prerendered pages included):
 * `public/` for everything, as browsers get it, the server for secrets. Flagged files are removed.
 */
async function checkNitroOutput(nitro: NitroLike, rootDir: string, options: ImageBossNuxtOptions): Promise<void> {
  const { include: _include, exclude: _exclude, ...settings } = options
  const project = await loadProject({
    root: rootDir,
    options: settings,
    envFiles: { loadEnv, mode: 'production', root: rootDir, envDir: rootDir },
    production: true,
    onWarning: () => {}
  }).catch((error: unknown) => {
    throw asConfigError(error)
  })
  const check = createOutputCheck(project.keys)
  const show = (file: string) => path.relative(rootDir, file).split(path.sep).join('/')
  const warn = (warning: Problem) => console.warn(prefixed(formatProblem(warning, rootDir)))
  const { publicDir, serverDir } = nitro.options.output
  const served = checkFolder(publicDir, undefined, check, rootDir, PRERENDER_NOTE)
  // Nitro's server is never served: searched for secrets only; its traced dependencies are not the project's.
  const server = checkTree(serverDir, check, { served: () => false, skip: (file) => file.startsWith('node_modules/'), show })
  removeFlagged(server.flagged)
  for (const warning of [...check.warnings, ...served.warnings, ...server.warnings]) warn(warning)
  const problems = [...served.problems, ...server.problems]
  if (problems.length > 0) throw createProblemsError(problems[0]?.place?.file ?? nitro.options.output.dir, problems, '', rootDir)
}
