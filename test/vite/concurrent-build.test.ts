// One `imageboss()` instance shared by builds of two projects whose `.env` files hold
// different sources and secrets: at the same time (real `vite.build` calls under
// `Promise.all`), and one after another (as VitePress and Astro reuse one instance).
import path from 'node:path'
import { build } from 'vite'
import { describe, expect, it } from 'vitest'
import imageboss from 'imageboss-build/vite'
import { hmac } from '../helpers/expected.js'
import { buildError, noImageBossEnv, outputFiles, tempProject, withEnv } from './helpers.js'

const SITES = [
  { name: 'alpha', source: 'alpha-src', secret: 'alpha-Secret-5b1e' },
  { name: 'beta', source: 'beta-src', secret: 'beta-Secret-9c4d' }
] as const

const URL_RE = /https:\/\/img\.imageboss\.me(\/[^"'\s`?]+)\?bossToken=([0-9a-f]{64})/g

async function site(spec: (typeof SITES)[number]): Promise<string> {
  return tempProject({
    '.env': `IMAGEBOSS_SOURCE=${spec.source}\nIMAGEBOSS_SECRET=${spec.secret}\n`,
    'index.html': `<!doctype html>\n<img src="imageboss:/${spec.name}/page.jpg?w=100">\n<script type="module" src="/src/main.js"></script>\n`,
    'src/main.js': Array.from({ length: 40 }, (_, i) => `console.log('imageboss:/${spec.name}/${i}.jpg?w=${i + 1}')`).join('\n') + '\n'
  })
}

function run(root: string, plugins: ReturnType<typeof imageboss>) {
  return build({ root, configFile: false, logLevel: 'silent', plugins, build: { write: false, minify: false } })
}

/** Every URL of a build's output: signed for this site's source, with a token made with its secret. */
function expectOwnUrls(result: unknown, spec: (typeof SITES)[number]): void {
  const text = outputFiles(result)
    .map((f) => f.text)
    .join('\n')
  const urls = [...text.matchAll(URL_RE)]
  expect(urls.length).toBe(41)
  for (const [, signedPath, token] of urls) {
    expect(signedPath).toMatch(new RegExp(`^/${spec.source}/width/\\d+/format:auto/${spec.name}/`))
    expect(token).toBe(hmac(spec.secret, signedPath as string))
  }
  const other = SITES.find((s) => s !== spec) as (typeof SITES)[number]
  expect(text).not.toContain(other.source)
}

describe('one plugin instance, two projects', () => {
  it('at the same time: each output verifies with its own secret, or the build is stopped with `concurrent-build`', async () => {
    const roots = await Promise.all(SITES.map(site))
    const shared = imageboss()
    const results = await withEnv(noImageBossEnv(), () => Promise.allSettled(roots.map((root) => run(root, shared))))
    let built = 0
    for (const [i, result] of results.entries()) {
      if (result.status === 'fulfilled') {
        expectOwnUrls(result.value, SITES[i] as (typeof SITES)[number])
        built++
      } else {
        const error = (result.reason as { errors?: unknown[] }).errors?.[0] ?? result.reason
        const message = String((error as Error).message)
        expect(message).toContain('concurrent-build')
        expect(message).toContain('expected one `imageboss()` per build')
        expect(message).not.toContain(SITES[0].secret)
        expect(message).not.toContain(SITES[1].secret)
      }
    }
    // The first to start keeps the instance.
    expect(built).toBeGreaterThanOrEqual(1)
  })

  it('one after another: each build signs with its own `.env`, also after a build that failed', async () => {
    const roots = await Promise.all(SITES.map(site))
    const broken = await tempProject({
      '.env': 'IMAGEBOSS_SOURCE=broken\nIMAGEBOSS_SECRET=broken-secret\n',
      'index.html': '<img src="imageboss:/a.jpg?w=abc">\n'
    })
    const shared = imageboss()
    await withEnv(noImageBossEnv(), async () => {
      expectOwnUrls(await run(roots[0] as string, shared), SITES[0])
      expect((await buildError(run(broken, shared))).message).toContain('invalid-value')
      expectOwnUrls(await run(roots[1] as string, shared), SITES[1])
      expectOwnUrls(await run(roots[0] as string, shared), SITES[0])
    })
    expect(path.basename(roots[0] as string)).not.toBe(path.basename(roots[1] as string))
  })
})
