// A production failure through the rehype plugin prints every problem's reason with its place,
// where users meet it: a plain unified script whose promise rejects, and `@mdx-js/rollup` in a
// Vite build.
import { spawnSync } from 'node:child_process'
import mdx from '@mdx-js/rollup'
import { build } from 'vite'
import { describe, expect, it } from 'vitest'
import rehypeImageBoss from 'imageboss-build/rehype'
import imageboss from 'imageboss-build/vite'
import { buildError, REPO, tempProject } from '../vite/helpers.js'

const OPTIONS = { source: 'docs', secret: 'rehype-failure-secret', env: {}, production: true }
const MARKDOWN = '# Title\n\n![a](imageboss:/a.jpg?qualty=80)\n\n<img src="imageboss://nowhere/b.jpg">\n'

describe('a production failure of the rehype plugin', () => {
  it('prints each reason with file:line:column from a plain unified script', () => {
    const script = `
      import { unified } from 'unified'
      import remarkParse from 'remark-parse'
      import remarkRehype from 'remark-rehype'
      import rehypeRaw from 'rehype-raw'
      import rehypeStringify from 'rehype-stringify'
      import rehypeImageBoss from 'imageboss-build/rehype'
      import { VFile } from 'vfile'
      const file = new VFile({ path: 'post.md', value: ${JSON.stringify(MARKDOWN)} })
      await unified().use(remarkParse).use(remarkRehype, { allowDangerousHtml: true }).use(rehypeRaw)
        .use(rehypeImageBoss, ${JSON.stringify(OPTIONS)}).use(rehypeStringify).process(file)
    `
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO, encoding: 'utf8' })
    expect(run.status).not.toBe(0)
    expect(run.stderr).toContain('Cannot sign 2 image references in a production build')
    expect(run.stderr).toMatch(/post\.md:3:\d+: unknown-parameter: Unexpected unknown parameter `qualty`, expected a known parameter such as `quality`/)
    expect(run.stderr).toMatch(/post\.md:5:\d+: unknown-source: Unexpected/)
    // The reasons, not a dump of the tree.
    expect(run.stderr).not.toMatch(/children:|tagName:/)
  })

  it('prints each reason with its place through `@mdx-js/rollup` in a Vite build', async () => {
    const root = await tempProject({
      'index.html': '<script type="module" src="/src/main.js"></script>',
      'src/main.js': "import Page from './page.mdx'\nconsole.log(Page)\n",
      'src/page.mdx': MARKDOWN.replace('<img src="imageboss://nowhere/b.jpg">', '<img src="imageboss://nowhere/b.jpg" />')
    })
    const error = await buildError(
      build({
        root,
        configFile: false,
        logLevel: 'silent',
        plugins: [mdx({ rehypePlugins: [[rehypeImageBoss, OPTIONS]] }), imageboss(OPTIONS)],
        build: { write: false }
      })
    )
    expect(error.message).toContain('Cannot sign 2 image references in a production build')
    expect(error.message).toMatch(/page\.mdx:3:\d+: unknown-parameter: Unexpected unknown parameter `qualty`/)
    expect(error.message).toMatch(/page\.mdx:5:\d+: unknown-source: Unexpected/)
  })
})
