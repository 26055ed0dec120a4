// The dev server is reachable by whoever can reach its port (everyone on the network with
// `--host`): it must sign only references that a project file contains. Real HTTP requests to
// a listening server; expected URLs from the oracle.
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { createServer, type ViteDevServer } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import imageboss from 'imageboss-build/vite'
import { signedUrl, tempProject } from './helpers.js'

const SECRET = 'dev-oracle-secret'
const OTHER_SECRET = 'other-source-secret'

describe('the dev server is no signing oracle', () => {
  let server: ViteDevServer
  let root: string
  let base: string
  beforeAll(async () => {
    root = await tempProject({
      'index.html': '<script type="module" src="/src/main.js"></script>',
      'src/main.js': "import hero from 'imageboss:/photos/hero.jpg?w=400'\nexport { hero }\n"
    })
    server = await createServer({
      root,
      configFile: false,
      logLevel: 'silent',
      server: { host: '127.0.0.1', port: 0, ws: false },
      plugins: [imageboss({ source: 'dev', secret: SECRET, sources: { other: { secret: OTHER_SECRET } }, env: {} })]
    })
    await server.listen()
    const address = server.httpServer?.address()
    if (!address || typeof address === 'string') throw new Error('Expected a listening server')
    base = `http://127.0.0.1:${address.port}`
  })
  afterAll(async () => {
    await server.close()
  })

  /** Every way a request can name a reference no module imports. */
  const crafted = [
    '/@id/__x00__imageboss:/private/anything.jpg?w=800&import',
    '/@id/__x00__imageboss:/private/anything.jpg?w=800',
    '/@id/imageboss:/private/anything.jpg?w=800',
    '/@id/__x00__imageboss://other/private.jpg?w=800&import',
    '/@id/__x00__imageboss:/photos/hero.jpg?w=401&import',
    '/@id/__x00__imageboss%3A/private/anything.jpg?w=800&import'
  ]

  it.each(crafted)('answers %s with a 404 and no URL', async (request) => {
    const response = await fetch(base + request)
    const body = await response.text()
    expect(response.status).toBe(404)
    expect(body).not.toContain('bossToken')
    expect(body).not.toContain(SECRET)
  })

  it('signs nothing on any other path either', async () => {
    for (const request of ['/imageboss:/private/anything.jpg?w=800', '/src/imageboss:/private.jpg?w=800&import', '/@fs/imageboss:/private.jpg?w=800']) {
      const body = await (await fetch(base + request)).text()
      expect(body, request).not.toContain('bossToken')
    }
  })

  it('serves the import of a project module, also one added by an edit', async () => {
    const main = await (await fetch(base + '/src/main.js')).text()
    const specifier = /from "(\/@id\/__x00__imageboss:[^"]+)"/.exec(main)?.[1]
    expect(specifier).toBeDefined()
    const first = await fetch(base + specifier)
    expect(first.status).toBe(200)
    expect(await first.text()).toContain(JSON.stringify(signedUrl('/dev/width/400/format:auto/photos/hero.jpg', SECRET)))

    // Not imported yet: refused. Then a module imports it (as an edit would), and it is served.
    const later = '/@id/__x00__imageboss:/photos/later.jpg?w=300&import'
    expect((await fetch(base + later)).status).toBe(404)
    await writeFile(path.join(root, 'src/later.js'), "import later from 'imageboss:/photos/later.jpg?w=300'\nexport { later }\n")
    expect((await fetch(base + '/src/later.js')).status).toBe(200)
    const response = await fetch(base + later)
    expect(response.status).toBe(200)
    expect(await response.text()).toContain(JSON.stringify(signedUrl('/dev/width/300/format:auto/photos/later.jpg', SECRET)))
  })
})
