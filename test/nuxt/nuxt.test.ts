// examples/nuxt (Nuxt 4, `modules: ['imageboss-build/nuxt']`) built with `nuxt generate` and
// `nuxt build`, and served by `nuxt dev`, on the Node.js 22 of test/nuxt-current: every URL
// checked against the independent oracle, the secret in no file written, problems located.
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectedUrl } from '../helpers/expected.js'
import { readTree } from '../helpers/files.js'
import { checkInstalled, copyExample, CURRENT, ENV, nuxt, REPO, SECRET, serve, SOURCE } from './run.js'
import { removeDirectory } from '../helpers/scratch.js'

const url = (signedPath: string) => expectedUrl(signedPath, SECRET)
const CAT = url(`/${SOURCE}/width/800/format:auto/photos/cat.jpg`)
const THUMB = url(`/${SOURCE}/cover/200x200/format:auto/photos/cat.jpg`)
const COVER = url(`/${SOURCE}/cover/1200x630/format:auto/photos/cover.jpg`)
const HERO = url(`/${SOURCE}/cover:entropy/1600x600/format:auto/photos/hero.jpg`)
const PAPER = url(`/${SOURCE}/width/400/format:auto/textures/paper.png`)
const HARBOUR = url(`/${SOURCE}/cover/600x400/format:auto/photos/harbour.jpg`)
const EXPECTED = [CAT, THUMB, COVER, HERO, PAPER, HARBOUR]

