// examples/astro built by the current Astro (7, Sätteri Markdown) on Node 22, in a child process.
// The copy lives in test/astro-current/.tmp so that `astro` resolves to test/astro-current's.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXAMPLE_ENV, exampleBuildTests, SOURCE, url } from './example-expected.js'
import { ASTRO_CURRENT, astroCommand, copyExample, NODE_22, runAstro } from './example-run.js'
import { removeDirectory } from '../helpers/scratch.js'

const made: string[] = []
afterAll(async () => {
  for (const dir of made) await removeDirectory(dir)
})

describe('astro build of examples/astro (current Astro, Node 22)', () => {
  let root = ''
  beforeAll(async () => {
    const { bin, version } = await astroCommand(ASTRO_CURRENT)
    expect(Number(version.split('.')[0])).toBeGreaterThanOrEqual(7)
    root = await copyExample(ASTRO_CURRENT.scratch, 'example-')
    made.push(root)
    const run = await runAstro(NODE_22, bin, ['build'], root, EXAMPLE_ENV)
    if (run.code !== 0) throw new Error(`astro ${version} build failed (${run.code}):\n${run.output}`)
  }, 180_000)

  exampleBuildTests(() => path.join(root, 'dist'))
})

describe('Sätteri Markdown with code samples (current Astro, Node 22)', () => {
  it('signs the elements inside a code sample (`<kbd><img>`, `<code><img>`) and leaves the sample text as written', async () => {
    const post = [
      '---',
      'title: Samples',
      'date: 2025-06-01',
      '---',
      '',
      'Press <kbd><img src="imageboss:/photos/key.jpg?w=64" alt="key"></kbd> to go on.',
      '',
      '<pre><code><img src="imageboss:/photos/incode.jpg?w=100" alt="in code"> and imageboss:/photos/text.jpg?w=5</code></pre>',
      '',
      'Written as code: `imageboss:/photos/inline.jpg?w=1`',
      ''
    ].join('\n')
    // The same in MDX, where the tags are JSX elements: `<kbd>` is the parent of `<img>`.
    const mdx = post
      .replace('title: Samples', 'title: Samples in MDX')
      .replace(/key\.jpg/, 'mdx-key.jpg')
      .replace(/<pre><code>.*<\/code><\/pre>/, '<code><img src="imageboss:/photos/mdx-incode.jpg?w=100" alt="in code" /></code>')
      .replaceAll('">', '" />')
    const { bin } = await astroCommand(ASTRO_CURRENT)
    const root = await copyExample(ASTRO_CURRENT.scratch, 'samples-', { 'src/content/posts/samples.md': post, 'src/content/posts/samples-mdx.mdx': mdx })
    made.push(root)
    const run = await runAstro(NODE_22, bin, ['build'], root, EXAMPLE_ENV)
    expect(run.code, run.output).toBe(0)
    const page = await readFile(path.join(root, 'dist/posts/samples/index.html'), 'utf8')
    expect(page).toContain(`<img src="${url(`/${SOURCE}/width/64/format:auto/photos/key.jpg`)}" alt="key">`)
    expect(page).toContain(`<img src="${url(`/${SOURCE}/width/100/format:auto/photos/incode.jpg`)}" alt="in code">`)
    expect(page).toContain(' and imageboss:/photos/text.jpg?w=5</code>')
    expect(page).toContain('<code>imageboss:/photos/inline.jpg?w=1</code>')
    const mdxPage = await readFile(path.join(root, 'dist/posts/samples-mdx/index.html'), 'utf8')
    const within = (tag: string) => mdxPage.slice(mdxPage.indexOf(`<${tag}>`), mdxPage.indexOf(`</${tag}>`))
    expect(within('kbd')).toContain(` src="${url(`/${SOURCE}/width/64/format:auto/photos/mdx-key.jpg`)}"`)
    expect(within('code')).toContain(` src="${url(`/${SOURCE}/width/100/format:auto/photos/mdx-incode.jpg`)}"`)
    expect(mdxPage).toContain('<code>imageboss:/photos/inline.jpg?w=1</code>')
  }, 180_000)
})
