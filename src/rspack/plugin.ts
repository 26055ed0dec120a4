import { createBundlerPlugin, type BundlerHost, type BundlerPlugin, type ImageBossWebpackOptions } from '../webpack-plugins/plugin.js'

export type { ImageBossWebpackOptions as ImageBossRspackOptions } from '../webpack-plugins/plugin.js'

/** `compiler.rspack`: Rspack's own exports, `HtmlRspackPlugin` among them. */
interface RspackCompiler {
  rspack?:
    { HtmlRspackPlugin?: { getCompilationHooks(compilation: unknown): { beforeEmit: ReturnType<BundlerHost['htmlHooks']>[number] } } | undefined } | undefined
}

/** The Rspack plugin, `plugins: [imageboss()]`: as the webpack one, with `HtmlRspackPlugin`'s pages and Rspack's CSS. */
export default function imageboss(options?: ImageBossWebpackOptions | null): BundlerPlugin {
  return createBundlerPlugin(
    {
      name: 'imageboss',
      htmlHooks(compiler, compilation) {
        const html = (compiler as RspackCompiler).rspack?.HtmlRspackPlugin
        return html ? [html.getCompilationHooks(compilation).beforeEmit] : []
      }
    },
    options
  )
}
