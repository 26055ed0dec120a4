// The dev servers of webpack (webpack-dev-server) and Rspack (@rspack/dev-server), with the
// plugin: they serve what the build signs, warn of a problem at its place, and no request signs
// a reference that no project file holds.
import { RspackDevServer } from '@rspack/dev-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebpackDevServer from 'webpack-dev-server'
import { expectedUrl } from '../helpers/expected.js'
import { freePort } from '../helpers/port.js'
import { BUNDLERS, createCompiler, project, projectConfig, type Bundler } from './run.js'

const SECRET = 'dev-server-secret-of-the-webpack-test'
const OPTIONS = { source: 'site', secret: SECRET, env: {} }
const url = (signedPath: string) => expectedUrl(signedPath, SECRET)

const MAIN = [
  "import './style.css'",
  "import hero from 'imageboss:/hero.jpg?w=300'",
  "window.thumb = 'imageboss:/thumb.jpg?w=20'",
  "window.bad = 'imageboss:/bad.jpg?w=abc'",
  'console.log(hero)',
  ''
].join('\n')

/** Requests that name a reference, as an attacker would make them to a dev server. */
const CRAFTED = [
  '/imageboss:/crafted.jpg?w=1',
  '/main.js?imageboss:/crafted.jpg?w=1',
  '/imageboss%3A%2Fcrafted.jpg%3Fw%3D1',
  '/webpack-dev-server/imageboss:/crafted.jpg?w=1',
  '/index.html?src=imageboss:/crafted.jpg?w=1'
]

describe.each(BUNDLERS)('the %s dev server', (bundler: Bundler) => {
  let origin: string
  let warnings: string[] = []
  let stop: () => Promise<void>

  beforeAll(async () => {
    const { root, outDir } = await project({ 'src/main.js': MAIN, 'src/style.css': '.a { background: url(imageboss:/css.png?w=40); }\n' })
    const config = projectConfig(bundler, root, outDir, OPTIONS, { mode: 'development' })
    const compiler = createCompiler(bundler, config)
    compiler.hooks.done.tap('test', (stats) => {
      warnings = stats.toJson({ all: false, warnings: true }).warnings?.map((w) => w.message) ?? []
    })
    const port = await freePort()
    const options = { port, host: '127.0.0.1', hot: false, liveReload: false, client: false as const, static: false as const }
    const server = bundler === 'webpack' ? new WebpackDevServer(options, compiler) : new RspackDevServer(options, compiler as never)
    await server.start()
    origin = `http://127.0.0.1:${port}`
    stop = () => server.stop()
  }, 60_000)

  afterAll(async () => {
    await stop?.()
  })

  it('serves the script, its stylesheet and the page signed as the build signs them', async () => {
    const script = await (await fetch(origin + '/main.js')).text()
    expect(script).toContain(url('/site/width/300/format:auto/hero.jpg'))
    expect(script).toContain(url('/site/width/20/format:auto/thumb.jpg'))
    // webpack's `css-loader` puts the stylesheet in the script; Rspack's CSS writes `main.css`.
    const stylesheet = bundler === 'webpack' ? script : await (await fetch(origin + '/main.css')).text()
    expect(stylesheet).toContain(url('/site/width/40/format:auto/css.png'))
    const page = await (await fetch(origin + '/index.html')).text()
    expect(page).toContain(url('/site/width/10/format:auto/ok.jpg'))
  })

  it('warns of a bad reference at its place and leaves it as written', async () => {
    const script = await (await fetch(origin + '/main.js')).text()
    expect(script).toContain('imageboss:/bad.jpg?w=abc')
    const line = MAIN.split('\n')[3] as string
    expect(warnings.join('\n')).toContain(`src/main.js:4:${line.indexOf('abc') + 1}: invalid-value: Unexpected value \`abc\` for \`w\``)
  })

  it('signs nothing that a request names', async () => {
    for (const request of CRAFTED) {
      const body = await (await fetch(origin + request)).text()
      expect(body, request).not.toMatch(/crafted\.jpg\?bossToken=|img\.imageboss\.me\/site\/width\/1\//)
    }
    // Nor did any request make a module of its own.
    const script = await (await fetch(origin + '/main.js')).text()
    expect(script).not.toContain('crafted')
  })
})
