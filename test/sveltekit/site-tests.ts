// What a SvelteKit build and dev server of examples/sveltekit must do, for each SvelteKit the
// suite runs: expected URLs written by hand from the reference syntax, tokens from node:crypto.
import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectedUrl, hmac } from '../helpers/expected.js'
import { readTree } from '../helpers/files.js'
import { copyExample, ENV, kitVersion, SECRET, viteBuild, viteDev, type Kit } from './run.js'
import { removeDirectory } from '../helpers/scratch.js'

const url = (signedPath: string) => expectedUrl(signedPath, SECRET)

const FAVICON = url('/demo-images/width/32/format:auto/favicon.png')
const OG_IMAGE = url('/demo-images/cover/1200x630/format:auto/photos/cover.jpg')
const CAT = url('/demo-images/width/800/format:auto/photos/cat.jpg')
const THUMB = url('/demo-images/cover/200x200/format:auto/photos/cat.jpg')
const HERO = url('/demo-images/cover:entropy/1600x600/format:auto/photos/hero.jpg')
/** The references of examples/sveltekit/content/photos.json, which the `load` of /photos signs. */
const HARBOUR = url('/demo-images/cover/600x400/format:auto/photos/harbour.jpg')
const OLD_TOWN = url('/demo-images/cover:entropy/600x400/format:auto/photos/old-town.jpg')

