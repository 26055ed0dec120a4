// A build that fails on a content-collection entry leaves Astro's content store holding the
// entry without its body. `astro build` run again, with nothing changed, must fail the same
// way rather than ship the page empty; once the entry is fixed, the page has its body.
// Real `astro build`s (Astro 5, Node 20) in child processes, one after another in one site.
import { readFile, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { hmac } from '../helpers/expected.js'
import { writeFiles } from '../helpers/files.js'
import { scratchDirectories } from '../helpers/scratch.js'
import { ASTRO_5, astroCommand, runAstro } from './example-run.js'

const { scratchIn } = scratchDirectories()
const SOURCE = 'cache-src'
const SECRET = 'cache-Secret-3f9a'
const BAD = '---\ntitle: Post\n---\n\nThe body of the post.\n\n![x](imageboss:/a.jpg?w=abc)\n'
const GOOD = '---\ntitle: Post\n---\n\nThe body of the post.\n\n![x](imageboss:/a.jpg?w=40)\n'

const SITE = {
  'astro.config.mjs':
    "import { defineConfig } from 'astro/config'\nimport imageboss from 'imageboss-build/astro'\nexport default defineConfig({ integrations: [imageboss()] })\n",
  '.env': `IMAGEBOSS_SOURCE=${SOURCE}\nIMAGEBOSS_SECRET=${SECRET}\n`,
  'src/content.config.ts':
    "import { defineCollection } from 'astro:content'\nimport { glob } from 'astro/loaders'\nconst posts = defineCollection({ loader: glob({ pattern: '**/*.md', base: './src/content/posts' }) })\nexport const collections = { posts }\n",
  'src/pages/[id].astro':
    "---\nimport { getCollection, render } from 'astro:content'\nexport async function getStaticPaths() {\n  return (await getCollection('posts')).map((post) => ({ params: { id: post.id }, props: { post } }))\n}\nconst { Content } = await render(Astro.props.post)\n---\n<html><body><main><Content /></main></body></html>\n",
  'src/content/posts/post.md': BAD
}

/** The problem lines of a failed build: `rule-id: reason (file:line:column)`. */
function problems(output: string): string[] {
  return [
    ...new Set(
      output
        .split('\n')
        .filter((line) => /^\[imageboss\] [\w./-]+:\d+:\d+: [a-z-]+: /.test(line.trim()))
        .map((line) => line.trim())
    )
  ]
}

describe('a failed build leaves no state that lets the next one pass (Astro 5, Node 20)', () => {
  it('an unchanged second build fails with the same problems; the fixed entry ships with its body', async () => {
    const { bin } = await astroCommand(ASTRO_5)
    const root = await scratchIn(ASTRO_5.scratch, 'failed-cache-')
    writeFiles(root, SITE)
    const page = path.join(root, 'dist/post/index.html')

    const first = await runAstro(ASTRO_5.node, bin, ['build'], root, {})
    expect(first.code, first.output).not.toBe(0)
    expect(problems(first.output)).toEqual([
      '[imageboss] src/content/posts/post.md:7:1: invalid-value: Unexpected value `abc` for `w`, expected an integer from 1 to 8192'
    ])
    // The content store kept the entry (without its body): the state a second build starts from.
    expect(existsSync(path.join(root, 'node_modules/.astro/data-store.json'))).toBe(true)

    const second = await runAstro(ASTRO_5.node, bin, ['build'], root, {})
    expect(second.code, second.output).not.toBe(0)
    expect(problems(second.output)).toEqual(problems(first.output))
    expect(existsSync(page)).toBe(false)

    // And a third: each failure is new for the store.
    const third = await runAstro(ASTRO_5.node, bin, ['build'], root, {})
    expect(third.code, third.output).not.toBe(0)
    expect(problems(third.output)).toEqual(problems(first.output))

    await writeFile(path.join(root, 'src/content/posts/post.md'), GOOD)
    const fixed = await runAstro(ASTRO_5.node, bin, ['build'], root, {})
    expect(fixed.code, fixed.output).toBe(0)
    const html = await readFile(page, 'utf8')
    expect(html).toContain('The body of the post.')
    const signedPath = `/${SOURCE}/width/40/format:auto/a.jpg`
    expect(html).toContain(`https://img.imageboss.me${signedPath}?bossToken=${hmac(SECRET, signedPath)}`)

    // A passing build leaves nothing behind, and the next one passes the same.
    const again = await runAstro(ASTRO_5.node, bin, ['build'], root, {})
    expect(again.code, again.output).toBe(0)
    expect(await readFile(page, 'utf8')).toContain('The body of the post.')
  }, 240_000)
})
