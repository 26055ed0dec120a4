import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { createServer, type ViteDevServer } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import imageboss from 'imageboss-build/vite'
import { CSS_REFERENCES, EXAMPLE_SOURCE, HTML_REFERENCES, SCRIPT_REFERENCES } from './example-references.js'
import { EXAMPLE, noImageBossEnv, recordingLogger, signedUrl, tempProject, withEnv } from './helpers.js'

const SECRET = 'dev-secret-91ab'
const url = (signedPath: string) => signedUrl(signedPath, SECRET)

describe('dev server (examples/vite)', () => {
  let server: ViteDevServer
  beforeAll(async () => {
    server = await withEnv({ ...noImageBossEnv(), IMAGEBOSS_SOURCE: EXAMPLE_SOURCE, IMAGEBOSS_SECRET: SECRET }, () =>
      createServer({ root: EXAMPLE, logLevel: 'silent', server: { host: '127.0.0.1', port: 0, ws: false } })
    )
    await server.listen()
  })
  afterAll(async () => {
    await server.close()
  })

  it('signs HTML entries in `transformIndexHtml`', async () => {
    for (const [name, table] of Object.entries(HTML_REFERENCES)) {
      const input = await readFile(path.join(EXAMPLE, name), 'utf8')
      const html = await server.transformIndexHtml('/' + name, input)
      for (const signedPath of Object.values(table)) expect(html).toContain(url(signedPath))
      expect(html.replace(/<pre><code>[\s\S]*?<\/code><\/pre>/g, '')).not.toContain('imageboss:')
    }
  })

  it('signs stylesheets', async () => {
    const result = await server.transformRequest('/src/style.css')
    for (const signedPath of Object.values(CSS_REFERENCES)) expect(result?.code).toContain(url(signedPath))
  })

  it('signs script literals and keeps the `imageboss:` import an import', async () => {
    const result = await server.transformRequest('/src/main.ts')
    const code = result?.code ?? ''
    expect(code).toContain(url(SCRIPT_REFERENCES['imageboss:/photos/cat.jpg?w=200&h=200&mode=face'] ?? ''))
    // The specifier is Vite's URL of the virtual module, never an https URL.
    expect(code).toMatch(/import hero from "\/@id\/__x00__imageboss:\/photos\/hero\.jpg\?[^"]*w=1200/)
    expect(code).not.toMatch(/from "https:/)
  })

  it('serves the `imageboss:` import as the browser asks for it (`?import` stripped, own params kept)', async () => {
    const address = server.httpServer?.address()
    if (!address || typeof address === 'string') throw new Error('Expected a listening server')
    // The module that imports it first, as a browser does.
    expect((await fetch(`http://127.0.0.1:${address.port}/src/main.ts`)).status).toBe(200)
    const response = await fetch(`http://127.0.0.1:${address.port}/@id/__x00__imageboss:/photos/hero.jpg?import&w=1200`)
    expect(response.status).toBe(200)
    expect(await response.text()).toContain(JSON.stringify(url('/demo-images/width/1200/format:auto/photos/hero.jpg')))
  })
})

/** A dev server in middleware mode on `root`, with the warnings it logs. */
async function middlewareServer(root: string): Promise<{ server: ViteDevServer; warnings: string[] }> {
  const { logger, warnings } = recordingLogger()
  const server = await createServer({
    root,
    configFile: false,
    customLogger: logger,
    server: { middlewareMode: true, ws: false },
    plugins: [imageboss({ source: 'dev', secret: SECRET, env: {} })]
  })
  return { server, warnings }
}

