// examples/astro built by Astro 5 (this Node) against the test ImageBoss server, served from
// dist/ by `vite preview`, opened in Chromium.
import { mkdtemp } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { build } from 'astro'
import { afterAll, beforeAll, expect, it } from 'vitest'
import {
  checkVisit,
  describeInBrowser,
  formatPicks,
  launchBrowser,
  REPO,
  SCREENSHOTS,
  serveFolder,
  VIEWPORTS,
  visit,
  withImageBossEnv,
  type Pick
} from './browser.js'
import { startImageBossServer, type ImageBossServer } from './imageboss-server.js'
import { removeDirectory } from '../helpers/scratch.js'

const EXAMPLE = path.join(REPO, 'examples/astro')
const SOURCE = 'demo-images'
const SECRET = 'e2e-astro-secret-90ad'
/** Routes, and the local image Astro optimises itself (served by the site, not ImageBoss). */
const PAGES = ['/', '/posts/morning/', '/posts/nets/']

describeInBrowser('examples/astro (Astro 5) in Chromium, images from a token-checking ImageBoss server', () => {
  let server: ImageBossServer
  let site: Awaited<ReturnType<typeof serveFolder>> | undefined
  let origin = ''
  let dir = ''
  let browser: Awaited<ReturnType<typeof launchBrowser>>
  const picks: Pick[] = []

  beforeAll(async () => {
    server = await startImageBossServer({ [SOURCE]: { secret: SECRET } })
    dir = await mkdtemp(path.join(os.tmpdir(), 'imageboss-e2e-astro-'))
    const outDir = path.join(dir, 'dist')
    await withImageBossEnv({ IMAGEBOSS_SOURCE: SOURCE, IMAGEBOSS_SECRET: SECRET, IMAGEBOSS_BASE_URL: server.baseUrl }, () =>
      build({ root: EXAMPLE, outDir, logLevel: 'error', cacheDir: path.join(dir, 'astro-cache'), vite: { cacheDir: path.join(dir, 'vite-cache') } })
    )
    site = await serveFolder(outDir)
    origin = site.origin
    browser = await launchBrowser()
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await site?.close()
    await server?.close()
    if (dir) await removeDirectory(dir)
    if (picks.length > 0) console.log(`Candidates picked by Chromium (examples/astro):\n${formatPicks(picks)}`)
  })

  for (const route of PAGES) {
    for (const [name, viewport] of Object.entries(VIEWPORTS)) {
      it(`${route} at ${viewport.width}×${viewport.height}, ${viewport.dpr}x: every image loads, each candidate is the predicted one`, async () => {
        const slug = route === '/' ? 'index' : route.replace(/^\/|\/$/g, '').replaceAll('/', '-')
        const result = await visit(browser, server, origin + route, viewport, path.join(SCREENSHOTS, `astro-${slug}-${name}.png`))
        expect(result.images.length).toBeGreaterThan(1)
        // The layout's banner: `url(imageboss:…)` in its `<style>`, on every page.
        expect(result.backgrounds.filter((b) => b.includes('/photos/harbour.jpg'))).toHaveLength(1)
        picks.push(...checkVisit(result, server, viewport, `astro${route} @ ${name}`))
      })
    }
  }

  it('picks the candidates the rules predict on the index page', () => {
    const chosen = (alt: string) => picks.filter((p) => p.alt === alt).map((p) => [p.viewport, p.descriptor])
    // `?w=600&srcset=auto`, sizes `(min-width: 600px) 600px, 100vw`: 600px at 1x; 390px at 3x → 1170 → 1200w.
    expect(chosen('The harbour, responsive')).toEqual([
      ['1280×800@1x', '600w'],
      ['390×844@3x', '1200w']
    ])
    // `<Image densities={[1.5, 2]}>`: `src` is the 1x candidate; 3x takes the largest, 2x.
    expect(chosen('Boats at their moorings')).toEqual([
      ['1280×800@1x', '1x'],
      ['390×844@3x', '2x']
    ])
    // `<Picture>`: the AVIF `<source>`, 640px slot at 1x; 390px at 3x is past the largest, 640w.
    expect(chosen('Nets drying on the quay')).toEqual([
      ['1280×800@1x', '640w'],
      ['390×844@3x', '640w']
    ])
  })
})
