// Chromium (found by find-browser.ts, driven by playwright-core), one fresh context per page and
// viewport, and the checks every built page passes: images loaded, backgrounds fetched, the
// predicted candidates.
import { mkdir, mkdtemp } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { AddressInfo } from 'node:net'
import { chromium, type BrowserContext } from 'playwright-core'
import { preview } from 'vite'
import { describe, expect, it } from 'vitest'
import { chooseBrowser, resolveBrowser, type FoundBrowser } from './find-browser.js'
import type { ImageBossServer, LoggedRequest } from './imageboss-server.js'
import { backgroundUrls, predictImage, type ImageFacts, type Viewport } from './responsive.js'
import { removeDirectory } from '../helpers/scratch.js'

export const REPO = fileURLToPath(new URL('../..', import.meta.url))
const CHOICE = chooseBrowser()
export const SCREENSHOTS = path.join(REPO, 'test-output/e2e')

/** The two viewports of the issue: a desktop at 1x and a phone at 3x. */
export const VIEWPORTS: Record<string, Viewport> = {
  desktop: { width: 1280, height: 800, dpr: 1 },
  phone: { width: 390, height: 844, dpr: 3 }
}

/**
 * `describe` when a Chromium can be had (see find-browser.ts: a packaged one comes with
 * `npm install` on Linux x64). Without one, one test that fails and says why, or, with
 * `IMAGEBOSS_E2E=skip` (for platforms where no browser can be had), passes and says the
 * browser tests were skipped and why.
 */
export function describeInBrowser(name: string, body: () => void): void {
  if (CHOICE.kind !== 'missing') {
    describe(name, body)
    return
  }
  const reason = `${CHOICE.why}, so the browser tests "${name}" cannot run`
  describe(name, () => {
    it('needs Chromium', () => {
      if (process.env.IMAGEBOSS_E2E === 'skip') {
        console.warn(`SKIPPED (IMAGEBOSS_E2E=skip): ${reason}.`)
        return
      }
      throw new Error(`${reason}. Point IMAGEBOSS_CHROMIUM at a Chromium, or set IMAGEBOSS_E2E=skip to skip them on a platform where no browser can be had.`)
    })
  })
}

let found: Promise<FoundBrowser> | undefined

/** Chromium launched headless with a fresh user-data dir; `newContext` gives a fresh cache each time. */
export async function launchBrowser(): Promise<{ newContext(viewport: Viewport): Promise<BrowserContext>; close(): Promise<void> }> {
  const profiles: string[] = []
  const contexts: BrowserContext[] = []
  const browser = await (found ??= resolveBrowser(CHOICE).then((resolved) => {
    // Which browser ran, in the test output.
    console.log(`Browser tests run in ${resolved.description}`)
    return resolved
  }))
  return {
    async newContext(viewport) {
      // A persistent context per page and viewport: its own profile and cache, so no candidate
      // fetched at another viewport can be reused.
      const dir = await mkdtemp(path.join(os.tmpdir(), 'imageboss-e2e-profile-'))
      profiles.push(dir)
      const context = await chromium.launchPersistentContext(dir, {
        executablePath: browser.executablePath,
        headless: true,
        args: [
          ...browser.args,
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
          '--disable-quic'
        ],
        viewport: { width: viewport.width, height: viewport.height },
        deviceScaleFactor: viewport.dpr,
        serviceWorkers: 'block'
      })
      contexts.push(context)
      return context
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined)
      for (const dir of profiles) await removeDirectory(dir)
    }
  }
}

/** What one visit saw. */
export interface Visit {
  images: ImageFacts[]
  /** Computed `background-image` of every element that has one. */
  backgrounds: string[]
  /** `<link rel="preload" as="image">` hrefs. */
  preloads: string[]
  /** Requests the ImageBoss server answered during the visit. */
  requests: LoggedRequest[]
  /** Responses of the page's own server (HTML, CSS, JS) with a status of 400 or more. */
  failures: string[]
  errors: string[]
}

