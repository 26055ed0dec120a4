// Production builds that must fail: located at the input file and line with the rule id, the
// secret never printed, and nothing unsigned left in the output.
import { existsSync } from 'node:fs'
import { appendFile, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { expectedUrl } from '../helpers/expected.js'
import { copyExample, eleventy, ENV, listFiles, read, readmeSection, SECRET, SOURCE, withoutCode, type Run } from './helpers.js'

const BROKEN_PAGE = `---
layout: layouts/base.njk
title: Broken
---

A page with a mistake.

![Broken](imageboss:/photos/cat.jpg?w=800&quality=900)
`

/** The pages of the example's posts collection: each post, and the list of them. */
const POSTS = ['posts/harbour/index.html', 'posts/index.html', 'posts/old-town/index.html']

/** The place of `part` in `text`, the first time it comes after `after`: what a message must name. */
function placeOf(text: string, after: string, part: string): string {
  const at = text.indexOf(part, text.indexOf(after))
  if (text.indexOf(after) === -1 || at === -1) throw new Error(`Expected \`${part}\` after \`${after}\``)
  const before = text.slice(0, at).split('\n')
  return `${before.length}:${(before.at(-1) ?? '').length + 1}`
}

async function edit(file: string, change: (text: string) => string): Promise<void> {
  await writeFile(file, change(await readFile(file, 'utf8')))
}

/** What a failed build must never leave: a reference outside code samples, a placeholder, a temporary file. */
async function expectNothingUnsigned(site: string): Promise<void> {
  for (const file of await listFiles(site)) {
    const text = await read(site, file)
    expect(withoutCode(text), file).not.toContain('imageboss:')
    expect(text, file).not.toContain('data:,')
    expect(file).not.toContain('imageboss-tmp')
  }
}

function expectFailed(run: Run): void {
  expect(run.code, run.output).toBe(1)
  expect(run.output).not.toContain(SECRET)
  expect(run.output).not.toContain('Original error stack trace')
}

/**
 * A production build of a copy of the example with `from` replaced by `to` in `file` (relative
 * to the copy), which must fail: its output, the files of its site, and the edited file's text.
 */
async function failingBuild(file: string, from: string, to: string): Promise<{ run: Run; site: string[]; text: string }> {
  const dir = await copyExample()
  await edit(path.join(dir, file), (text) => text.replace(from, to))
  const run = await eleventy(dir, [])
  expectFailed(run)
  await expectNothingUnsigned(path.join(dir, '_site'))
  return { run, site: await listFiles(path.join(dir, '_site')), text: await readFile(path.join(dir, file), 'utf8') }
}

describe('a production build with bad references', () => {
  it('fails with every problem at its input file and line, and removes the files that hold them', async () => {
    const dir = await copyExample()
    await writeFile(path.join(dir, 'src/broken.md'), BROKEN_PAGE)
    await edit(path.join(dir, 'src/css/site.css'), (text) => text.replace('mode=entropy', 'mode=sideways'))
    const run = await eleventy(dir, [])
    expectFailed(run)
    // The README shows this very output.
    const shown = /```text\n([\s\S]*?)```/.exec(readmeSection())?.[1] ?? ''
    for (const line of shown.trim().split('\n')) expect(run.output).toContain(line)
    const site = path.join(dir, '_site')
    expect(await listFiles(site)).toEqual(['about/index.html', 'contact/index.html', 'gallery/index.html', 'img/badge.svg', 'index.html', ...POSTS])
    await expectNothingUnsigned(site)
    // The good pages are signed as ever.
    expect(await read(site, 'index.html')).toContain(expectedUrl(`/${SOURCE}/width/800/format:auto/photos/cat.jpg`, SECRET))
  })

  it('locates a bad value given to the filter in the Liquid page that gives it', async () => {
    const dir = await copyExample()
    await edit(path.join(dir, 'src/gallery.liquid'), (text) => text.replace('sea.jpg?w=1600&h=400', 'sea.jpg?w=1600&hieght=400'))
    const run = await eleventy(dir, [])
    expectFailed(run)
    expect(run.output).toMatch(
      /src\/gallery\.liquid:7:72: unknown-parameter: Unexpected unknown parameter `hieght`, expected a known parameter such as `height` \(given to the `imageboss` filter\)/
    )
    expect(await listFiles(path.join(dir, '_site'))).toEqual([
      'about/index.html',
      'contact/index.html',
      'css/site.css',
      'img/badge.svg',
      'index.html',
      ...POSTS
    ])
    await expectNothingUnsigned(path.join(dir, '_site'))
  })

  it('locates a bad front-matter value given to the filter in a Nunjucks page at its line in the front matter', async () => {
    const { run, site } = await failingBuild('src/about.njk', 'mode=face', 'mode=fcae')
    expect(run.output).toMatch(/src\/about\.njk:4:\d+: invalid-value: Unexpected value `fcae` for `mode`[^\n]*\(given to the `imageboss` filter\)/)
    expect(site).not.toContain('about/index.html')
  })

  it('locates a bad value of a global data file given to the filter at its line in that file, naming the page', async () => {
    const { run, site, text } = await failingBuild('src/_data/team.json', 'alan.jpg?w=120&h=120&mode=face', 'alan.jpg?w=120&h=120&mode=fcae')
    const place = placeOf(text, 'alan.jpg', 'fcae')
    expect(run.output).toContain(
      `src/_data/team.json:${place}: invalid-value: Unexpected value \`fcae\` for \`mode\`, expected one of \`smart\`, \`center\`, \`attention\`, \`entropy\`, \`face\`, \`north\`, \`northeast\`, \`east\`, \`southeast\`, \`south\`, \`southwest\`, \`west\`, \`northwest\`, \`contain\`, \`inside\` (given to the \`imageboss\` filter on the page \`src/about.njk\`)`
    )
    expect(site).not.toContain('about/index.html')
  })

  it("locates a bad front-matter `image` at its line in the post, for the post's layout and the collection's list alike", async () => {
    const { run, site, text } = await failingBuild('src/posts/old-town.md', 'w=1200&h=600&mode=entropy', 'w=1200&hieght=600&mode=entropy')
    const place = placeOf(text, 'image:', 'hieght')
    expect(run.output).toContain(
      `src/posts/old-town.md:${place}: unknown-parameter: Unexpected unknown parameter \`hieght\`, expected a known parameter such as \`height\``
    )
    // One place, one line (in each copy of the message Eleventy prints), though two pages give the value.
    expect(run.output.match(/old-town\.md:\d+:\d+: unknown-parameter/g)?.length).toBe(run.output.match(/\[imageboss\] /g)?.length)
    expect(site).not.toContain('posts/old-town/index.html')
    expect(site).not.toContain('posts/index.html')
    expect(site).toContain('posts/harbour/index.html')
  })

  it('locates a bad reference of a layout in the layout, once for all the pages made with it', async () => {
    const dir = await copyExample()
    await edit(path.join(dir, 'src/_includes/layouts/base.njk'), (text) => text.replace('w=1200&h=630', 'w=1200&h=630&qualty=80'))
    const run = await eleventy(dir, [])
    expectFailed(run)
    const lines = run.output.split('\n').filter((line) => line.includes('src/_includes/layouts/base.njk:7:'))
    expect(lines.length, run.output).toBeGreaterThan(0)
    expect(lines.every((line) => line.includes('unknown-parameter'))).toBe(true)
    // Both pages use the layout: one line, in each copy of the message Eleventy prints.
    expect(run.output.match(/base\.njk:7:\d+: unknown-parameter/g)?.length).toBe(run.output.match(/\[imageboss\] /g)?.length)
    expect(await listFiles(path.join(dir, '_site'))).toEqual(['css/site.css', 'img/badge.svg'])
  })

  it('locates a bad reference that a page writes from a global data file in that file, and names the output', async () => {
    const dir = await copyExample()
    const json = JSON.stringify({ image: 'imageboss:/photos/hero.jpg?w=0' })
    await writeFile(path.join(dir, 'src/_data/hero.json'), json)
    await appendFile(path.join(dir, 'src/gallery.liquid'), '<img src="{{ hero.image }}" alt="From data">\n')
    const run = await eleventy(dir, [])
    expectFailed(run)
    const [line, column] = placeOf(json, 'hero.jpg?w=', '0').split(':')
    expect(run.output).toMatch(
      new RegExp(`src/_data/hero\\.json:${line}:${column}: invalid-value: [^\\n]*\\(found in the output \`_site/gallery/index\\.html:\\d+:\\d+\`\\)`)
    )
    expect(await listFiles(path.join(dir, '_site'))).not.toContain('gallery/index.html')
    await expectNothingUnsigned(path.join(dir, '_site'))
  })

  it('says the line is not known for a reference that code computed, and names the page', async () => {
    const dir = await copyExample()
    await writeFile(path.join(dir, 'src/_data/computed.js'), "export default { image: 'imageboss:/photos/' + 'hero.jpg?w=0' }\n")
    await appendFile(path.join(dir, 'src/gallery.liquid'), '<img src="{{ computed.image | imageboss }}" alt="Computed">\n')
    const run = await eleventy(dir, [])
    expectFailed(run)
    expect(run.output).toMatch(/src\/gallery\.liquid:1:1: invalid-value: [^\n]*\(given to the `imageboss` filter; the line is not known/)
    expect(await listFiles(path.join(dir, '_site'))).not.toContain('gallery/index.html')
  })

  it('fails on a reference that a later transform left in the output: the output check, located in the output', async () => {
    const dir = await copyExample()
    await edit(path.join(dir, 'eleventy.config.js'), (text) =>
      text.replace(
        "eleventyConfig.addPassthroughCopy('src/css')",
        `eleventyConfig.addPlugin((config) => config.addTransform('late', (content) => content.replace('</main>', '<img src="imageboss:/late.jpg" alt=""></main>')))
  eleventyConfig.addPassthroughCopy('src/css')`
      )
    )
    const run = await eleventy(dir, [])
    expectFailed(run)
    expect(run.output).toMatch(
      /_site\/index\.html:\d+:\d+: leftover-reference: Unexpected `imageboss:` reference left in the output[^\n]*in the output of `src\/index\.md`/
    )
    expect(run.output).toContain(
      'Removed from the output, so that nothing unsigned is deployed: _site/about/index.html, _site/contact/index.html, _site/gallery/index.html, _site/index.html'
    )
    await expectNothingUnsigned(path.join(dir, '_site'))
  })
})

describe('a production build with bad settings', () => {
  it('fails before writing anything when the secret is missing, naming the variable', async () => {
    const dir = await copyExample()
    const run = await eleventy(dir, [], { IMAGEBOSS_SOURCE: SOURCE })
    expect(run.code, run.output).toBe(1)
    expect(run.output).toContain('[imageboss] missing-secret: Missing secret for source `eleventy-site`, expected the `IMAGEBOSS_SECRET` variable')
    expect(run.output).not.toContain('Original error stack trace')
    expect(existsSync(path.join(dir, '_site'))).toBe(false)
  })

  it('fails on a misspelt option with the nearest name', async () => {
    const dir = await copyExample()
    await edit(path.join(dir, 'eleventy.config.js'), (text) => text.replace('addPlugin(imageboss)', "addPlugin(imageboss, { sorce: 'x' })"))
    const run = await eleventy(dir, [], ENV)
    expect(run.code, run.output).toBe(1)
    expect(run.output).toContain(
      '[imageboss] invalid-option: Unexpected option `sorce` for `addPlugin(imageboss, options)`, expected a known option such as `source`'
    )
    expect(run.output).not.toContain('Original error stack trace')
  })

  it('takes its options from imageboss.config.js when addPlugin is given none', async () => {
    const dir = await copyExample()
    await writeFile(path.join(dir, 'imageboss.config.js'), "export default { source: 'from-file', defaults: {} }\n")
    const run = await eleventy(dir, [], { IMAGEBOSS_SECRET: SECRET })
    expect(run.code, run.output).toBe(0)
    expect(await read(path.join(dir, '_site'), 'index.html')).toContain(expectedUrl('/from-file/width/800/photos/cat.jpg', SECRET))
  })
})
