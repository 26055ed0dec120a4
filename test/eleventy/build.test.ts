// A real `eleventy` build of examples/eleventy with the plugin, as its README section shows it.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { expectedUrl } from '../helpers/expected.js'
import { eleventy, EXAMPLE, listFiles, outputDir, read, readmeSection, SECRET, SOURCE, withoutCode, type Run } from './helpers.js'

/** `srcset=auto` for a width `w`, as the README states it: the default breakpoints below `2w`, `w` and `2w`. */
function autoWidths(w: number): number[] {
  const breakpoints = [640, 750, 828, 960, 1080, 1280, 1668, 1920, 2048, 2560, 3200, 3840]
  return [...new Set([...breakpoints.filter((b) => b < 2 * w), w, 2 * w])].sort((a, b) => a - b)
}

/** The layout's `<link rel="icon">` and `<meta property="og:image">`. */
const head = [`/${SOURCE}/cover/32x32/format:png/brand/favicon.png`, `/${SOURCE}/cover/1200x630/format:auto/brand/cover.jpg`]

/** The front matter `image` of src/posts/harbour.md and src/posts/old-town.md. */
const harbour = `/${SOURCE}/cover/1200x600/format:auto/photos/harbour.jpg`
const oldTown = `/${SOURCE}/cover:entropy/1200x600/format:auto/photos/old-town.jpg`

/** Hand-written signed paths of every reference of the example, in order, by the file it ends up in. */
const EXPECTED: Record<string, string[]> = {
  'index.html': [...head, `/${SOURCE}/width/800/format:auto/photos/cat.jpg`, `/${SOURCE}/cover:entropy/400x300/format:auto/photos/dog.jpg`],
  'gallery/index.html': [...head, `/${SOURCE}/width/600/format:auto/photos/mountain.jpg`, `/${SOURCE}/cover/1600x400/format:auto/photos/sea.jpg`],
  'about/index.html': [
    ...head,
    `/${SOURCE}/cover:face/300x300/format:auto/team/ada.jpg`,
    `/${SOURCE}/width/800/format:auto/team/office.jpg`,
    ...autoWidths(800).map((w) => `/${SOURCE}/width/${w}/format:auto/team/office.jpg`),
    // src/_data/team.json, through the filter.
    `/${SOURCE}/cover:face/120x120/format:auto/team/grace.jpg`,
    `/${SOURCE}/cover:face/120x120/format:auto/team/alan.jpg`
  ],
  // Each post's front matter `image`, through the filter in layouts/post.njk.
  'posts/harbour/index.html': [...head, harbour],
  'posts/old-town/index.html': [...head, oldTown],
  // The posts collection's `data.image`, through the filter in src/posts.njk, in date order.
  'posts/index.html': [...head, harbour, oldTown],
  'contact/index.html': [
    ...head,
    `/${SOURCE}/width/1600/format:auto/photos/map.jpg`,
    `/${SOURCE}/width/3200/format:auto/photos/map.jpg`,
    `/${SOURCE}/width/800/format:auto/photos/map.jpg`
  ],
  'css/site.css': [`/${SOURCE}/cover:entropy/1600x600/format:auto/photos/hero.jpg`],
  'img/badge.svg': [`/${SOURCE}/width/120/format:png/brand/logo.png`]
}

let site: string
let run: Run

beforeAll(async () => {
  site = path.join(await outputDir(), '_site')
  run = await eleventy(EXAMPLE, [`--output=${site}`])
})

describe('eleventy build of examples/eleventy', () => {
  it('succeeds and writes the pages and the passthrough copies', async () => {
    expect(run.code, run.output).toBe(0)
    expect(await listFiles(site)).toEqual([
      'about/index.html',
      'contact/index.html',
      'css/site.css',
      'gallery/index.html',
      'img/badge.svg',
      'index.html',
      'posts/harbour/index.html',
      'posts/index.html',
      'posts/old-town/index.html'
    ])
  })

  it.each(Object.entries(EXPECTED))('signs every reference of %s with a token that verifies', async (file, paths) => {
    const text = await read(site, file)
    const urls = [...text.matchAll(/https:\/\/img\.imageboss\.me\/[^"')\s]+/g)].map((match) => match[0])
    expect(urls).toEqual(paths.map((signedPath) => expectedUrl(signedPath, SECRET)))
  })

  it('leaves nothing `imageboss:` in the site but the code samples of the Markdown page', async () => {
    for (const file of await listFiles(site)) expect(withoutCode(await read(site, file)), file).not.toContain('imageboss:')
  })

  it('leaves inline code and fenced code showing the syntax as text', async () => {
    const page = await read(site, 'index.html')
    expect(page).toContain('<code>imageboss:/photos/cat.jpg?w=800</code>')
    expect(page).toContain('&lt;img src=&quot;imageboss:/photos/example.jpg?w=300&quot; alt=&quot;A code sample, left as text&quot;&gt;')
  })

  it('keeps the passthrough copy whole: only the reference changed', async () => {
    const input = readFileSync(path.join(EXAMPLE, 'src/css/site.css'), 'utf8')
    const signed = input.replace('imageboss:/photos/hero.jpg?w=1600&h=600&mode=entropy', expectedUrl(EXPECTED['css/site.css']?.[0] as string, SECRET))
    expect(await read(site, 'css/site.css')).toBe(signed)
  })

  it('never prints the secret, and leaves no temporary file', async () => {
    expect(run.output).not.toContain(SECRET)
    expect((await listFiles(site)).filter((file) => file.includes('imageboss-tmp'))).toEqual([])
  })

  it('writes nothing into the example folder', () => {
    expect(existsSync(path.join(EXAMPLE, '_site'))).toBe(false)
  })
})

describe('README section', () => {
  const section = readmeSection()
  const blocks = [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((match) => ({ lang: match[1], body: match[2] as string }))

  it('shows the config that the example uses, as it is', () => {
    const config = readFileSync(path.join(EXAMPLE, 'eleventy.config.js'), 'utf8')
    const js = blocks.filter((block) => block.lang === 'js')
    expect(js.length).toBeGreaterThan(0)
    for (const block of js) expect(config.endsWith(block.body), block.body).toBe(true)
  })

  it('shows the install command of the package and the build command this test runs', () => {
    const sh = blocks.filter((block) => block.lang === 'sh').map((block) => block.body)
    expect(sh.join('\n')).toContain('npm install --save-dev imageboss-build @11ty/eleventy')
    expect(sh.join('\n')).toContain('npx @11ty/eleventy')
  })
})
