// examples/astro built and served by Astro 5 on this Node (the root's devDependencies).
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { build, dev } from 'astro'
import { beforeAll, describe, expect, it } from 'vitest'
import { expectedUrl } from '../helpers/expected.js'
import { scratchDirectories, withImageBossEnv } from '../helpers/scratch.js'
import { EXAMPLE, EXAMPLE_ENV, exampleBuildTests, imagebossUrls, LAYOUT_CSS, PAGES, pageUrls, url } from './example-expected.js'

const BASE = 'https://img.imageboss.me'
const { scratch } = scratchDirectories()

/** Run with the example's variables set (and no other `IMAGEBOSS_*`), then restore `process.env`. */
function withExampleEnv<T>(run: () => Promise<T>, env: Record<string, string> = EXAMPLE_ENV): Promise<T> {
  return withImageBossEnv(env, run)
}

/** Caches outside the example, which has no `node_modules` of its own. */
function caches(dir: string) {
  return { cacheDir: path.join(dir, 'astro-cache'), vite: { cacheDir: path.join(dir, 'vite-cache') } }
}

/** The first build's directory: its caches serve the build with another secret. */
let buildDir = ''

describe('astro build of examples/astro (Astro 5, Node 20)', () => {
  let outDir = ''
  beforeAll(async () => {
    const dir = await scratch('imageboss-astro5-build-')
    buildDir = dir
    outDir = path.join(dir, 'dist')
    await withExampleEnv(() => build({ root: EXAMPLE, outDir, logLevel: 'error', ...caches(dir) }))
  }, 120_000)

  exampleBuildTests(() => outDir)
})

describe('a later build with another secret (Astro 5, Node 20)', () => {
  it('signs every page with the new secret, content-collection posts cached by Astro included', async () => {
    // Astro keeps rendered Markdown entries in its cache (`node_modules/.astro` by default)
    // across builds: a rotated secret must not leave posts with tokens of the old one.
    const secret = 'rotated-secret-b62a'
    const outDir = path.join(buildDir, 'dist-rotated')
    await withExampleEnv(() => build({ root: EXAMPLE, outDir, logLevel: 'error', ...caches(buildDir) }), { ...EXAMPLE_ENV, IMAGEBOSS_SECRET: secret })
    for (const page of Object.keys(PAGES)) {
      const html = await readFile(path.join(outDir, page), 'utf8')
      const expected = [...pageUrls(page)].map((u) => u.replace(/\?bossToken=.*$/, '')).map((u) => expectedUrl(u.slice(BASE.length), secret))
      expect(new Set(imagebossUrls(html)), page).toEqual(new Set(expected))
    }
  })
})

describe('astro dev of examples/astro (Astro 5, Node 20)', () => {
  it('serves the same signed URLs as the build', async () => {
    const dir = await scratch('imageboss-astro5-dev-')
    await withExampleEnv(async () => {
      const server = await dev({ root: EXAMPLE, logLevel: 'error', server: { host: '127.0.0.1', port: 0 }, ...caches(dir) })
      try {
        const base = `http://127.0.0.1:${server.address.port}`
        for (const page of Object.keys(PAGES)) {
          const route = '/' + page.replace(/index\.html$/, '')
          const response = await fetch(base + route)
          expect(response.status, route).toBe(200)
          const html = await response.text()
          expect(html.replace(/<pre\b[^>]*>[\s\S]*?<\/pre>/g, ''), route).not.toContain('imageboss:')
          // The layout's `<style>` is inlined in dev: its URL joins the page's own.
          const found = new Set(imagebossUrls(html))
          expect(found, route).toEqual(new Set([...pageUrls(page), ...LAYOUT_CSS.map(url)]))
        }
      } finally {
        await server.stop()
      }
    })
  })
})
