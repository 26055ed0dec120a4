import { execFile } from 'node:child_process'
import { cp, mkdir, readFile, symlink } from 'node:fs/promises'
import path from 'node:path'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import imageboss from 'imageboss-build/vite'
import { buildError, outputFiles, REPO, signedUrl, tempProject } from './helpers.js'

const SECRET = 'compat-secret-9a7e'

/**
 * The Vite 5 that VitePress 1.6 runs, nested in its folder (a root alias `vite5` would also
 * take the `vite` command of the repository's `node_modules/.bin`).
 */
const VITE5_DIR = path.dirname(createRequire(createRequire(import.meta.url).resolve('vitepress/package.json')).resolve('vite/package.json'))
const url = (signedPath: string) => signedUrl(signedPath, SECRET)

const FILES = {
  'index.html':
    '<!doctype html>\n<img src="imageboss:/compat/a.jpg?w=100&amp;h=50" style="background:url(imageboss:/compat/s.jpg?h=40)">\n<script type="module" src="/src/main.ts"></script>\n',
  'src/main.ts':
    "import './style.css'\nimport hero from 'imageboss:/compat/hero.jpg?w=300'\nconst a: string = 'imageboss:/compat/b.jpg?w=200'\ndocument.body.append(a, hero)\n",
  'src/style.css': 'body { background: url("imageboss:/compat/c.jpg?op=cdn") }\n'
}

const EXPECTED = [
  '/compat/cover/100x50/format:auto/compat/a.jpg',
  '/compat/height/40/format:auto/compat/s.jpg',
  '/compat/width/300/format:auto/compat/hero.jpg',
  '/compat/width/200/format:auto/compat/b.jpg',
  '/compat/cdn/format:auto/compat/c.jpg'
]

type Build = (config: Record<string, unknown>) => Promise<unknown>

/** The dev server, as every version from 5 has it. */
interface DevServer {
  listen(): Promise<unknown>
  close(): Promise<void>
  transformIndexHtml(url: string, html: string): Promise<string>
  transformRequest(url: string): Promise<{ code: string } | null>
  httpServer: { address(): unknown } | null
}
type CreateServer = (config: Record<string, unknown>) => Promise<DevServer>

describe.each([
  // VitePress 1.6 runs Vite 5.
  ['vite5', () => import(pathToFileURL(path.join(VITE5_DIR, 'dist/node/index.js')).href)],
  ['vite6', () => import('vite6')],
  ['vite7', () => import('vite7')],
  ['vite', () => import('vite')]
])('%s', (name, load) => {
  it(`builds and signs with ${name}`, async () => {
    const vite = (await load()) as unknown as { build: Build; version: string }
    const root = await tempProject(FILES)
    const files = outputFiles(
      await vite.build({
        root,
        configFile: false,
        logLevel: 'silent',
        plugins: [imageboss({ source: 'compat', secret: SECRET, env: {} })],
        build: { write: false }
      })
    )
    const all = files.map((f) => f.text).join('\n')
    for (const signedPath of EXPECTED) expect(all).toContain(url(signedPath))
    for (const f of files) expect(f.text, `${vite.version} ${f.fileName}`).not.toContain('imageboss:')
  })

  it(`reports located errors with ${name}`, async () => {
    const vite = (await load()) as unknown as { build: Build }
    const root = await tempProject({ ...FILES, 'src/main.ts': "const a: string = 'imageboss:/x.jpg?w=0'\nexport const b = `imageboss:/y.jpg?w=${a}`\n" })
    const error = await buildError(
      vite.build({ root, configFile: false, logLevel: 'silent', plugins: [imageboss({ source: 'compat', secret: SECRET, env: {} })], build: { write: false } })
    )
    // At the bad value `0`, 1-based.
    const column = "const a: string = 'imageboss:/x.jpg?w=0'".indexOf('w=0') + 3
    expect(error.message).toContain(`src/main.ts:1:${column}: invalid-value`)
    expect(error.message).toContain('src/main.ts:2:18: dynamic-reference')
    expect(error.pluginCode).toBe('invalid-value')
    expect(error.loc).toMatchObject({ line: 1, column })
  })

  it(`serves signed modules from a dev server with ${name}`, async () => {
    const vite = (await load()) as unknown as { createServer: CreateServer }
    const root = await tempProject(FILES)
    const server = await vite.createServer({
      root,
      configFile: false,
      logLevel: 'silent',
      plugins: [imageboss({ source: 'compat', secret: SECRET, env: {} })],
      server: { host: '127.0.0.1', port: 0, ws: false }
    })
    try {
      await server.listen()
      const html = await server.transformIndexHtml('/index.html', FILES['index.html'])
      for (const signedPath of EXPECTED.slice(0, 2)) expect(html).toContain(url(signedPath).replaceAll('&', '&amp;'))
      expect((await server.transformRequest('/src/style.css'))?.code).toContain(url(EXPECTED[4] as string))
      const script = (await server.transformRequest('/src/main.ts'))?.code ?? ''
      expect(script).toContain(url(EXPECTED[3] as string))
      expect(script).toMatch(/import hero from "\/@id\/__x00__imageboss:\/compat\/hero\.jpg\?[^"]*w=300/)
      // Over HTTP, as the browser asks for the import: the importing module first.
      const address = server.httpServer?.address() as { port: number }
      expect((await fetch(`http://127.0.0.1:${address.port}/src/main.ts`)).status).toBe(200)
      const response = await fetch(`http://127.0.0.1:${address.port}/@id/__x00__imageboss:/compat/hero.jpg?import&w=300`)
      expect(response.status).toBe(200)
      expect(await response.text()).toContain(JSON.stringify(url(EXPECTED[2] as string)))
    } finally {
      await server.close()
    }
  })
})

