import { createPlugins, type ImageBossPluginOptions, type ImageBossPlugins } from '../vite-plugins/plugin.js'

export type { ImageBossPluginOptions, ImageBossPlugins }

/**
 * Sign `imageboss:` references in HTML entries, stylesheets, scripts and compiled
 * components, and turn `import url from 'imageboss:…'` into the URL. The core finds and
 * signs; these plugins move text in and out, and report problems the way Vite shows them.
 *
 * Returns small plugins: `imageboss` (config, imports, scripts after TypeScript/JSX and
 * framework compilers, the build-output check), `imageboss:components` (components whose
 * compiler is listed after this plugin), `imageboss:html` (HTML entries, before Vite's asset
 * pass), `imageboss:css` (stylesheets, before preprocessors), `imageboss:markup` (the markup
 * of raw Vue, Svelte and Astro components, before their compilers) and `imageboss:sveltekit`
 * (what SvelteKit renders and prerenders itself).
 */
export default function imageboss(options?: ImageBossPluginOptions | null): ImageBossPlugins {
  return createPlugins(options)
}