const URL_RE = /https:\/\/img\.imageboss\.me\/[^"'`)\s\\]+/g

const sites: string[] = []
async function site(files?: Record<string, string | null>): Promise<string> {
  const root = await copyExample(files)
  sites.push(root)
  return root
}

/**
 * Every file under the folders a build writes or caches into, that exist: the site's, and the
 * cache of the `node_modules` that Nuxt resolves from (test/nuxt-current's, for the copies).
 */
async function writtenFiles(root: string): Promise<Map<string, string>> {
  const all = new Map<string, string>()
  const dirs = ['.output', '.nuxt', 'node_modules/.cache'].map((dir) => path.join(root, dir))
  for (const dir of [...dirs, path.join(CURRENT, 'node_modules/.cache')])
    if (existsSync(dir)) for (const [name, text] of await readTree(dir)) all.set(path.relative(REPO, path.join(dir, name)), text)
  return all
}

beforeAll(() => checkInstalled())
afterAll(async () => {
  for (const root of sites) await removeDirectory(root)
})

describe('nuxt generate', () => {
  let root: string
  let output: string
  let publicFiles: Map<string, string>

  beforeAll(async () => {
    root = await site()
    const run = await nuxt('generate', root, ENV)
    output = run.output
    expect(run.code, output).toBe(0)
    publicFiles = await readTree(path.join(root, '.output/public'))
  }, 240_000)

  it('signs the template, a component, a stylesheet, an `imageboss:` import and the data a server route signs', () => {
    const page = publicFiles.get('index.html') ?? ''
    for (const expected of [CAT, THUMB, COVER]) expect(page).toContain(`src="${expected.replaceAll('&', '&amp;')}"`)
    const css = [...publicFiles].filter(([name]) => name.endsWith('.css')).map(([, text]) => text)
    expect(css.join('\n')).toContain(`url(${HERO})`)
    expect(css.join('\n')).toContain(`url(${PAPER})`)
    expect(publicFiles.get('photos/index.html')).toContain(`src="${HARBOUR}"`)
  })

  it('writes only URLs whose tokens the oracle computes, and no `imageboss:` reference', () => {
    const found = new Set<string>()
    for (const [name, text] of publicFiles) {
      expect(text, name).not.toContain('imageboss:')
      for (const match of text.matchAll(URL_RE)) found.add(match[0].replaceAll('&amp;', '&'))
    }
    expect([...found].sort()).toEqual([...EXPECTED].sort())
  })

  it('writes the secret into no file it emits or caches', async () => {
    const files = await writtenFiles(root)
    expect(files.size).toBeGreaterThan(10)
    for (const [name, text] of files) expect(text, name).not.toContain(SECRET)
    expect(output).not.toContain(SECRET)
  })
})

describe('settings', () => {
  it('reads `IMAGEBOSS_*` from `.env` in the project root, and writes that secret nowhere', async () => {
    const secret = 'nuxt-env-file-secret-5d2a'
    const root = await site({ '.env': `IMAGEBOSS_SOURCE=env-file-source\nIMAGEBOSS_SECRET=${secret}\nNUXT_IMAGEBOSS_SECRET=${secret}\n` })
    const run = await nuxt('generate', root, {})
    expect(run.code, run.output).toBe(0)
    const page = await readFile(path.join(root, '.output/public/index.html'), 'utf8')
    expect(page).toContain(`src="${expectedUrl('/env-file-source/width/800/format:auto/photos/cat.jpg', secret)}"`)
    expect(await readFile(path.join(root, '.output/public/photos/index.html'), 'utf8')).toContain(
      `src="${expectedUrl('/env-file-source/cover/600x400/format:auto/photos/harbour.jpg', secret)}"`
    )
    for (const [name, text] of await writtenFiles(root)) expect(text, name).not.toContain(secret)
  }, 240_000)
})

describe('options', () => {
  it('takes the options of the Vite plugin from `imageboss` in nuxt.config, over the variables', async () => {
    const config = await readFile(path.join(REPO, 'examples/nuxt/nuxt.config.js'), 'utf8')
    const root = await site({ 'nuxt.config.js': config.replace('modules:', "imageboss: { source: 'config-source' },\n  modules:") })
    const run = await nuxt('generate', root, ENV)
    expect(run.code, run.output).toBe(0)
    const page = await readFile(path.join(root, '.output/public/index.html'), 'utf8')
    expect(page).toContain(`src="${url('/config-source/width/800/format:auto/photos/cat.jpg')}"`)
  }, 240_000)
})

describe('problems fail the build', () => {
  it('fails on a bad reference in a template, located at file:line:column with its rule id', async () => {
    const page = await readFile(path.join(REPO, 'examples/nuxt/app/pages/index.vue'), 'utf8')
    const root = await site({ 'app/pages/index.vue': page.replace('cat.jpg?w=800"', 'cat.jpg?w=800&colour=red"') })
    const run = await nuxt('generate', root, ENV)
    expect(run.code).not.toBe(0)
    // Named from Vite's root, which Nuxt sets to its `srcDir` (`app/`), and in full above.
    expect(run.output).toContain('/app/pages/index.vue:9:45')
    expect(run.output).toContain('pages/index.vue:9:45: unknown-parameter: Unexpected unknown parameter `colour`')
    expect(run.output).not.toContain(SECRET)
  }, 240_000)

  it('fails on a reference Nitro prerenders unsigned (data a server route returns as it is), and removes the page', async () => {
    const root = await site({ 'server/api/photos.js': "export default defineEventHandler(() => [{ title: 'Dog', src: 'imageboss:/photos/dog.jpg' }])\n" })
    const run = await nuxt('generate', root, ENV)
    expect(run.code).not.toBe(0)
    expect(run.output).toContain('.output/public/photos/index.html:')
    expect(run.output).toContain('leftover-reference')
    expect(run.output).toContain('written by Nitro after the bundle')
    expect(existsSync(path.join(root, '.output/public/photos/index.html'))).toBe(false)
  }, 240_000)

  it('refuses a secret written into `runtimeConfig` in nuxt.config, which Nitro would bake into the server', async () => {
    const config = await readFile(path.join(REPO, 'examples/nuxt/nuxt.config.js'), 'utf8')
    const root = await site({
      'nuxt.config.js': config.replace('modules:', 'runtimeConfig: { imageboss: { secret: process.env.IMAGEBOSS_SECRET } },\n  modules:')
    })
    const run = await nuxt('generate', root, ENV)
    expect(run.code).not.toBe(0)
    expect(run.output).toContain('Unexpected `runtimeConfig.imageboss.secret` with a value')
    expect(run.output).not.toContain(SECRET)
  }, 240_000)
})

describe('nuxt build, and the server it builds', () => {
  it('keeps the secret out of the server build, and signs data with the secret given at run time', async () => {
    const root = await site()
    const run = await nuxt('build', root, ENV)
    expect(run.code, run.output).toBe(0)
    for (const [name, text] of await writtenFiles(root)) expect(text, name).not.toContain(SECRET)
    const server = await serve(() => ['.output/server/index.mjs'], root, { IMAGEBOSS_SOURCE: SOURCE, NUXT_IMAGEBOSS_SECRET: SECRET })
    try {
      expect(await (await fetch(server.url + '/')).text()).toContain(`src="${CAT}"`)
      expect(await (await fetch(server.url + '/api/photos')).json()).toEqual([{ title: 'Harbour', src: HARBOUR }])
    } finally {
      await server.stop()
    }
  }, 240_000)
})

describe('nuxt dev', () => {
  it('signs as the build does, and signs no reference that no module imports', async () => {
    const root = await site()
    const server = await serve(
      (port) => [path.join(REPO, 'test/nuxt-current/node_modules/nuxt/bin/nuxt.mjs'), 'dev', '--port', String(port), '--host', '127.0.0.1'],
      root,
      ENV
    )
    try {
      expect(await (await fetch(server.url + '/')).text()).toContain(`src="${CAT.replaceAll('&', '&amp;')}"`)
      for (const probe of ['/_nuxt/@id/__x00__imageboss:/probe.jpg?w=10', '/@id/__x00__imageboss:/probe.jpg?w=10']) {
        const response = await fetch(server.url + probe)
        expect(await response.text()).not.toContain('bossToken')
      }
    } finally {
      await server.stop()
    }
  }, 240_000)
})
