import { fileURLToPath } from 'node:url'
import { rspack } from '@rspack/core'
import imageboss from 'imageboss-build/rspack'

/** @type {import('@rspack/core').Configuration} */
export default {
  mode: 'production',
  context: fileURLToPath(new URL('.', import.meta.url)),
  entry: './src/main.js',
  output: { path: fileURLToPath(new URL('dist/rspack', import.meta.url)), clean: true },
  module: { rules: [{ test: /\.css$/, type: 'css', sideEffects: true }] },
  plugins: [imageboss(), new rspack.HtmlRspackPlugin({ template: './src/index.html' })]
}
