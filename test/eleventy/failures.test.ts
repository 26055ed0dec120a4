// Production builds that must fail: located at the input file and line with the rule id, the
// secret never printed, and nothing unsigned left in the output.
import { existsSync } from 'node:fs'
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises'
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
    expect(await listFiles(site)).toEqual(['about/index.html', 'contact/index.html', 'gallery/index.html', 'img/badge.svg', 'index.html'])
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
    expect(await listFiles(path.join(dir, '_site'))).toEqual(['about/index.html', 'contact/index.html', 'css/site.css', 'img/badge.svg', 'index.html'])
    await expectNothingUnsigned(path.join(dir, '_site'))
  })

  it('locates a bad front-matter value given to the filter in a Nunjucks page at its line in the front matter', async () => {
    const dir = await copyExample()
    await edit(path.join(dir, 'src/about.njk'), (text) => text.replace('mode=face', 'mode=fcae'))
    const run = await eleventy(dir, [])
    expectFailed(run)
    expect(run.output).toMatch(/src\/about\.njk:4:\d+: invalid-value: Unexpected value `fcae` for `mode`[^\n]*\(given to the `imageboss` filter\)/)
    expect(await listFiles(path.join(dir, '_site'))).not.toContain('about/index.html')
    await expectNothingUnsigned(path.join(dir, '_site'))
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

  it('says the line is not known for a reference that comes from data, and names the page and output', async () => {
    const dir = await copyExample()
    await mkdir(path.join(dir, 'src/_data'), { recursive: true })
    await writeFile(path.join(dir, 'src/_data/hero.json'), JSON.stringify({ image: 'imageboss:/photos/hero.jpg?w=0' }))
    await appendFile(path.join(dir, 'src/gallery.liquid'), '<img src="{{ hero.image }}" alt="From data">\n')
    const run = await eleventy(dir, [])
    expectFailed(run)
    expect(run.output).toMatch(
      /src\/gallery\.liquid:1:1: invalid-value: [^\n]*found in the output `_site\/gallery\/index\.html:\d+:\d+`; the line is not known/
    )
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