/** Builds the project it sits in with the only Vite there is, and says which Vite the plugin found. */
const ONLY_VITE_SCRIPT = `
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { build, version } from 'vite'
import imageboss from 'imageboss-build/vite'
const plugin = fileURLToPath(import.meta.resolve('imageboss-build/vite'))
const pluginVite = createRequire(plugin)('vite/package.json').version
const result = await build({ root: process.cwd(), configFile: false, logLevel: 'silent', plugins: [imageboss({ source: 'compat', secret: process.argv[2], env: {} })], build: { write: false } })
const texts = result.output.map((item) => item.type === 'chunk' ? item.code : String(item.source))
console.log(JSON.stringify({ version, pluginVite, texts }))
`

describe('Vite 5 alone', () => {
  // As npm installs VitePress 1.6 beside this package: Vite 5 is the project's only Vite.
  it('imports `imageboss-build/vite` and builds where Vite 5 is the only Vite installed', async () => {
    const root = await tempProject({ ...FILES, 'build.mjs': ONLY_VITE_SCRIPT })
    const modules = path.join(root, 'node_modules')
    await mkdir(path.join(modules, 'imageboss-build'), { recursive: true })
    await symlink(VITE5_DIR, path.join(modules, 'vite'), 'dir')
    // The package as installed: its files, and its dependencies beside it.
    const manifest = JSON.parse(await readFile(path.join(REPO, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
    await cp(path.join(REPO, 'package.json'), path.join(modules, 'imageboss-build/package.json'))
    await cp(path.join(REPO, 'dist'), path.join(modules, 'imageboss-build/dist'), { recursive: true })
    for (const name of Object.keys(manifest.dependencies)) {
      await mkdir(path.dirname(path.join(modules, name)), { recursive: true })
      await symlink(path.join(REPO, 'node_modules', name), path.join(modules, name), 'dir')
    }
    const { stdout } = await promisify(execFile)(process.execPath, ['build.mjs', SECRET], { cwd: root })
    const result = JSON.parse(stdout) as { version: string; pluginVite: string; texts: string[] }
    expect(result.version).toMatch(/^5\./)
    expect(result.pluginVite).toBe(result.version)
    const all = result.texts.join('\n')
    for (const signedPath of EXPECTED) expect(all).toContain(url(signedPath))
    expect(all).not.toContain('imageboss:')
  })
})
