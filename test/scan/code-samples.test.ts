// Code samples are text, not subtrees: the text of `<code>`, `<pre>`, `<kbd>`, `<samp>`… is
// shown as it is, while the elements and attributes inside them are loaded and followed by a
// browser, so they are signed like any other. The same rule in every scanner that meets
// markup: HTML, markup in JS strings and compiled templates, HTML carried in XML, and the
// build-output check. Expected URLs come from the oracle (test/helpers/expected.ts).
import { describe, expect, it } from 'vitest'
import { applyEdits } from '../../src/core/edits.js'
import { checkText } from '../../src/core/check.js'
import { createVerifyKeys } from '../../src/core/verify-urls.js'
import { createImageBoss } from '../../src/index.js'
import { scanText, type TextKind } from '../../src/core/scan/index.js'
import { expectedUrl } from '../helpers/expected.js'

const SECRET = 'code-samples-secret'
const boss = createImageBoss({ source: 's', secret: SECRET, defaults: {}, env: {}, production: true })
const signer = { url: (r: string) => boss.url(r), image: (r: string) => boss.image(r) }
const w = (width: number, file: string) => expectedUrl(`/s/width/${width}/${file}`, SECRET)
const cdn = (file: string) => expectedUrl(`/s/cdn/${file}`, SECRET)

function sign(kind: TextKind, text: string) {
  const result = scanText(kind, text, { signer })
  return { output: applyEdits(text, result.edits), problems: result.problems.map((p) => [p.ruleId, text.slice(p.start, p.end)]) }
}

describe('elements and attributes inside code samples are signed (HTML)', () => {
  it.each<[string, string, string]>([
    [
      'an `<img>` in `<kbd>`',
      '<p>Press <kbd><img src="imageboss:/a.jpg?w=10" alt="key"></kbd></p>',
      `<p>Press <kbd><img src="${w(10, 'a.jpg')}" alt="key"></kbd></p>`
    ],
    ['an `<a href>` in `<code>`', '<code><a href="imageboss:/b.jpg">x</a></code>', `<code><a href="${cdn('b.jpg')}">x</a></code>`],
    [
      'a `<source srcset>` in `<pre>`',
      '<pre><picture><source srcset="imageboss:/c.jpg?w=20 1x, imageboss:/c.jpg?w=40 2x"><img src="imageboss:/c.jpg?w=20"></picture></pre>',
      `<pre><picture><source srcset="${w(20, 'c.jpg')} 1x, ${w(40, 'c.jpg')} 2x"><img src="${w(20, 'c.jpg')}"></picture></pre>`
    ],
    [
      '`style` attributes with `url()`, on the code element and inside it',
      `<samp style="background: url(imageboss:/d.jpg?w=30)"><span style="background: url('imageboss:/e.jpg')">x</span></samp>`,
      `<samp style="background: url(${w(30, 'd.jpg')})"><span style="background: url('${cdn('e.jpg')}')">x</span></samp>`
    ],
    [
      'a `<style>` in `<pre>`',
      '<pre><style>.x { background: url(imageboss:/f.jpg) }</style></pre>',
      `<pre><style>.x { background: url(${cdn('f.jpg')}) }</style></pre>`
    ],
    [
      'a reopened `<code>` (a formatting element)',
      '<p><code>x<p><img src="imageboss:/g.jpg">imageboss:/text.jpg</code>',
      `<p><code>x<p><img src="${cdn('g.jpg')}">imageboss:/text.jpg</code>`
    ]
  ])('%s', (_, html, expected) => {
    expect(sign('html', html)).toEqual({ output: expected, problems: [] })
  })

  it('leaves the text of code samples as written, however deep', () => {
    const html = [
      '<code>imageboss:/x.jpg</code>',
      '<pre><span class="k">imageboss:/deep.jpg?w=0</span>\nimageboss:/y.jpg</pre>',
      '<kbd>imageboss:/k.jpg</kbd><samp>imageboss:/s.jpg</samp>',
      '<textarea><img src="imageboss:/t.jpg"></textarea>'
    ].join('\n')
    expect(sign('html', html)).toEqual({ output: html, problems: [] })
  })

  it('still reports text outside the sample', () => {
    expect(sign('html', '<code><img src="imageboss:/a.jpg?w=10"></code> imageboss:/prose.jpg').problems).toEqual([['unsupported-position', 'imageboss:']])
  })

  it('reports an invalid reference inside a code sample at its place', () => {
    const html = '<kbd><img src="imageboss:/a.jpg?wdth=1"></kbd>'
    const result = scanText('html', html, { signer })
    expect(result.edits).toEqual([])
    expect(result.problems.map((p) => [p.ruleId, p.start])).toEqual([['unknown-parameter', html.indexOf('wdth')]])
  })
})

