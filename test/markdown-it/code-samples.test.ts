// Code samples are text, not subtrees, in the markdown-it plugin: the text of inline and
// fenced code and of raw `<code>`, `<kbd>`… is left as written, while the raw tags, images and
// links inside raw code elements are loaded and followed by a browser, so they are signed.
// Expected URLs come from the oracle (test/helpers/expected.ts).
import MarkdownIt from 'markdown-it'
import { describe, expect, it } from 'vitest'
import markdownItImageBoss, { type MarkdownItImageBossError, type Options } from '../../src/markdown-it.js'
import { expectedUrl } from '../helpers/expected.js'

const SECRET = 'md-code-secret'
const url = (signedPath: string) => expectedUrl(signedPath, SECRET)
const settings: Options = { source: 'md', secret: SECRET, env: {}, production: true }

function render(markdown: string, options: Options = settings): string {
  return new MarkdownIt({ html: true }).use(markdownItImageBoss, options).render(markdown)
}

describe('markdown-it: code samples are text, not subtrees', () => {
  it('signs a raw `<img>` inside raw `<kbd>` and `<code>`, and leaves their text alone', () => {
    const markdown = 'Press <kbd><img src="imageboss:/key.png?w=16"></kbd> then <code>imageboss:/text.jpg <a href="imageboss:/doc.jpg">doc</a></code>.\n'
    const plain = new MarkdownIt({ html: true }).render(markdown)
    expect(render(markdown)).toBe(
      plain.replace('imageboss:/key.png?w=16', url('/md/width/16/format:auto/key.png')).replace('imageboss:/doc.jpg', url('/md/cdn/format:auto/doc.jpg'))
    )
  })

  it('signs a Markdown image and link inside raw `<code>` (a browser loads and follows them)', () => {
    const html = render('<code>![x](imageboss:/b.jpg?w=20) [y](imageboss:/c.jpg)</code>\n')
    expect(html).toBe(`<p><code><img src="${url('/md/width/20/format:auto/b.jpg')}" alt="x"> <a href="${url('/md/cdn/format:auto/c.jpg')}">y</a></code></p>\n`)
  })

  it('signs an element inside a raw `<pre>` block, and leaves its text and fenced code alone', () => {
    const markdown = '<pre>\nimageboss:/sample.jpg\n<img src="imageboss:/in-pre.jpg?w=30">\n</pre>\n\n```html\n<img src="imageboss:/fenced.jpg">\n```\n'
    const plain = new MarkdownIt({ html: true }).render(markdown)
    expect(render(markdown)).toBe(plain.replace('imageboss:/in-pre.jpg?w=30', url('/md/width/30/format:auto/in-pre.jpg')))
  })

  it('reports an invalid reference in a raw tag inside code at its line and column', () => {
    const markdown = 'Intro.\n\nPress <kbd><img src="imageboss:/key.png?wdth=16"></kbd>.\n'
    let error: MarkdownItImageBossError | undefined
    try {
      render(markdown)
    } catch (caught) {
      error = caught as MarkdownItImageBossError
    }
    const line = markdown.split('\n')[2] as string
    expect(error?.problems.map((p) => [p.ruleId, p.place?.line, p.place?.column])).toEqual([['unknown-parameter', 3, line.indexOf('wdth') + 1]])
  })
})
