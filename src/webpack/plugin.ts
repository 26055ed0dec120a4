import {
  createBundlerPlugin,
  type BundlerPlugin,
  type Compilation,
  type Compiler,
  type HtmlEmitHook,
  type ImageBossWebpackOptions
} from '../webpack-plugins/plugin.js'

export type { ImageBossWebpackOptions } from '../webpack-plugins/plugin.js'

/** html-webpack-plugin's class, as found among the compiler's plugins: its hooks are per compilation. */
interface HtmlWebpackPluginClass {
  getHooks(compilation: Compilation): { beforeEmit: HtmlEmitHook }
}

/** The `beforeEmit` hook of each html-webpack-plugin class the compiler's plugins are made of (one per copy of the package). */
function htmlHooks(compiler: Compiler, compilation: Compilation): HtmlEmitHook[] {
  const classes = new Set<HtmlWebpackPluginClass>()
  for (const plugin of compiler.options.plugins ?? []) {
    const constructor = (plugin as { constructor?: unknown } | null)?.constructor as (Partial<HtmlWebpackPluginClass> & { name?: string }) | undefined
    if (constructor?.name === 'HtmlWebpackPlugin' && typeof constructor.getHooks === 'function') classes.add(constructor as HtmlWebpackPluginClass)
  }
  return [...classes].map((plugin) => plugin.getHooks(compilation).beforeEmit)
}

/**
 * The webpack 5 plugin, `plugins: [imageboss()]`: references in scripts, in CSS before
 * `css-loader`, in html-webpack-plugin's pages and in `import … from 'imageboss:…'` signed, and
 * every emitted asset checked at the end of a production build.
 */
export default function imageboss(options?: ImageBossWebpackOptions | null): BundlerPlugin {
  return createBundlerPlugin({ name: 'imageboss', htmlHooks }, options)
}
