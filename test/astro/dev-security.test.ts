// `astro dev` runs the same Vite plugins: it must not sign, for whoever reaches it, a path that
// no file of the site references. Real HTTP requests to a listening Astro 5 dev server.
import path from 'node:path'
import { dev } from 'astro'
import { describe, expect, it } from 'vitest'
import { scratchDirectories, withImageBossEnv } from '../helpers/scratch.js'
import { EXAMPLE, EXAMPLE_ENV, SECRET } from './example-expected.js'

const { scratch } = scratchDirectories()

describe('astro dev is no signing oracle (Astro 5, Node 20)', () => {
  it('answers crafted requests for references no module imports with a 404 and no URL', async () => {
    const dir = await scratch('imageboss-astro5-dev-oracle-')
    await withImageBossEnv(EXAMPLE_ENV, async () => {
      const server = await dev({
        root: EXAMPLE,
        logLevel: 'error',
        server: { host: '127.0.0.1', port: 0 },
        cacheDir: path.join(dir, 'astro-cache'),
        vite: { cacheDir: path.join(dir, 'vite-cache') }
      })
      try {
        const base = `http://127.0.0.1:${server.address.port}`
        // The site itself still renders, signed.
        const page = await fetch(base + '/')
        expect(page.status).toBe(200)
        expect(await page.text()).toContain('bossToken=')
        for (const request of [
          '/@id/__x00__imageboss:/private/anything.jpg?w=800&import',
          '/@id/imageboss:/private/anything.jpg?w=800',
          '/@id/__x00__imageboss://blog-assets/private.jpg?w=800&import'
        ]) {
          const response = await fetch(base + request)
          const body = await response.text()
          expect(response.status, request).toBe(404)
          expect(body, request).not.toContain('bossToken')
          expect(body, request).not.toContain(SECRET)
        }
      } finally {
        await server.stop()
      }
    })
  }, 120_000)
})
