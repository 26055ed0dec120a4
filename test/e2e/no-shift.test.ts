// Pages that don't shift, in Chromium: a Vite build with `dimensions: true`, `placeholder` and
// `priority`, served with the ImageBoss stand-in answering images slowly. The image boxes have
// their size before any image arrives (no layout shift measured), each placeholder is requested
// and its token verified by the server, and the largest image is preloaded from the head.
import { mkdtemp, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { build, type PluginOption } from 'vite'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeInBrowser, launchBrowser, REPO, serveFolder } from './browser.js'
import { startImageBossServer, type ImageBossServer } from './imageboss-server.js'
import { removeDirectory } from '../helpers/scratch.js'

const SOURCE = 'shift'
const SECRET = 'e2e-no-shift-secret-5a1d'
const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>No shift</title>
<style>body { margin: 0; font: 16px sans-serif } img { display: block; max-width: 100%; height: auto }</style></head>
<body>
<img id="hero" alt="Hero" src="imageboss:/hero.jpg?w=800&amp;h=400&amp;priority&amp;placeholder">
<p id="after">Text under the hero, which must not move.</p>
<img id="card" alt="Card" src="imageboss:/card.jpg?w=300&amp;h=200&amp;placeholder=color">
</body></html>
`

/** Written by hand from docs/syntax.md (Dimensions, Placeholders): what each image asks the server for. */
const HERO = `/${SOURCE}/cover/800x400/format:auto/hero.jpg`
const HERO_PLACEHOLDER = `/${SOURCE}/cover/16x8/blur:2,format:auto/hero.jpg`
const CARD_PLACEHOLDER = `/${SOURCE}/cover/1x1/format:auto/card.jpg`

describeInBrowser('a page that does not shift: dimensions, placeholders and preload in Chromium', () => {
  let server: ImageBossServer
  let site: Awaited<ReturnType<typeof serveFolder>> | undefined
  let root = ''
  let origin = ''
  let browser: Awaited<ReturnType<typeof launchBrowser>>

  beforeAll(async () => {
    server = await startImageBossServer({ [SOURCE]: { secret: SECRET } })
    root = await mkdtemp(path.join(os.tmpdir(), 'imageboss-e2e-shift-'))
    await writeFile(path.join(root, 'index.html'), PAGE)
    const { default: imageboss } = (await import(pathToFileURL(path.join(REPO, 'dist/vite.js')).href)) as {
      default: (options: Record<string, unknown>) => PluginOption
    }
    const plugins = [imageboss({ source: SOURCE, secret: SECRET, baseUrl: server.baseUrl, dimensions: true, env: {} })]
    await build({ root, configFile: false, logLevel: 'silent', plugins, build: { outDir: 'dist', emptyOutDir: true } })
    site = await serveFolder(path.join(root, 'dist'))
    origin = site.origin
    browser = await launchBrowser()
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await site?.close()
    await server?.close()
    if (root) await removeDirectory(root)
  })

  it('gives every image its box before it loads, shows a verified placeholder, and preloads the hero', async () => {
    const context = await browser.newContext({ width: 1280, height: 800, dpr: 1 })
    const first = server.log.length
    try {
      const page = context.pages()[0] ?? (await context.newPage())
      // Full images come late; placeholders (16 px and 1 px wide) at once.
      await page.route(`${server.baseUrl}/**`, async (route) => {
        const tiny = /\/(?:16x\d+|1x1)\//.test(new URL(route.request().url()).pathname)
        if (!tiny) await new Promise((resolve) => setTimeout(resolve, 1500))
        await route.continue()
      })
      await page.addInitScript(() => {
        const shifts: number[] = []
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) shifts.push((entry as PerformanceEntry & { value: number }).value)
        }).observe({ type: 'layout-shift', buffered: true })
        ;(globalThis as { shifts?: number[] }).shifts = shifts
      })
      await page.goto(`${origin}/`, { waitUntil: 'domcontentloaded' })
      const before = await page.evaluate(() => {
        const box = (id: string) => {
          const element = document.getElementById(id) as HTMLImageElement
          const rect = element.getBoundingClientRect()
          return { width: rect.width, height: rect.height, top: rect.top, complete: element.complete && element.naturalWidth > 0 }
        }
        return { hero: box('hero'), card: box('card'), after: document.getElementById('after')?.getBoundingClientRect().top }
      })
      // Not loaded yet, yet sized: 800×400 and 300×200, from `width` and `height` alone.
      expect(before.hero).toMatchObject({ width: 800, height: 400, complete: false })
      expect(before.card).toMatchObject({ width: 300, height: 200, complete: false })

      await page.waitForFunction(() => Array.from(document.images).every((image) => image.complete && image.naturalWidth > 0), undefined, { timeout: 15_000 })
      const after = await page.evaluate(() => ({
        after: document.getElementById('after')?.getBoundingClientRect().top,
        shifts: (globalThis as { shifts?: number[] }).shifts ?? [],
        background: getComputedStyle(document.getElementById('hero') as HTMLElement).backgroundImage,
        preloads: Array.from(document.querySelectorAll<HTMLLinkElement>('link[rel="preload"][as="image"]')).map((link) => link.href)
      }))
      expect(after.after).toBe(before.after)
      expect(after.shifts.reduce((sum, value) => sum + value, 0)).toBe(0)
      expect(after.background).toContain(HERO_PLACEHOLDER)
      expect(after.preloads).toHaveLength(1)
      expect(new URL(after.preloads[0] as string).pathname).toBe(HERO)

      const requests = server.log.slice(first)
      const served = (signedPath: string) => requests.filter((request) => request.path === signedPath).map((request) => request.status)
      // Each requested with a token the server verified (it answers 403 otherwise).
      expect(served(HERO_PLACEHOLDER)).toEqual([200])
      expect(served(CARD_PLACEHOLDER)).toEqual([200])
      // The preload and the element share one request.
      expect(served(HERO)).toEqual([200])
      expect(requests.every((request) => request.status === 200)).toBe(true)
    } finally {
      await context.close()
    }
  })
})
