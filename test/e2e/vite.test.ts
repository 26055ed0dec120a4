// examples/vite built against the test ImageBoss server, served by `vite preview`, opened in Chromium.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { build } from 'vite'
import { afterAll, beforeAll, expect, it } from 'vitest'
import {
  checkVisit,
  describeInBrowser,
  formatPicks,
  launchBrowser,
  REPO,
  serveFolder,
  requestPath,
  SCREENSHOTS,
  VIEWPORTS,
  visit,
  withImageBossEnv,
  type Pick
} from './browser.js'
import { startImageBossServer, type ImageBossServer } from './imageboss-server.js'
import { removeDirectory } from '../helpers/scratch.js'

const EXAMPLE = path.join(REPO, 'examples/vite')
const SOURCE = 'demo-images'
const SECRET = 'e2e-vite-secret-31c8'
const PAGES = ['index.html', 'about.html']

describeInBrowser('examples/vite in Chromium, images from a token-checking ImageBoss server', () => {
  let server: ImageBossServer
  let site: Awaited<ReturnType<typeof serveFolder>> | undefined
  let origin = ''
  let outDir = ''
  let browser: Awaited<ReturnType<typeof launchBrowser>>
  const picks: Pick[] = []

  beforeAll(async () => {
    server = await startImageBossServer({ [SOURCE]: { secret: SECRET } })
    outDir = await mkdtemp(path.join(os.tmpdir(), 'imageboss-e2e-vite-'))
    // The example's own vite.config.ts (`imageboss()`), configured by variables like a user's build.
    await withImageBossEnv({ IMAGEBOSS_SOURCE: SOURCE, IMAGEBOSS_SECRET: SECRET, IMAGEBOSS_BASE_URL: server.baseUrl }, () =>
      build({ root: EXAMPLE, logLevel: 'silent', build: { outDir, emptyOutDir: true } })
    )
    // A page whose one image carries a token with its last digit changed.
    const about = await readFile(path.join(outDir, 'about.html'), 'utf8')
    const tampered = about.replace(/(my%20dog\.jpg\?bossToken=[0-9a-f]{63})([0-9a-f])/, (_, start: string, last: string) => start + (last === '0' ? '1' : '0'))
    expect(tampered).not.toBe(about)
    await writeFile(path.join(outDir, 'tampered.html'), tampered)

    site = await serveFolder(outDir)
    origin = site.origin
    browser = await launchBrowser()
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await site?.close()
    await server?.close()
    if (outDir) await removeDirectory(outDir)
    if (picks.length > 0) console.log(`Candidates picked by Chromium (examples/vite):\n${formatPicks(picks)}`)
  })

  for (const page of PAGES) {
    for (const [name, viewport] of Object.entries(VIEWPORTS)) {
      it(`${page} at ${viewport.width}×${viewport.height}, ${viewport.dpr}x: every image loads, each candidate is the predicted one`, async () => {
        const label = `vite/${page} @ ${name}`
        const result = await visit(browser, server, `${origin}/${page}`, viewport, path.join(SCREENSHOTS, `vite-${page.replace('.html', '')}-${name}.png`))
        expect(result.images.length).toBeGreaterThan(1)
        // index.html: the body's texture (style.css), the header's inline style, image-set() on `.hero`.
        if (page === 'index.html') expect(result.backgrounds).toHaveLength(3)
        picks.push(...checkVisit(result, server, viewport, label))
      })
    }
  }

  it('picks the srcset=auto candidate its sizes predict, and the image-set() and densities candidates of the pixel ratio', () => {
    // Written out from the rules: 800px slot at 1x → 800w; 100vw = 390px at 3x → 1170 → 1280w.
    const harbour = picks.filter((p) => p.alt === 'The harbour, responsive').map((p) => [p.viewport, p.descriptor])
    expect(harbour).toEqual([
      ['1280×800@1x', '800w'],
      ['390×844@3x', '1280w']
    ])
    // style.css: `image-set("…?w=1200" 1x, "…?w=2400" 2x)` on `.hero`.
    const hero = picks.filter((p) => p.alt === 'background image-set() hero.jpg').map((p) => [p.viewport, p.descriptor])
    expect(hero).toEqual([
      ['1280×800@1x', '1x'],
      ['390×844@3x', '2x']
    ])
    const logo = picks.filter((p) => p.alt.startsWith('The logo')).map((p) => [p.viewport, p.descriptor])
    expect(logo).toEqual([
      ['1280×800@1x', '1x'],
      ['390×844@3x', '2x']
    ])
  })

  it('serves format:auto as WebP to Chromium, which accepts it', () => {
    const request = server.log.find((r) => r.options?.format === 'auto' && r.status === 200)
    expect(request?.contentType).toBe('image/webp')
    expect(request?.accept).toContain('image/webp')
  })

  it('shows a tampered token as a broken image: the server answered 403', async () => {
    const viewport = VIEWPORTS.desktop ?? { width: 1280, height: 800, dpr: 1 }
    const result = await visit(browser, server, `${origin}/tampered.html`, viewport, path.join(SCREENSHOTS, 'vite-tampered-desktop.png'))
    const broken = result.images.find((i) => i.alt.startsWith('A dog with a space'))
    expect(broken?.complete).toBe(true)
    expect(broken?.naturalWidth).toBe(0)
    const denied = result.requests.find((r) => r.path === requestPath(broken?.currentSrc ?? '', server))
    expect(denied).toMatchObject({ status: 403, reason: 'wrong bossToken' })
    // Every other image of the page still loads.
    for (const image of result.images.filter((i) => i !== broken)) expect(image.naturalWidth, image.alt).toBeGreaterThan(0)
    expect(result.requests.filter((r) => r.status !== 200)).toHaveLength(1)
  })
})
