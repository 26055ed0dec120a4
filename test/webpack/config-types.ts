// Type-checked with the project (`npm run typecheck`), never run: each plugin fits its
// bundler's own `Configuration`, and `imageboss:` imports are typed by client.d.ts.
import type { Configuration as RspackConfiguration } from '@rspack/core'
import type { Configuration as WebpackConfiguration } from 'webpack'
import imagebossRspack from 'imageboss-build/rspack'
import imagebossWebpack from 'imageboss-build/webpack'
import hero, { srcset } from 'imageboss:/photos/hero.jpg?w=1200&srcset=auto'

export const webpackConfig: WebpackConfiguration = { mode: 'production', plugins: [imagebossWebpack({ source: 'demo-images' })] }
export const rspackConfig: RspackConfiguration = { mode: 'production', plugins: [imagebossRspack({ source: 'demo-images' })] }
export const image: { src: string; srcset: string | undefined } = { src: hero, srcset }
