// examples/next (`withImageBoss(nextConfig)`) built by Next.js 16 (on the Node.js 22 of
// test/next-current) and 15 (test/next-15), each with Turbopack and with webpack; exported and
// served by `next dev` (16): every URL checked against the independent oracle, the secret in no
// file written or cached, problems located.
import { existsSync } from 'node:fs'
import { appendFile, readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectedUrl, hmac } from '../helpers/expected.js'
import { readTree } from '../helpers/files.js'
import { secretForms } from '../helpers/secret-forms.js'
import { checkInstalled, copyExample, ENV, NEXT_15, NEXT_16, nextBuild, nextDev, SECRET, SOURCE, verifyNext, type Bundler, type NextVersion } from './run.js'

const url = (signedPath: string) => expectedUrl(signedPath, SECRET)
/** Each kind of module of the example, and the URL its reference becomes. */
const EXPECTED = {
  'an <img> of a server component': url(`/${SOURCE}/width/640/format:auto/ny/brooklyn.jpg`),
  "an import's srcset": url(`/${SOURCE}/width/1200/format:auto/ny/central-park.jpg`),
  'next/image, unoptimized': url(`/${SOURCE}/cover/800x500/format:auto/ny/harbor.jpg`),
  'imagebossUrl() of a data file, at prerender': url(`/${SOURCE}/cover/600x400/format:auto/ny/bridge.jpg`),
  'a client component': url(`/${SOURCE}/width/320/format:auto/ny/subway.jpg`),
  "a client component's other value, in its chunk": url(`/${SOURCE}/width/960/format:auto/ny/subway.jpg`),
  'a CSS module': url(`/${SOURCE}/cover/1200x400/format:auto/ny/skyline.jpg`),
  'a global stylesheet': url(`/${SOURCE}/width/400/format:auto/ny/paper-texture.jpg`),
  'Markdown in MDX': url(`/${SOURCE}/width/700/format:auto/ny/fifth-avenue.jpg`),
  'JSX in MDX': url(`/${SOURCE}/width/300/format:auto/ny/flatiron.jpg`)
}
const URL_RE = /https:\/\/img\.imageboss\.me(\/[^"'`)\s\\?]+)\?bossToken=([0-9a-f]+)/g

const sites: string[] = []
async function site(files?: Record<string, string | null>, version: NextVersion = NEXT_16): Promise<string> {
  const root = await copyExample(version, files)
  sites.push(root)
  return root
}

/** Every Next.js and bundler the suite builds with. */
const BUILDS: Array<[string, NextVersion, Bundler]> = [
  ['16, turbopack', NEXT_16, 'turbopack'],
  ['16, webpack', NEXT_16, 'webpack'],
  ['15, webpack', NEXT_15, 'webpack'],
  ['15, turbopack', NEXT_15, 'turbopack']
]

/** The text files of what browsers are served: `.next/static`, and the pages and payloads of `.next/server/app`. */
async function served(root: string): Promise<string> {
  const statics = await readTree(path.join(root, '.next/static'), /\.(?:js|css)$/)
  const pages = await readTree(path.join(root, '.next/server/app'), /\.(?:html|rsc)$/)
  return [...statics.values(), ...pages.values()].join('\n')
}

/** Every file the build wrote or cached, as bytes read as Latin-1 (binary caches included). */
async function everyFile(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>()
  if (!existsSync(dir)) return files
  for (const [name] of await readTree(dir)) files.set(name, await readFile(path.join(dir, name), 'latin1'))
  return files
}

/** Line and column (1-based) of `needle` in `text`. */
function placeOf(text: string, needle: string): string {
  const at = text.indexOf(needle)
  const before = text.slice(0, at).split('\n')
  return `${before.length}:${(before.at(-1) ?? '').length + 1}`
}

beforeAll(() => {
  checkInstalled(NEXT_16)
  checkInstalled(NEXT_15)
})
afterAll(async () => {
  for (const root of sites) await rm(root, { recursive: true, force: true })
})

describe.each(BUILDS)('next build (Next.js %s) of the example', (_, version, bundler) => {
  let root: string
  let build: { code: number | null; output: string }
  beforeAll(async () => {
    root = await site({}, version)
    build = await nextBuild(version, bundler, root, ENV)
  }, 300_000)

  it('signs every kind of module: server and client components, next/image, an import, CSS, MDX, and runtime data', async () => {
    expect(build.code, build.output).toBe(0)
    const text = await served(root)
    for (const [where, expected] of Object.entries(EXPECTED)) expect(text.includes(expected), where).toBe(true)
    const page = await readFile(path.join(root, '.next/server/app/index.html'), 'utf8')
    // next/image serves the signed URL as it is: no optimiser URL, no loader.
    expect(page).not.toContain('/_next/image')
    // A code sample stays as written.
    expect(page).toContain('<code>imageboss:/ny/brooklyn.jpg?w=640</code>')
    // webpack's persistent cache follows the package's modules without a warning (it warns of
    // an `import()` of a computed path in an ES module it reads).
    expect(build.output).not.toContain('for build dependencies failed')
  })

  it('writes only URLs whose tokens the oracle computes, and `imageboss verify --next` finds nothing', async () => {
    const text = await served(root)
    const found = [...text.matchAll(URL_RE)]
    expect(found.length).toBeGreaterThanOrEqual(Object.keys(EXPECTED).length)
    for (const [, signedPath, token] of found) expect(token, signedPath).toBe(hmac(SECRET, signedPath as string))
    const verify = await verifyNext(version, root, ENV)
    expect(verify.output).toMatch(/imageboss verify --next: \d+ files, 0 findings/)
    expect(verify.code).toBe(0)
  })

  it('writes the secret into no file it emits or caches (`.next`, cache included)', async () => {
    const forms = secretForms(SECRET)
    for (const [name, bytes] of await everyFile(path.join(root, '.next')))
      for (const form of forms) expect(bytes.includes(form), `${name}: ${form}`).toBe(false)
  })
})

describe.each(BUILDS)('problems fail next build (Next.js %s)', (_, version, bundler) => {
  it('fails on a bad reference in a component and in a stylesheet, each located at file:line:column with its rule id', async () => {
    const page = 'export default function Bad() {\n  return (\n    <main>\n      <img src="imageboss:/bad.jpg?w=abc" alt="" />\n    </main>\n  )\n}\n'
    const style = 'main {\n  background: url(imageboss:/bad.png?fit=nope);\n}\n'
    const root = await site(
      {
        'app/bad/page.tsx': page,
        'app/bad/bad.css': style,
        'app/bad/layout.tsx': "import './bad.css'\nexport default function L({ children }: { children: React.ReactNode }) {\n  return children\n}\n"
      },
      version
    )
    const result = await nextBuild(version, bundler, root, ENV)
    expect(result.code).toBe(1)
    expect(result.output).toContain(`app/bad/page.tsx:${placeOf(page, 'abc')}: invalid-value: Unexpected value \`abc\` for \`w\``)
    expect(result.output).toContain(`app/bad/bad.css:${placeOf(style, 'fit=nope')}: unknown-parameter: Unexpected unknown parameter \`fit\``)
    expect(result.output).not.toContain(SECRET)
  }, 300_000)
})

describe('the signer stays on the server', () => {
  it('fails the build of a client component that imports imagebossUrl()', async () => {
    const root = await site({
      'app/leak/page.tsx':
        "'use client'\nimport { imagebossUrl } from 'imageboss-build/next/server'\nexport default function Leak() {\n  return <img src={imagebossUrl('imageboss:/a.jpg?w=5')} alt=\"\" />\n}\n"
    })
    const result = await nextBuild(NEXT_16, 'turbopack', root, ENV)
    expect(result.code).toBe(1)
    expect(result.output).toMatch(/server-only/)
    expect(result.output).not.toContain(SECRET)
  }, 300_000)
})

/** examples/next's config with `settings` added to the Next.js config. */
async function configWith(settings: string): Promise<string> {
  const config = (await readFile(path.join(process.cwd(), 'examples/next/next.config.mjs'), 'utf8')).replace(
    "withMDX({ pageExtensions: ['ts', 'tsx', 'mdx'] })",
    `withMDX({ ${settings}, pageExtensions: ['ts', 'tsx', 'mdx'] })`
  )
  expect(config).toContain(settings)
  return config
}

describe("output: 'export'", () => {
  it('signs the exported site, and `imageboss verify --next` checks `out/`', async () => {
    const root = await site({ 'next.config.mjs': await configWith("output: 'export'") })
    const result = await nextBuild(NEXT_16, 'turbopack', root, ENV)
    expect(result.code, result.output).toBe(0)
    const page = await readFile(path.join(root, 'out/index.html'), 'utf8')
    for (const expected of [
      EXPECTED['an <img> of a server component'],
      EXPECTED['next/image, unoptimized'],
      EXPECTED['imagebossUrl() of a data file, at prerender']
    ])
      expect(page).toContain(expected)
    expect((await verifyNext(NEXT_16, root, ENV)).code).toBe(0)
    // What another step adds to the exported site after the build is found there, located.
    await appendFile(path.join(root, 'out/index.html'), '\n<img src="imageboss:/late.jpg?w=5">\n')
    const verify = await verifyNext(NEXT_16, root, ENV)
    expect(verify.code).toBe(1)
    expect(verify.output).toMatch(/^out\/index\.html:\d+:11: leftover-reference: /m)
  }, 300_000)
})

describe('a custom `distDir`', () => {
  it('is checked with `imageboss verify --next --dist-dir`: the build folder as `.next`, with its served pages read', async () => {
    const root = await site({ 'next.config.mjs': await configWith("distDir: 'build'") })
    const result = await nextBuild(NEXT_16, 'turbopack', root, ENV)
    expect(result.code, result.output).toBe(0)
    expect(existsSync(path.join(root, '.next'))).toBe(false)
    const missed = await verifyNext(NEXT_16, root, ENV)
    expect(missed.code).toBe(2)
    expect(missed.output).toContain('pass it: `--dist-dir <dir>`')
    expect((await verifyNext(NEXT_16, root, ENV, ['--dist-dir', 'build'])).output).toMatch(/imageboss verify --next: \d+ files, 0 findings/)
    await appendFile(path.join(root, 'build/server/app/index.html'), '\n<img src="imageboss:/late.jpg?w=5">\n')
    const verify = await verifyNext(NEXT_16, root, ENV, ['--dist-dir', 'build'])
    expect(verify.code).toBe(1)
    expect(verify.output).toMatch(/^build\/server\/app\/index\.html:\d+:11: leftover-reference: /m)
  }, 300_000)

  it("is, with output: 'export', the exported site, checked whole", async () => {
    const root = await site({ 'next.config.mjs': await configWith("output: 'export', distDir: 'site'") }, NEXT_15)
    const result = await nextBuild(NEXT_15, 'webpack', root, ENV)
    expect(result.code, result.output).toBe(0)
    expect(await readFile(path.join(root, 'site/index.html'), 'utf8')).toContain(EXPECTED['an <img> of a server component'])
    expect((await verifyNext(NEXT_15, root, ENV, ['--dist-dir', 'site'])).code).toBe(0)
    await appendFile(path.join(root, 'site/index.html'), '\n<img src="imageboss:/late.jpg?w=5">\n')
    const verify = await verifyNext(NEXT_15, root, ENV, ['--dist-dir', 'site'])
    expect(verify.code).toBe(1)
    expect(verify.output).toMatch(/^site\/index\.html:\d+:11: leftover-reference: /m)
  }, 300_000)
})

describe('settings', () => {
  it('reads IMAGEBOSS_* from `.env.local`, as Next.js loads it, for the build and for `imageboss verify --next`; that secret is written nowhere', async () => {
    const root = await site({ '.env.local': `IMAGEBOSS_SOURCE=${SOURCE}\nIMAGEBOSS_SECRET=${SECRET}\n` })
    const result = await nextBuild(NEXT_16, 'turbopack', root, {})
    expect(result.code, result.output).toBe(0)
    expect(await served(root)).toContain(EXPECTED['an <img> of a server component'])
    expect((await verifyNext(NEXT_16, root, {})).code).toBe(0)
    const forms = secretForms(SECRET)
    for (const [name, bytes] of await everyFile(path.join(root, '.next')))
      for (const form of forms) expect(bytes.includes(form), `${name}: ${form}`).toBe(false)
  }, 300_000)

  it('refuses a secret in the options, which Next.js would serialise', async () => {
    const root = await site({
      'next.config.mjs': "import { withImageBoss } from 'imageboss-build/next'\nexport default withImageBoss({}, { secret: 'written-in-config-1234' })\n"
    })
    const result = await nextBuild(NEXT_16, 'turbopack', root, ENV)
    expect(result.code).toBe(1)
    expect(result.output).toContain('invalid-option: Unexpected secret in `withImageBoss()` options')
    expect(result.output).not.toContain('written-in-config-1234')
  }, 300_000)
})

describe('next dev', () => {
  it('signs as the build does, warns of a bad reference with its place, and signs nothing a request asks for', async () => {
    const bad = 'export default function Bad() {\n  return <img src="imageboss:/bad.jpg?w=abc" alt="" />\n}\n'
    const root = await site({ 'app/bad/page.tsx': bad })
    const server = await nextDev(root, ENV)
    try {
      const home = await (await fetch(server.url + '/')).text()
      expect(home).toContain(EXPECTED['an <img> of a server component'])
      expect(home).toContain(EXPECTED['next/image, unoptimized'])
      const page = await fetch(server.url + '/bad')
      expect(page.status).toBe(200)
      await page.text()
      expect(server.output()).toContain(`app/bad/page.tsx:${placeOf(bad, 'abc')}: invalid-value`)
      // Crafted requests: a path, a query, a module id and the image optimiser, each naming a reference.
      const crafted = [
        '/imageboss:/crafted.jpg?w=1',
        '/?src=imageboss:/crafted.jpg?w=1',
        '/_next/image?url=imageboss:/crafted.jpg%3Fw%3D1&w=64&q=75',
        '/_next/static/chunks/imageboss:/crafted.jpg'
      ]
      for (const request of crafted) {
        const body = await (await fetch(server.url + request)).text()
        expect(body, request).not.toMatch(/crafted\.jpg\?bossToken=/)
      }
      expect(server.output()).not.toContain(SECRET)
    } finally {
      await server.stop()
    }
  }, 300_000)
})
