// MDX compiled inside a Vite build by `@mdx-js/rollup`, configured as the README's "MDX with
// Vite" section says: `mdx({ rehypePlugins: [images.rehype] })` beside `images`, the secret in
// `.env` (which a separate `rehypeImageBoss()` would not see).
import mdx from '@mdx-js/rollup'
import { build, createServer } from 'vite'
import { afterEach, describe, expect, it } from 'vitest'
import imageboss from 'imageboss-build/vite'
import { buildError, noImageBossEnv, outputFiles, signedUrl, tempProject, withEnv } from './helpers.js'

const SECRET = 'mdx-vite-secret-5c1d'
const ENV_FILE = `IMAGEBOSS_SOURCE=docs\nIMAGEBOSS_SECRET=${SECRET}\n`

const PAGE = `# A page

![A cat](imageboss:/photos/cat.jpg?w=800)

<img src="imageboss:/photos/dog.jpg?w=300&h=200" alt="A dog" />

Write \`imageboss:/photos/cat.jpg?w=800\` in Markdown.

\`\`\`md
![](imageboss:/photos/sample.jpg?w=10)
\`\`\`
`

const FILES = {
  '.env': ENV_FILE,
  'index.html': '<div id="app"></div><script type="module" src="/src/main.js"></script>\n',
  'src/main.js': "import { h, render } from 'preact'\nimport Page from './page.mdx'\nrender(h(Page, {}), document.getElementById('app'))\n",
  'src/page.mdx': PAGE
}

/** The README's config, given to Vite inline (with Preact's JSX runtime: React is not installed here). */
function config(root: string, extra: Record<string, unknown> = {}) {
  const images = imageboss()
  return {
    root,
    configFile: false as const,
    logLevel: 'silent' as const,
    plugins: [mdx({ jsxImportSource: 'preact', rehypePlugins: [images.rehype] }), images],
    ...extra
  }
}

const servers: Array<{ close(): Promise<void> }> = []
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close()
})

describe('MDX with Vite (`@mdx-js/rollup`)', () => {
  it('signs Markdown images and JSX with the secret from `.env`, and leaves code samples as text', async () => {
    const root = await tempProject(FILES, { nodeModules: true })
    const files = await withEnv(noImageBossEnv(), async () => outputFiles(await build(config(root, { build: { write: false } }))))
    const all = files.map((file) => file.text).join('\n')
    expect(all).toContain(signedUrl('/docs/width/800/format:auto/photos/cat.jpg', SECRET))
    expect(all).toContain(signedUrl('/docs/cover/300x200/format:auto/photos/dog.jpg', SECRET))
    // The code samples, as written: the inline one and the fenced one.
    expect(all).toContain('imageboss:/photos/cat.jpg?w=800')
    expect(all).toContain('![](imageboss:/photos/sample.jpg?w=10)')
    expect(all).not.toContain(SECRET)
  })

  it('fails a production build with each reason and its place in the .mdx file, never the secret', async () => {
    const root = await tempProject({ ...FILES, 'src/page.mdx': '# Bad\n\n![a](imageboss:/a.jpg?qualty=80)\n\n<img src="imageboss:/b.jpg?w=0" />\n' })
    const error = await withEnv(noImageBossEnv(), () => buildError(build(config(root, { build: { write: false } }))))
    expect(error.message).toContain('Cannot sign 2 image references in a production build')
    expect(error.message).toMatch(/page\.mdx:3:\d+: unknown-parameter: Unexpected unknown parameter `qualty`, expected a known parameter such as `quality`/)
    expect(error.message).toMatch(/page\.mdx:5:\d+: invalid-value: Unexpected value `0`/)
    expect(error.message).not.toContain(SECRET)
  })

  it('answers a page with a bad reference from the dev server with each reason and its place', async () => {
    const root = await tempProject({ ...FILES, 'src/page.mdx': '# Bad\n\n![a](imageboss:/a.jpg?qualty=80)\n' }, { nodeModules: true })
    const server = await withEnv(noImageBossEnv(), () => createServer(config(root, { server: { host: '127.0.0.1', port: 0, ws: false } })))
    servers.push(server)
    await server.listen()
    const address = server.httpServer?.address()
    const port = typeof address === 'object' && address ? address.port : 0
    const response = await fetch(`http://127.0.0.1:${port}/src/page.mdx`)
    const body = await response.text()
    expect(response.status).toBe(500)
    expect(body).toMatch(/page\.mdx:3:\d+: unknown-parameter: Unexpected unknown parameter `qualty`/)
    expect(body).not.toContain(SECRET)
  })

  it('serves the compiled page signed from the dev server', async () => {
    const root = await tempProject(FILES, { nodeModules: true })
    const server = await withEnv(noImageBossEnv(), () => createServer(config(root, { server: { host: '127.0.0.1', port: 0, ws: false } })))
    servers.push(server)
    await server.listen()
    const address = server.httpServer?.address()
    const port = typeof address === 'object' && address ? address.port : 0
    const code = await (await fetch(`http://127.0.0.1:${port}/src/page.mdx`)).text()
    expect(code).toContain(signedUrl('/docs/width/800/format:auto/photos/cat.jpg', SECRET))
    expect(code).toContain(signedUrl('/docs/cover/300x200/format:auto/photos/dog.jpg', SECRET))
    expect(code).not.toContain(SECRET)
  })
})