/** Open `url` at `viewport` in a fresh context, bring every image into view, wait, screenshot. */
export async function visit(
  browser: Awaited<ReturnType<typeof launchBrowser>>,
  server: ImageBossServer,
  url: string,
  viewport: Viewport,
  screenshot: string
): Promise<Visit> {
  const first = server.log.length
  const context = await browser.newContext(viewport)
  try {
    const page = context.pages()[0] ?? (await context.newPage())
    const failures: string[] = []
    const errors: string[] = []
    page.on('response', (response) => {
      if (response.status() >= 400 && !response.url().startsWith(server.baseUrl)) failures.push(`${response.status()} ${response.url()}`)
    })
    page.on('pageerror', (error) => errors.push(String(error)))
    const response = await page.goto(url, { waitUntil: 'load' })
    expect(response?.status(), url).toBe(200)
    // Lazy images load once near the viewport: scroll each one into view, then back to the top.
    await page.evaluate(async () => {
      for (const image of Array.from(document.images)) {
        image.scrollIntoView({ block: 'center' })
        await new Promise((resolve) => setTimeout(resolve, 30))
      }
      window.scrollTo(0, 0)
    })
    await page.waitForFunction(() => Array.from(document.images).every((image) => image.complete), undefined, { timeout: 15_000 })
    await page.waitForLoadState('networkidle')
    const facts = await page.evaluate(() => ({
      images: Array.from(document.images).map((image) => ({
        alt: image.alt,
        src: image.getAttribute('src'),
        srcset: image.getAttribute('srcset'),
        sizes: image.getAttribute('sizes'),
        currentSrc: image.currentSrc,
        complete: image.complete,
        naturalWidth: image.naturalWidth,
        naturalHeight: image.naturalHeight,
        sources:
          image.parentElement?.tagName === 'PICTURE'
            ? Array.from(image.parentElement.querySelectorAll('source')).map((source) => ({
                type: source.getAttribute('type'),
                media: source.getAttribute('media'),
                srcset: source.getAttribute('srcset'),
                sizes: source.getAttribute('sizes')
              }))
            : []
      })),
      backgrounds: Array.from(document.querySelectorAll('*'))
        .map((element) => getComputedStyle(element).backgroundImage)
        .filter((value) => value !== 'none'),
      preloads: Array.from(document.querySelectorAll<HTMLLinkElement>('link[rel="preload"][as="image"]')).map((link) => link.href)
    }))
    await mkdir(path.dirname(screenshot), { recursive: true })
    await page.screenshot({ path: screenshot, fullPage: true })
    return { ...facts, requests: server.log.slice(first), failures, errors }
  } finally {
    await context.close()
  }
}

/** The request path of an absolute URL on the ImageBoss server (raw, as the server logs it). */
export function requestPath(url: string, server: ImageBossServer): string | undefined {
  if (!url.startsWith(server.baseUrl + '/')) return undefined
  const rest = url.slice(server.baseUrl.length)
  const query = rest.indexOf('?')
  return query === -1 ? rest : rest.slice(0, query)
}

/** One responsive choice, for the summary printed at the end. */
export interface Pick {
  page: string
  viewport: string
  alt: string
  slot?: number
  descriptor: string
  served: string
}

/**
 * The checks of a normal page: every `<img>` loaded, every background fetched with a 200, no
 * 403/404 anywhere, and each responsive image showing the candidate predicted from its rules.
 */
