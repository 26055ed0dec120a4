// Builds the example with webpack and with Rspack: `node examples/webpack/build.js`.
import rspackConfig from './rspack.config.js'
import webpackConfig from './webpack.config.js'

const { rspack } = await import('@rspack/core')
const { default: webpack } = await import('webpack')

for (const [name, run] of [
  ['webpack', (done) => webpack(webpackConfig, done)],
  ['Rspack', (done) => rspack(rspackConfig, done)]
]) {
  const stats = await new Promise((resolve, reject) => run((error, result) => (error ? reject(error) : resolve(result))))
  console.log(`${name}:\n${stats.toString({ colors: false, modules: false })}\n`)
}
