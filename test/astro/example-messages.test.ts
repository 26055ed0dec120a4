// What `astro build` says about references it cannot sign, on Astro 5 (Node 20) and the current
// Astro (Node 22): each site is built by Astro's command line, whose output the test reads.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { EXAMPLE_ENV, SECRET, secretForms, url } from './example-expected.js'
import { ASTRO_5, ASTRO_CURRENT, astroCommand, copyExample, runAstro, type AstroSetup } from './example-run.js'

const made: string[] = []
afterAll(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true })
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

const BAD_POST = `---
title: A typo
date: 2025-06-01
---

One letter missing:

![The harbour cat](imageboss:/photos/cat.jpg?w=400&qualty=80)
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
      expect(run.output).toMatch(/leftover-reference: Unexpected `imageboss:` reference left in the output in `src`/)
      // A problem in the author's page, not a crash: no stack frames of this package.
      expect(run.output).not.toMatch(/^\s+at .*imageboss-build|^\s+at .*[\\/]dist[\\/]astro/m)
      expect(run.output).toMatch(/dist\/dynamic\/index\.html \(rendered by src\/pages\/dynamic\.astro\):\d+:\d+/)
      expect(run.output).toContain('imageboss:/photos/cat.jpg?w=400')
      expect(run.output).toContain('`imagebossUrl(…)` from `imageboss-build/astro/runtime`')
      for (const form of secretForms(SECRET)) expect(run.output).not.toContain(form)

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
  })
}