export function checkVisit(result: Visit, server: ImageBossServer, viewport: Viewport, label: string): Pick[] {
  const picks: Pick[] = []
  const served = (p: string) => result.requests.filter((r) => r.path === p)
  expect(result.errors, `${label}: page errors`).toEqual([])
  expect(result.failures, `${label}: failed page resources`).toEqual([])
  expect(
    result.requests.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.path} (${r.reason})`),
    `${label}: ImageBoss requests that failed`
  ).toEqual([])

  // URLs fetched for something other than one given image: preloads, backgrounds, other images.
  const chosenBackgrounds = result.backgrounds.flatMap((b) => backgroundUrls(b, viewport.dpr))
  const backgrounds = chosenBackgrounds.map((b) => b.url)
  for (const { url, density } of chosenBackgrounds) {
    const p = requestPath(url, server)
    expect(p, `${label}: background ${url} is an ImageBoss URL`).toBeDefined()
    const request = served(p ?? '').find((r) => r.status === 200)
    expect(request, `${label}: background ${p} fetched with a 200`).toBeDefined()
    // An image-set() option: its density is the choice to report.
    if (density !== undefined) {
      picks.push({
        page: label.split(' @ ')[0] ?? label,
        viewport: `${viewport.width}×${viewport.height}@${viewport.dpr}x`,
        alt: `background image-set() ${(p ?? '').split('/').pop()}`,
        descriptor: `${density}x`,
        served: `${request?.width}×${request?.height} ${request?.contentType}`
      })
    }
  }

  for (const image of result.images) {
    const what = `${label}: <img alt="${image.alt}">`
    expect(image.complete && image.naturalWidth > 0, `${what} loaded (${image.currentSrc})`).toBe(true)
    const current = requestPath(image.currentSrc, server)
    if (current !== undefined)
      expect(
        served(current).map((r) => r.status),
        `${what}: ${current}`
      ).toContain(200)

    const prediction = predictImage(image, viewport)
    if (!prediction) continue
    expect(image.currentSrc, `${what}: the predicted candidate ${prediction.candidate.descriptor || '(1x)'}`).toBe(prediction.candidate.url)
    const chosen = served(requestPath(prediction.candidate.url, server) ?? '')
    expect(
      chosen.map((r) => r.status),
      `${what}: the candidate was fetched`
    ).toContain(200)
    // No other candidate was fetched for it (unless something else on the page uses that URL).
    const elsewhere = new Set([...backgrounds, ...result.preloads, ...result.images.filter((i) => i !== image).map((i) => i.currentSrc)])
    for (const other of prediction.candidates) {
      if (other.url === prediction.candidate.url || elsewhere.has(other.url)) continue
      expect(served(requestPath(other.url, server) ?? ''), `${what}: candidate ${other.descriptor} was not fetched`).toEqual([])
    }
    const request = chosen.find((r) => r.status === 200)
    if (prediction.candidate.width !== undefined) expect(request?.width, `${what}: served width`).toBe(prediction.candidate.width)
    picks.push({
      page: label.split(' @ ')[0] ?? label,
      viewport: `${viewport.width}×${viewport.height}@${viewport.dpr}x`,
      alt: image.alt,
      ...(prediction.slot === undefined ? {} : { slot: prediction.slot }),
      descriptor: prediction.candidate.descriptor || '1x',
      served: `${request?.width}×${request?.height} ${request?.contentType}`
    })
  }
  return picks
}

/** The picks as lines, for the test log. */
export function formatPicks(picks: Pick[]): string {
  return picks
    .map(
      (p) =>
        `  ${p.page.padEnd(28)} ${p.viewport.padEnd(13)} ${p.alt.slice(0, 34).padEnd(34)} ${p.slot === undefined ? '' : `slot ${p.slot}px → `}${p.descriptor.padEnd(6)} served ${p.served}`
    )
    .join('\n')
}

/** A built folder served by `vite preview` on 127.0.0.1 (a free port), pages as files: its origin, and how to stop it. */
export async function serveFolder(outDir: string): Promise<{ origin: string; close(): Promise<void> }> {
  const site = await preview({
    root: outDir,
    configFile: false,
    appType: 'mpa',
    logLevel: 'silent',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0 }
  })
  return {
    origin: `http://127.0.0.1:${(site.httpServer.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => site.httpServer.close(() => resolve()))
  }
}

export { withImageBossEnv } from '../helpers/scratch.js'