describe('dev server messages', () => {
  it('warns about a dynamic reference (an error only in a build), and still serves the module', async () => {
    const root = await tempProject({
      'index.html': '<script type="module" src="/main.js"></script>',
      'main.js': 'const w = 400\nexport const a = `imageboss:/a.jpg?w=${w}`\nexport const b = "imageboss:/b.jpg?w=" + w\n'
    })
    const { server, warnings } = await middlewareServer(root)
    try {
      const result = await server.transformRequest('/main.js')
      expect(result?.code).toContain('imageboss:/a.jpg')
      const dynamic = warnings.filter((w) => w.includes('dynamic-reference'))
      expect(dynamic).toHaveLength(2)
      expect(dynamic[0]).toMatch(/main\.js:2:18/)
      expect(dynamic[1]).toMatch(/main\.js:3:18/)
      expect(dynamic[0]).toContain('lookup object')
    } finally {
      await server.close()
    }
  })

  it('warns about a dynamic reference in an inline script of an HTML page, and still serves the page', async () => {
    const html = '<!doctype html>\n<script>\nwindow.a = `imageboss:/a.jpg?w=${window.w}`\n</script>\n'
    const root = await tempProject({ 'index.html': html })
    const { server, warnings } = await middlewareServer(root)
    try {
      const page = await server.transformIndexHtml('/index.html', html)
      expect(page).toContain('`imageboss:/a.jpg?w=${window.w}`')
      const dynamic = warnings.filter((w) => w.includes('dynamic-reference'))
      expect(dynamic).toHaveLength(1)
      expect(dynamic[0]).toMatch(/index\.html:3:12/)
    } finally {
      await server.close()
    }
  })

  it('throws for an invalid reference so the overlay shows it', async () => {
    const root = await tempProject({ 'main.js': 'export const a = "imageboss:/a.jpg?qualty=80"\n', 'app.css': 'a { background: url(imageboss:/b.jpg?w=0) }\n' })
    const server = await createServer({
      root,
      configFile: false,
      logLevel: 'silent',
      server: { middlewareMode: true, ws: false },
      plugins: [imageboss({ source: 'dev', secret: SECRET, env: {} })]
    })
    try {
      const error = (await server.transformRequest('/main.js').catch((e: unknown) => e)) as Record<string, unknown>
      expect(error.pluginCode).toBe('unknown-parameter')
      // At the unknown key, 1-based.
      const column = 'export const a = "imageboss:/a.jpg?qualty=80"'.indexOf('qualty') + 1
      expect(column).toBe(36)
      expect(error.loc).toMatchObject({ line: 1, column })
      expect(String(error.frame)).toContain('^')
      expect(String(error.message)).toContain('main.js:1:36')
      const cssError = (await server.transformRequest('/app.css').catch((e: unknown) => e)) as Record<string, unknown>
      expect(cssError.pluginCode).toBe('invalid-value')
      // At the bad value: `0` after `w=`.
      const cssColumn = 'a { background: url(imageboss:/b.jpg?w=0) }'.indexOf('w=0') + 3
      expect(String(cssError.message)).toContain(`app.css:1:${cssColumn}`)
    } finally {
      await server.close()
    }
  })

  it('warns once about a missing secret in dev and serves unsigned URLs', async () => {
    const root = await tempProject({ 'main.js': 'export const a = "imageboss:/a.jpg?w=10"\nexport const b = "imageboss:/b.jpg?w=20"\n' })
    const { logger, warnings } = recordingLogger()
    const server = await createServer({
      root,
      configFile: false,
      customLogger: logger,
      server: { middlewareMode: true, ws: false },
      plugins: [imageboss({ source: 'nosecret', env: {} })]
    })
    try {
      const result = await server.transformRequest('/main.js')
      expect(result?.code).toContain('"https://img.imageboss.me/nosecret/width/10/format:auto/a.jpg"')
      expect(result?.code).toContain('"https://img.imageboss.me/nosecret/width/20/format:auto/b.jpg"')
      expect(warnings.filter((w) => w.includes('missing-secret'))).toHaveLength(1)
    } finally {
      await server.close()
    }
  })
})

describe('environments', () => {
  it('shares one resolver between the client and SSR environments (one missing-secret warning)', async () => {
    const root = await tempProject({ 'main.js': 'export const a = "imageboss:/a.jpg?w=10"\n' })
    const { logger, warnings } = recordingLogger()
    const server = await createServer({
      root,
      configFile: false,
      customLogger: logger,
      server: { middlewareMode: true, ws: false },
      plugins: [imageboss({ source: 'shared', env: {} })]
    })
    try {
      const client = await server.environments.client.transformRequest('/main.js')
      const ssr = await server.environments.ssr.transformRequest('/main.js')
      for (const result of [client, ssr]) expect(result?.code).toContain('https://img.imageboss.me/shared/width/10/format:auto/a.jpg')
      expect(warnings.filter((w) => w.includes('missing-secret'))).toHaveLength(1)
    } finally {
      await server.close()
    }
  })
})
