// What `astro build` says about references it cannot sign, on Astro 5 (Node 20) and the current
// Astro (Node 22): each site is built by Astro's command line, whose output the test reads.
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { EXAMPLE, EXAMPLE_ENV, SECRET, secretForms, url } from './example-expected.js'
import { ASTRO_5, ASTRO_CURRENT, astroCommand, copyExample, runAstro, type AstroSetup } from './example-run.js'
import { removeDirectory } from '../helpers/scratch.js'

const made: string[] = []
afterAll(async () => {
  for (const dir of made) await removeDirectory(dir)
})

async function site(setup: AstroSetup, files: Record<string, string>): Promise<string> {
  await mkdir(setup.scratch, { recursive: true })
  const root = await mkdtemp(path.join(setup.scratch, 'messages-'))
  made.push(root)
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true })
    await writeFile(path.join(root, name), text)
  }
  return root
}

const DYNAMIC_PAGE = `---
import { imagebossUrl } from 'imageboss-build/astro/runtime'
// Computed when the page renders: no build step sees a reference here.
const someVar = ['imageboss', '/photos/cat.jpg?w=400'].join(':')
---
<img src="imageboss:/photos/cat.jpg?w=200" alt="static">
<img src={someVar} alt="dynamic">
<img src={imagebossUrl(someVar)} alt="signed when it renders">
`

/** The lines of a text that hold `needle`, 1-based: where a problem is, counted by hand from the fixture. */
function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle))
  if (index === -1) throw new Error(`No ${needle} in the fixture`)
  return index + 1
}

/**
 * Each problem of \`file\` printed on exactly one line, \`file:line:column: rule-id: reason\` at its line
 * (front matter counted); and every place named in \`file\` one of those lines: no line counted
 * without the front matter, no \`undefined\` or \`0:0\`, no dump of an error object.
 */
