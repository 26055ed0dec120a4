// The README's use of the markdown-it plugin in any markdown-it host, run as it is written
// there, with the package as installed (`imageboss-build/markdown-it` from dist).
import MarkdownIt from 'markdown-it'
import { describe, expect, it } from 'vitest'
import markdownItImageBoss from 'imageboss-build/markdown-it'
import { expectedUrl } from '../helpers/expected.js'
import { withImageBossEnv } from '../helpers/scratch.js'

describe('README: markdown-it', () => {
  it('signs with `IMAGEBOSS_*` from the environment', async () => {
    const source = '![A cat](imageboss:/photos/cat.jpg?w=800)\n\nWrite `imageboss:/photos/cat.jpg?w=800` for it.\n'
    const html = await withImageBossEnv({ IMAGEBOSS_SOURCE: 'my-source', IMAGEBOSS_SECRET: 'readme-secret' }, async () => {
      // From the README:
      const md = new MarkdownIt({ html: true }).use(markdownItImageBoss)
      const html = md.render(source, { path: 'docs/guide.md' })
      return html
    })
    expect(html).toBe(
      `<p><img src="${expectedUrl('/my-source/width/800/format:auto/photos/cat.jpg', 'readme-secret')}" alt="A cat"></p>\n<p>Write <code>imageboss:/photos/cat.jpg?w=800</code> for it.</p>\n`
    )
  })
})