const URL_RE = /https:\/\/img\.imageboss\.me(\/[^"'?\s)<>]+)(?:\?bossToken=([0-9a-f]*))?/g

/** `src/app.html` with a misspelt parameter on line 5, column 28. */
const BAD_APP_HTML = [
  '<!doctype html>',
  '<html lang="en">',
  '  <head>',
  '    <meta charset="utf-8">',
  '    <link rel="icon" href="imageboss:/favicon.png?w=32&amp;wdth=3">',
  '    %sveltekit.head%',
  '  </head>',
  '  <body>',
  '    <div style="display: contents">%sveltekit.body%</div>',
  '  </body>',
  '</html>',
  ''
].join('\n')

/** A page whose server `load` reads a reference when the page is prerendered: no transform sees it. */
const CARD_PAGE = {
  'src/card.txt': 'imageboss:/photos/card.jpg?w=600\n',
  'src/routes/card/+page.server.js':
    "import { readFileSync } from 'node:fs'\n\nexport function load() {\n  return { card: readFileSync('src/card.txt', 'utf8').trim() }\n}\n",
  'src/routes/card/+page.svelte': '<script>\n  let { data } = $props()\n</script>\n\n<img src={data.card} alt="Card">\n'
}

/** The example's server resolver made from `$env/static/private`, as docs/sveltekit.md warns against. */
export const STATIC_ENV_RESOLVER = [
  "import { IMAGEBOSS_SECRET, IMAGEBOSS_SOURCE } from '$env/static/private'",
  "import { createImageBoss } from 'imageboss-build'",
  '',
  'export const imageboss = createImageBoss({ env: { IMAGEBOSS_SOURCE, IMAGEBOSS_SECRET } })',
  ''
].join('\n')

/** What a SvelteKit's tests add to the example for its server's variables. */
export interface DataSetup {
  /** Files that make the `load` of /photos sign with a secret inlined into the server build. */
  staticSecret: Record<string, string>
  /** Files that leave the variables out of `$env/dynamic/private` (SvelteKit 3 without `src/env.js`), if this SvelteKit has a way to. */
  undeclared?: Record<string, string | null>
}

/**
 * The tests of one SvelteKit: a build with each plugin order of `configs` (files put into the
 * copy of the example, `null` removes one), failing builds, the dev server, and images in data.
 */
export function siteTests(kit: Kit, major: number, configs: Record<string, Record<string, string | null>>, data: DataSetup): void {
  const made: string[] = []
  afterAll(async () => {
    for (const dir of made) await removeDirectory(dir)
  })
  const [first] = Object.values(configs)
  const site = async (files: Record<string, string | null> = {}) => {
    const merged = { ...first, ...files }
    // A file that the first config adds and `files` takes away is not written at all.
    for (const [name, text] of Object.entries(files)) if (text === null && typeof first?.[name] === 'string') delete merged[name]
    const root = await copyExample(kit, merged)
    made.push(root)
    return root
  }

  beforeAll(async () => {
    expect(Number((await kitVersion(kit)).split('.')[0])).toBe(major)
  })

  describe.each(Object.entries(configs))(`vite build of examples/sveltekit (SvelteKit ${major}), plugins: [%s]`, (_, config) => {
    let files = new Map<string, string>()
    let output = ''
    beforeAll(async () => {
      const root = await site(config)
      const run = await viteBuild(kit, root, ENV)
      output = run.output
      if (run.code !== 0) throw new Error(`vite build failed (${run.code}):\n${run.output}`)
      files = await readTree(path.join(root, 'build'))
    }, 180_000)

    it('signs the references of src/app.html in the prerendered page', () => {
      const page = files.get('index.html') ?? ''
      expect(page).toContain(`<link rel="icon" href="${FAVICON}">`)
      expect(page).toContain(`<meta property="og:image" content="${OG_IMAGE}">`)
    })

    it("signs the page's markup, its script literal and its `<style>`", () => {
      const page = files.get('index.html') ?? ''
      expect(page).toContain(`<img src="${CAT}" alt="A cat"`)
      expect(page).toContain(`<img src="${THUMB}" alt="A cat, small"`)
      const css = [...files].filter(([name]) => name.endsWith('.css')).map(([, text]) => text)
      expect(css.some((text) => text.includes(`url(${HERO})`))).toBe(true)
    })

    it('signs the URLs that a server `load` returns from data, in the prerendered page and its data', () => {
      const page = files.get('photos.html') ?? ''
      expect(page).toContain(`<img src="${HARBOUR}" alt="The harbour"`)
      expect(page).toContain(`<img src="${OLD_TOWN}" alt="The old town"`)
      const json = files.get('photos/__data.json') ?? ''
      expect(json).toContain(HARBOUR)
      expect(json).toContain(OLD_TOWN)
    })

    it('ships no reference, and only URLs whose token verifies', () => {
      const found = new Set<string>()
      for (const [name, text] of files) {
        expect(text, name).not.toContain('imageboss:')
        for (const [, signedPath, token] of text.matchAll(URL_RE)) {
          expect(token, `${name}: ${signedPath}`).toBe(hmac(SECRET, signedPath as string))
          found.add(signedPath as string)
        }
      }
      expect(found.size).toBe(7)
    })

    it('is not warned about `transformIndexHtml`', () => {
      expect(output).toContain('Wrote site to "build"')
      expect(output).not.toContain('transform_index_html_unsupported')
      expect(output).not.toContain('transformIndexHtml')
    })

    it('fails on a bad reference in src/app.html, located there, with no secret printed', async () => {
      const root = await site({ ...config, 'src/app.html': BAD_APP_HTML })
      const run = await viteBuild(kit, root, ENV)
      expect(run.code).not.toBe(0)
      expect(run.output).toContain('src/app.html:5:28')
      expect(run.output).toContain('unknown-parameter')
      expect(run.output).toContain('`wdth`')
      expect(run.output).not.toContain(SECRET)
      expect(existsSync(path.join(root, 'build'))).toBe(false)
    }, 120_000)

    it('fails when a prerendered page holds a reference made at prerender time, before the adapter writes the site', async () => {
      const root = await site({ ...config, ...CARD_PAGE })
      const run = await viteBuild(kit, root, ENV)
      expect(run.code).not.toBe(0)
      expect(run.output).toMatch(/\.svelte-kit\/output\/prerendered\/pages\/card\.html:\d+:\d+: leftover-reference/)
      expect(run.output).toContain('prerendered by SvelteKit')
      // The message leads to the way to sign data: in the `load`, on the server.
      expect(run.output).toContain('sign data in the server `load` with `createImageBoss({ env })` from `imageboss-build`')
      expect(run.output).toContain('https://github.com/imageboss-build/imageboss-build/blob/main/docs/sveltekit.md#images-in-data')
      expect(run.output).not.toContain(SECRET)
      expect(existsSync(path.join(root, 'build'))).toBe(false)

      // Fixed, and built again in the same folder: the pages of the failed build are not checked.
      await writeFile(path.join(root, 'src/card.txt'), 'https://example.com/card.jpg\n')
      const fixed = await viteBuild(kit, root, ENV)
      expect(fixed.code, fixed.output).toBe(0)
      expect(await readFile(path.join(root, 'build/card.html'), 'utf8')).toContain('<img src="https://example.com/card.jpg" alt="Card"')
    }, 180_000)
  })

  describe(`images in data (SvelteKit ${major})`, () => {
    it('fails on a bad reference in the data a `load` signs: the reason and the page, and no site', async () => {
      const root = await site()
      const photos = await readFile(path.join(root, 'content/photos.json'), 'utf8')
      await writeFile(path.join(root, 'content/photos.json'), photos.replace('mode=entropy', 'mode=sideways'))
      const run = await viteBuild(kit, root, ENV)
      expect(run.code).not.toBe(0)
      // What `url()` threw, as SvelteKit prints an error of a `load` while prerendering.
      expect(run.output).toContain('ImageBossError: Unexpected value `sideways` for `mode`')
      expect(run.output).toMatch(/500\]? GET \/photos/)
      expect(run.output).not.toContain(SECRET)
      expect(existsSync(path.join(root, 'build'))).toBe(false)
    }, 120_000)

    it('fails with `secret-in-output` when the secret comes from `$env/static/private`, and writes neither the chunk nor the site', async () => {
      const root = await site(data.staticSecret)
      const run = await viteBuild(kit, root, ENV)
      expect(run.code).not.toBe(0)
      expect(run.output).toMatch(
        /entries\/pages\/photos\/_page\.server\.js:\d+:\d+: secret-in-output: Unexpected secret of source `demo-images` in an emitted file/
      )
      expect(run.output).not.toContain(SECRET)
      expect(existsSync(path.join(root, 'build'))).toBe(false)
      const server = await readTree(path.join(root, '.svelte-kit/output/server')).catch(() => new Map<string, string>())
      for (const [name, text] of server) expect(text, name).not.toContain(SECRET)
    }, 120_000)
  })

  const undeclared = data.undeclared
  // Only for a SvelteKit that reads its variables from `src/env.js` (SvelteKit 3).
  if (undeclared)
    it(`fails when \`$env/dynamic/private\` lacks the variables (SvelteKit ${major} without \`src/env.js\`), naming the variable`, async () => {
      const root = await site(undeclared)
      const run = await viteBuild(kit, root, ENV)
      expect(run.code).not.toBe(0)
      expect(run.output).toContain(
        'ImageBossError: Unexpected reference to the default source, expected a default source in the `source` option or the `IMAGEBOSS_SOURCE` variable'
      )
      expect(existsSync(path.join(root, 'build'))).toBe(false)
    }, 120_000)

  describe(`vite dev of examples/sveltekit (SvelteKit ${major})`, () => {
    it('serves the page with the references of src/app.html and the page signed', async () => {
      const root = await site()
      const server = await viteDev(kit, root, ENV)
      try {
        const response = await fetch(`${server.url}/`)
        expect(response.status).toBe(200)
        const page = await response.text()
        expect(page).toContain(`<link rel="icon" href="${FAVICON}">`)
        expect(page).toContain(`<meta property="og:image" content="${OG_IMAGE}">`)
        expect(page).toContain(`src="${CAT}"`)
        expect(page).toContain(`url(${HERO})`)
        expect(page).not.toContain('imageboss:')
        expect(server.output()).not.toContain('transform_index_html_unsupported')
        const photos = await (await fetch(`${server.url}/photos`)).text()
        expect(photos).toContain(`src="${HARBOUR}"`)
        expect(photos).toContain(`src="${OLD_TOWN}"`)
        expect(photos).not.toContain('imageboss:')
      } finally {
        await server.stop()
      }
    }, 120_000)

    it('answers a page whose src/app.html has a bad reference with the located message, and no secret', async () => {
      const root = await site({ 'src/app.html': BAD_APP_HTML })
      const server = await viteDev(kit, root, ENV)
      try {
        const response = await fetch(`${server.url}/`)
        expect(response.status).toBe(500)
        const page = await response.text()
        expect(page).toContain('unknown-parameter')
        expect(page).toContain('src/app.html:5:28: unknown-parameter: ')
        expect(page).not.toContain(SECRET)
        expect(server.output()).toContain('src/app.html:5:28')
        expect(server.output()).not.toContain(SECRET)
      } finally {
        await server.stop()
      }
    }, 120_000)
  })
}