function expectOneLinePerProblem(output: string, file: string, problems: Array<{ line: number; rule: string; needle: string }>): void {
  const escaped = file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
  for (const { line, rule, needle } of problems) {
    const lines = output.split('\n').filter((l) => new RegExp(`(?:^|\\s|\\] )${escaped}:${line}:\\d+: ${rule}: `).test(l))
    expect(lines, `${file}:${line} ${rule}\n${output}`).toHaveLength(1)
    expect(lines[0]).toContain(needle)
  }
  const places = [...output.matchAll(new RegExp(`${escaped}:([^:\\s]+):([^:\\s]+)`, 'g'))].map((m) => m[1])
  expect(places.length, output).toBeGreaterThan(0)
  for (const place of places)
    expect(
      problems.map((p) => String(p.line)),
      output
    ).toContain(place)
  expect(output).not.toMatch(/\[Error: |\[cause\]|object Object/)
}

const BAD_POST = `---
title: A typo
date: 2025-06-01
---

One letter missing:

![The harbour cat](imageboss:/photos/cat.jpg?w=400&qualty=80)
`

/** Two problems of different rules, below a front matter of four lines. */
const TWO_PROBLEMS = `---
title: Two problems
date: 2025-06-02
---

A typo, then a width that is no number:

<img src="imageboss:/photos/cat.jpg?w=400&qualty=80" alt="typo">

![Wide](imageboss:/photos/dog.jpg?w=wide)
`

for (const setup of [ASTRO_5, ASTRO_CURRENT]) {
  describe(`astro build messages (${setup.label})`, () => {
    it('fails on a reference computed at run time, naming the page and the way out; the runtime helper signs', async () => {
      const { bin } = await astroCommand(setup)
      const files = {
        'astro.config.mjs':
          "import { defineConfig } from 'astro/config'\nimport imageboss from 'imageboss-build/astro'\nexport default defineConfig({ integrations: [imageboss()] })\n",
        'src/pages/dynamic.astro': DYNAMIC_PAGE
      }
      const root = await site(setup, files)
      const run = await runAstro(setup.node, bin, ['build'], root, EXAMPLE_ENV)
      expect(run.code, run.output).not.toBe(0)
      // While the page is generated, by the page check: the page and its component named.
      expect(run.output).toMatch(
        /\/dynamic\/ \(rendered by src\/pages\/dynamic\.astro\):\d+:\d+: leftover-reference: Unexpected `imageboss:` reference left in the output in `src`, .*: imageboss:\/photos\/cat\.jpg\?w=400$/m
      )
      expect(run.output).not.toContain('astro:build:done')
      // A problem in the author's page, not a crash: no stack frames of this package.
      expect(run.output).not.toMatch(/^\s+at .*imageboss-build|^\s+at .*[\\/]dist[\\/]astro/m)
      expect(run.output).toContain('`imagebossUrl(…)` from `imageboss-build/astro/runtime`')
      for (const form of secretForms(SECRET)) expect(run.output).not.toContain(form)
      // The unsigned page was never written.
      expect(existsSync(path.join(root, 'dist/dynamic/index.html'))).toBe(false)

      // The way out the message points to: the runtime helper signs it when the page renders.
      const fixed = await site(setup, { ...files, 'src/pages/dynamic.astro': DYNAMIC_PAGE.replace('<img src={someVar} alt="dynamic">\n', '') })
      const ok = await runAstro(setup.node, bin, ['build'], fixed, EXAMPLE_ENV)
      expect(ok.code, ok.output).toBe(0)
      const html = await readFile(path.join(fixed, 'dist/dynamic/index.html'), 'utf8')
      expect(html).toContain(`src="${url('/demo-images/width/200/format:auto/photos/cat.jpg')}"`)
      expect(html).toContain(`src="${url('/demo-images/width/400/format:auto/photos/cat.jpg')}"`)
    }, 180_000)

    it('fails on an invalid reference in a Markdown post, with the rule id and file:line:column', async () => {
      const { bin } = await astroCommand(setup)
      const root = await copyExample(setup.scratch, 'invalid-', { 'src/content/posts/bad.md': BAD_POST })
      made.push(root)
      const run = await runAstro(setup.node, bin, ['build'], root, EXAMPLE_ENV)
      expect(run.code, run.output).not.toBe(0)
      expect(run.output).toContain('unknown-parameter')
      expect(run.output).toContain('`qualty`')
      // The place in the file, frontmatter included: the image is on line 8.
      expect(run.output).toMatch(/src\/content\/posts\/bad\.md:8:\d+/)
      expect(run.output).not.toMatch(/^\s+at .*imageboss-build|^\s+at .*[\\/]dist[\\/]astro/m)
      expect(run.output).not.toContain('[cause]')
      for (const form of secretForms(SECRET)) expect(run.output).not.toContain(form)
    }, 120_000)

    for (const [kind, name] of [
      ['a Markdown entry', 'src/content/posts/two.md'],
      ['a Markdown page', 'src/pages/two.md'],
      ['an MDX entry', 'src/content/posts/two.mdx']
    ] as const) {
      it(`prints each problem of ${kind} once, on one located line, front matter lines counted`, async () => {
        const { bin } = await astroCommand(setup)
        const text = name.endsWith('.mdx') ? TWO_PROBLEMS.replace('">', '" />') : TWO_PROBLEMS
        const root = await copyExample(setup.scratch, 'two-', { [name]: text })
        made.push(root)
        const run = await runAstro(setup.node, bin, ['build'], root, EXAMPLE_ENV)
        expect(run.code, run.output).not.toBe(0)
        expectOneLinePerProblem(run.output, name, [
          { line: lineOf(text, 'qualty'), rule: 'unknown-parameter', needle: '`qualty`' },
          { line: lineOf(text, 'w=wide'), rule: 'invalid-value', needle: '`wide`' }
        ])
        for (const form of secretForms(SECRET)) expect(run.output).not.toContain(form)
      }, 120_000)
    }

    it('fails on an invalid `cover:` of a collection schema with `imagebossImage()`, naming the entry, the field and the rule', async () => {
      const { bin } = await astroCommand(setup)
      const morning = await readFile(path.join(EXAMPLE, 'src/content/posts/morning.md'), 'utf8')
      const cover = 'imageboss:/photos/harbour.jpg?w=1200&qualty=80'
      const root = await copyExample(setup.scratch, 'cover-', { 'src/content/posts/morning.md': morning.replace(/^cover: .*$/m, `cover: ${cover}`) })
      made.push(root)
      const run = await runAstro(setup.node, bin, ['build'], root, EXAMPLE_ENV)
      expect(run.code, run.output).not.toBe(0)
      expect(run.output).toContain('posts → morning')
      expect(run.output).toMatch(
        new RegExp(`cover: \\[imageboss\\] unknown-parameter: Unexpected unknown parameter \`qualty\`.* in \`${cover.replace(/[?.]/g, '\\$&')}\``)
      )
      // Astro names the entry's file.
      expect(run.output).toContain(path.join(root, 'src/content/posts/morning.md'))
      for (const form of secretForms(SECRET)) expect(run.output).not.toContain(form)
      expect(existsSync(path.join(root, 'dist/posts/morning/index.html'))).toBe(false)
    }, 120_000)

    it('fails on a collection value rendered unsigned (no `imagebossImage()`), naming the page, and writes no unsigned page', async () => {
      const { bin } = await astroCommand(setup)
      const config = await readFile(path.join(EXAMPLE, 'src/content.config.ts'), 'utf8')
      const plain = config.replace('cover: imagebossImage().optional()', 'cover: z.string().optional()')
      expect(plain).not.toBe(config)
      const root = await copyExample(setup.scratch, 'unsigned-', { 'src/content.config.ts': plain })
      made.push(root)
      const run = await runAstro(setup.node, bin, ['build'], root, EXAMPLE_ENV)
      expect(run.code, run.output).not.toBe(0)
      expect(run.output).toMatch(
        /\/posts\/(?:morning|nets)\/ \(rendered by src\/pages\/posts\/\[\.\.\.slug\]\.astro\):\d+:\d+: leftover-reference: .*: imageboss:\/photos\/(?:harbour|nets)\.jpg\?w=1200&h=500/
      )
      expect(run.output).toContain('`imagebossImage()` from `imageboss-build/astro/content`')
      for (const form of secretForms(SECRET)) expect(run.output).not.toContain(form)
      // No page with an unsigned value in `dist/`: the failing one was never written.
      for (const page of ['dist/posts/morning/index.html', 'dist/posts/nets/index.html']) {
        const file = path.join(root, page)
        if (existsSync(file)) expect(await readFile(file, 'utf8'), page).not.toContain('imageboss:/photos/')
      }
      expect(existsSync(path.join(root, 'dist/posts/morning/index.html')) && existsSync(path.join(root, 'dist/posts/nets/index.html'))).toBe(false)
    }, 120_000)
  })
}
