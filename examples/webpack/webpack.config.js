import { fileURLToPath } from 'node:url'
import HtmlWebpackPlugin from 'html-webpack-plugin'
import imageboss from 'imageboss-build/webpack'

/** @type {import('webpack').Configuration} */
export default {
  mode: 'production',
  context: fileURLToPath(new URL('.', import.meta.url)),
  entry: './src/main.js',
  output: { path: fileURLToPath(new URL('dist/webpack', import.meta.url)), clean: true },
  module: { rules: [{ test: /\.css$/, use: ['css-loader'], sideEffects: true }] },
  plugins: [imageboss(), new HtmlWebpackPlugin({ template: './src/index.html' })]
}
