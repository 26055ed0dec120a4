// One instance of the Astro integration used by builds of two sites whose `.env` files hold
// different sources and secrets: at the same time, and one after another. Real in-process
// `astro build`s (Astro 5, Node 20); tokens checked with the oracle.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { build } from 'astro'
import { describe, expect, it } from 'vitest'
import imageboss from 'imageboss-build/astro'
import { hmac } from '../helpers/expected.js'
import { writeFiles } from '../helpers/files.js'
import { scratchDirectories, withImageBossEnv } from '../helpers/scratch.js'
import { ASTRO_5 } from './example-run.js'

const { scratchIn } = scratchDirectories()

const SITES = [
  { name: 'north', source: 'north-src', secret: 'north-Secret-71c2' },
  { name: 'south', source: 'south-src', secret: 'south-Secret-0d8e' }
] as const

const URL_RE = /https:\/\/img\.imageboss\.me(\/[^"'\s?]+)\?bossToken=([0-9a-f]{64})/g

async function site(spec: (typeof SITES)[number]): Promise<string> {
  const root = await scratchIn(ASTRO_5.scratch, `shared-${spec.name}-`)
  writeFiles(root, {
    '.env': `IMAGEBOSS_SOURCE=${spec.source}\nIMAGEBOSS_SECRET=${spec.secret}\n`,
    'src/pages/index.astro': `---\nimport { imagebossUrl } from 'imageboss-build/astro/runtime'\nconst rendered = imagebossUrl(['imageboss:/${spec.name}/rendered.jpg', 'w=120'].join('?'))\n---\n<html><body>\n<img src="imageboss:/${spec.name}/static.jpg?w=100" alt="">\n<img src={rendered} alt="">\n</body></html>\n`,
    'src/pages/post.md': `# Post\n\n![m](imageboss:/${spec.name}/md.jpg?w=20)\n`
  })
  return root
}

function run(root: string, integration: ReturnType<typeof imageboss>) {
  return build({
    root,
    configFile: false,
    logLevel: 'silent',
    integrations: [integration],
    cacheDir: path.join(root, '.cache'),
    vite: { cacheDir: path.join(root, '.vite') }
  })
}

async function expectOwnUrls(root: string, spec: (typeof SITES)[number]): Promise<void> {
  const html = (await readFile(path.join(root, 'dist/index.html'), 'utf8')) + (await readFile(path.join(root, 'dist/post/index.html'), 'utf8'))
  const urls = [...html.matchAll(URL_RE)]
  expect(urls.length, html).toBe(3)
  for (const [, signedPath, token] of urls) {
    expect(signedPath).toMatch(new RegExp(`^/${spec.source}/width/\\d+/format:auto/${spec.name}/`))
    expect(token).toBe(hmac(spec.secret, signedPath as string))
  }
  expect(html).not.toContain('imageboss:')
}

describe('one Astro integration instance, two sites (Astro 5, Node 20)', () => {
  it('at the same time: each site is signed with its own source and secret', async () => {
    const roots = await Promise.all(SITES.map(site))
    const shared = imageboss()
    await withImageBossEnv({}, () => Promise.all(roots.map((root) => run(root, shared))))
    for (const [i, spec] of SITES.entries()) await expectOwnUrls(roots[i] as string, spec)
  }, 180_000)

  it('one after another: each site is signed with its own source and secret', async () => {
    const roots = await Promise.all(SITES.map(site))
    const shared = imageboss()
    await withImageBossEnv({}, async () => {
      for (const root of roots) await run(root, shared)
    })
    for (const [i, spec] of SITES.entries()) await expectOwnUrls(roots[i] as string, spec)
  }, 180_000)
})