describe('the same rule for markup in scripts, compiled templates and XML', () => {
  it('markup in a JS string', () => {
    const code = `a = '<pre><img src="imageboss:/a.jpg?w=10">imageboss:/text.jpg</pre>'`
    expect(sign('script', code)).toEqual({ output: `a = '<pre><img src="${w(10, 'a.jpg')}">imageboss:/text.jpg</pre>'`, problems: [] })
  })

  it('a string that starts inside a code element (a template cut after its `<code>`): its text is the sample, its elements are real', () => {
    const code = `b = '<img src="imageboss:/a.jpg?w=10">imageboss:/text.jpg</code> and after'`
    expect(sign('script', code)).toEqual({ output: `b = '<img src="${w(10, 'a.jpg')}">imageboss:/text.jpg</code> and after'`, problems: [] })
    expect(sign('script', `c = 'imageboss:/text.jpg</code> imageboss:/after.jpg'`).problems).toEqual([['unsupported-position', 'imageboss:']])
  })

  it('compiled templates: element children of a code element are real, text children are the sample', () => {
    const code = [
      'createElementVNode("code", null, [',
      '  createElementVNode("img", { src: "imageboss:/a.jpg?w=10" }, null, -1),',
      '  "imageboss:/text.jpg",',
      '  createElementVNode("span", null, "imageboss:/deep.jpg")',
      '])',
      'jsx("pre", { children: jsx("a", { href: "imageboss:/b.jpg", children: "imageboss:/label.jpg" }) })',
      'jsx(_components.code, { children: "imageboss:/mdx.jpg" })',
      'h("kbd", "imageboss:/h.jpg")'
    ].join('\n')
    const expected = code.replace('"imageboss:/a.jpg?w=10"', `"${w(10, 'a.jpg')}"`).replace('"imageboss:/b.jpg"', `"${cdn('b.jpg')}"`)
    expect(sign('script', code)).toEqual({ output: expected, problems: [] })
  })

  it('HTML carried in XML text', () => {
    const xml = '<rss><item><description>&lt;code&gt;&lt;img src="imageboss:/a.jpg?w=10"&gt;imageboss:/t.jpg&lt;/code&gt;</description></item></rss>'
    const expected = xml.replace('imageboss:/a.jpg?w=10', w(10, 'a.jpg').replace('&', '&amp;'))
    expect(sign('xml', xml)).toEqual({ output: expected, problems: [] })
  })
})

describe('the build-output check', () => {
  it('finds a leftover in an attribute inside a code sample, not in its text', () => {
    const html = '<code><img src="imageboss:/a.jpg"></code><code>imageboss:/b.jpg</code><pre><a href="imageboss:/c.jpg">imageboss:/d.jpg</a></pre>'
    const { problems } = checkText('html', html)
    expect(problems.map((p) => [p.ruleId, p.start])).toEqual([
      ['leftover-reference', html.indexOf('imageboss:/a.jpg')],
      ['leftover-reference', html.indexOf('imageboss:/c.jpg')]
    ])
  })

  it('verifies the token of a URL in an attribute inside a code sample, not one in its text', () => {
    const keys = createVerifyKeys({ source: 's', secret: SECRET }, {})
    const bad = expectedUrl('/s/cdn/a.jpg', 'another-secret')
    const html = `<code><img src="${bad}"></code><code>${bad}</code>`
    const { problems } = checkText('html', html, keys)
    expect(problems.map((p) => [p.ruleId, p.start])).toEqual([['invalid-token', html.indexOf(bad)]])
  })
})
