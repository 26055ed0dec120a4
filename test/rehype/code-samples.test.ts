// Code samples are text, not subtrees, in the rehype plugin: raw HTML inside `<kbd>`, `<code>`
// and `<pre>` is signed whether it arrives as `raw` nodes (split around inline tags) or, after
// rehype-raw, as elements; the text of code is left as written. Expected URLs come from the
// oracle (test/helpers/expected.ts).
import { describe, expect, it } from 'vitest'
import { DEV_OPTIONS, OPTIONS, SECRET, signedUrl } from './expected.js'
import { run } from './pipeline.js'

const url = (signedPath: string) => signedUrl(signedPath, SECRET)
const MODES = ['raw-nodes', 'plugin-then-rehype-raw', 'rehype-raw-then-plugin'] as const

describe('rehypeImageBoss: code samples are text, not subtrees', () => {
  it('signs `<img>` in `<kbd>`, `<a href>` in `<code>`, `<source srcset>` in `<pre>`, and leaves the text of code alone', async () => {
    const md = [
      'Press <kbd><img src="imageboss:/key.png?w=16"></kbd> or <code>imageboss:/text.jpg <a href="imageboss:/doc.jpg">doc</a></code>.',
      '',
      '<pre><picture><source srcset="imageboss:/wide.jpg?w=20 1x"><img src="imageboss:/narrow.jpg?w=10"></picture>',
      'imageboss:/pre-text.jpg</pre>',
      ''
    ].join('\n')
    for (const mode of MODES) {
      const file = await run(md, OPTIONS, mode)
      expect(file.messages, mode).toEqual([])
      expect(String(file), mode).toBe(
        [
          `<p>Press <kbd><img src="${url('/demo-images/width/16/format:auto/key.png')}"></kbd> or <code>imageboss:/text.jpg <a href="${url('/demo-images/cdn/format:auto/doc.jpg')}">doc</a></code>.</p>`,
          `<pre><picture><source srcset="${url('/demo-images/width/20/format:auto/wide.jpg')} 1x"><img src="${url('/demo-images/width/10/format:auto/narrow.jpg')}"></picture>`,
          'imageboss:/pre-text.jpg</pre>'
        ].join('\n')
      )
    }
  })

  it('signs a `style` attribute with `url()` on and inside a code element', async () => {
    const md = '<code style="background: url(imageboss:/a.jpg?w=10)"><span style="background: url(imageboss:/b.jpg)">x</span></code>\n'
    for (const mode of MODES) {
      const file = await run(md, OPTIONS, mode)
      expect(file.messages, mode).toEqual([])
      const html = String(file)
      expect(html, mode).toContain(`url(${url('/demo-images/width/10/format:auto/a.jpg')})`)
      expect(html, mode).toContain(`url(${url('/demo-images/cdn/format:auto/b.jpg')})`)
    }
  })

  it('signs a Markdown image between raw `<code>` tags, and leaves emphasised text there alone', async () => {
    const md = '<code>![x](imageboss:/b.jpg?w=20) *imageboss:/em.jpg*</code>\n'
    const file = await run(md, OPTIONS, 'raw-nodes')
    expect(file.messages).toEqual([])
    expect(String(file)).toBe(`<p><code><img src="${url('/demo-images/width/20/format:auto/b.jpg')}" alt="x"> <em>imageboss:/em.jpg</em></code></p>`)
  })

  it('reports an invalid reference in an element inside code at its line and column', async () => {
    const md = 'Intro.\n\nPress <kbd><img src="imageboss:/key.png?wdth=16"></kbd>.\n'
    const file = await run(md, DEV_OPTIONS, 'raw-nodes')
    const line = md.split('\n')[2] as string
    expect(file.messages.map((m) => [m.ruleId, m.line, m.column])).toEqual([['unknown-parameter', 3, line.indexOf('wdth') + 1]])
  })
})
