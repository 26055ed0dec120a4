// The core scanners, one text kind each, on the places a reference can hide: each is signed
// (the expected URL from the oracle) or reported at its offset. `check` mode, which the build
// output check and `imageboss verify` share, reports every one as a leftover, escaped or not.
import { parse } from 'acorn'
import { describe, expect, it } from 'vitest'
import { applyEdits } from '../../src/core/edits.js'
import { checkText } from '../../src/core/check.js'
import { createImageBoss } from '../../src/index.js'
import { scanText, type TextKind } from '../../src/core/scan/index.js'
import { expectedUrl } from '../helpers/expected.js'

const SECRET = 'scanner-secret'
const boss = createImageBoss({ source: 's', secret: SECRET, defaults: {}, env: {}, production: true })
const signer = { url: (r: string) => boss.url(r), image: (r: string) => boss.image(r) }
const w = (width: number, file = 'a.jpg') => expectedUrl(`/s/width/${width}/${file}`, SECRET)

function sign(kind: TextKind, text: string) {
  const result = scanText(kind, text, { signer })
  return { output: applyEdits(text, result.edits), problems: result.problems.map((p) => [p.ruleId, text.slice(p.start, p.end)]) }
}

describe('what each scanner signs', () => {
  it.each<[string, TextKind, string, string]>([
    ['a classic inline script', 'html', `<script>window.a = 'imageboss:/a.jpg?w=50'</script>`, `<script>window.a = '${w(50)}'</script>`],
    [
      'JSON-LD',
      'html',
      `<script type="application/ld+json">{"image":"imageboss:/a.jpg?w=50"}</script>`,
      `<script type="application/ld+json">{"image":"${w(50)}"}</script>`
    ],
    [
      'markup inside a JS string',
      'script',
      `el.insertAdjacentHTML('beforeend', '<img src="imageboss:/a.jpg?w=100">')`,
      `el.insertAdjacentHTML('beforeend', '<img src="${w(100)}">')`
    ],
    [
      'CSS inside a template literal',
      'script',
      'el.style.cssText = `background: url(imageboss:/a.jpg?w=50)`',
      `el.style.cssText = \`background: url(${w(50)})\``
    ],
    [
      '`<iframe srcdoc>`',
      'html',
      '<iframe srcdoc="<img src=&quot;imageboss:/a.jpg?w=50&quot;>"></iframe>',
      `<iframe srcdoc="<img src=&quot;${w(50)}&quot;>"></iframe>`
    ],
    [
      'an SVG `<image>` and `<style>`',
      'xml',
      '<svg><image href="imageboss:/a.jpg?w=5"/><style>a{background:url(imageboss:/a.jpg?w=6)}</style></svg>',
      `<svg><image href="${w(5)}"/><style>a{background:url(${w(6)})}</style></svg>`
    ],
    ['the argument of any other `.url()`', 'script', `someOtherObject.url('imageboss:/a.jpg?w=50')`, `someOtherObject.url('${w(50)}')`],
    ['a JSON string value (not a key)', 'json', '{"imageboss:/k.jpg": "imageboss:/a.jpg?w=7"}', `{"imageboss:/k.jpg": "${w(7)}"}`],
    ['an escaped colon in a JS string (the value is a reference)', 'script', "a = 'imageboss\\u003a/a.jpg?w=8'", `a = '${w(8)}'`],
    // The parser reopens the `<a>` left open inside the second `<p>` as a copy with the same location.
    ['a link left open across paragraphs, once', 'html', '<p><a href="imageboss:/a.jpg?w=9">x<p>y</a>', `<p><a href="${w(9)}">x<p>y</a>`],
    [
      'a `<template>` in SVG, an element like any other',
      'html',
      '<svg><template><image href="imageboss:/a.jpg?w=10"/></template></svg>',
      `<svg><template><image href="${w(10)}"/></template></svg>`
    ]
  ])('%s', (_, kind, text, expected) => {
    expect(sign(kind, text)).toEqual({ output: expected, problems: [] })
  })

  it("leaves the argument of this package's own runtime signers, traced from the import", () => {
    const code = [
      "import { createImageBoss } from 'imageboss-build'",
      "import * as runtime from 'imageboss-build/astro/runtime'",
      'const boss = createImageBoss()',
      "boss.url('imageboss:/a.jpg?w=' + w)",
      'runtime.imagebossUrl(`imageboss:/${name}.jpg`)'
    ].join('\n')
    expect(sign('script', code)).toEqual({ output: code, problems: [] })
  })

  it('leaves text in code samples alone, also when the markup sits in a JS string', () => {
    const code = 'a = \'<pre><code>imageboss:/a.jpg</code></pre>\'\nb = "<p>Write <code>imageboss:/b.jpg?w=1</code></p>"'
    expect(sign('script', code)).toEqual({ output: code, problems: [] })
  })

  it('inserts responsive attributes quoted as the author quoted `src`, so a double-quoted JS string still parses', () => {
    const code = `document.body.innerHTML = "<img src='imageboss:/a.jpg?w=100&srcset=auto' alt='x'>"`
    const { output, problems } = sign('script', code)
    expect(problems).toEqual([])
    expect(output).toContain(`<img src='${w(100)}' srcset='${w(100)} 100w, `)
    // Only the string's own two double quotes, and it parses.
    expect(output.split('"')).toHaveLength(3)
    expect(() => parse(output, { ecmaVersion: 'latest' })).not.toThrow()
  })
})

describe('what each scanner reports', () => {
  it.each<[string, TextKind, string, Array<[string, string]>]>([
    [
      'a reference assembled at run time',
      'script',
      'a = `imageboss:/${x}.jpg`; b = "imageboss:/a.jpg?w=" + w',
      [
        ['dynamic-reference', '`imageboss:/${x}.jpg`'],
        ['dynamic-reference', '"imageboss:/a.jpg?w=" + w']
      ]
    ],
    [
      'markup with a reference cut by an expression',
      'script',
      'a = `<img src="imageboss:/${name}.jpg">`',
      [['dynamic-reference', '`<img src="imageboss:/${name}.jpg">`']]
    ],
    ['a reference inside a longer string', 'script', "a = 'see imageboss:/a.jpg'", [['unsupported-position', 'imageboss:']]],
    [
      'prose, an attribute that is not a URL, an unknown script type',
      'html',
      '<p>imageboss:/a.jpg</p><div data-x="imageboss:/b.jpg"></div><script type="text/x-y">imageboss:/c.jpg</script>',
      [
        ['unsupported-position', 'imageboss:'],
        ['unsupported-position', 'imageboss:'],
        ['unsupported-position', 'imageboss:']
      ]
    ],
    ['a CSS escape', 'css', 'a { background: url(imageboss\\3a /a.jpg) }', [['unsupported-position', 'imageboss\\3a ']]],
    ['a script that does not parse', 'script', "const = 'imageboss:/a.jpg'", [['syntax-error', '']]],
    ['text inside a reopened link', 'html', '<p><a href="https://example.com/">x<p>imageboss:/a.jpg</a>', [['unsupported-position', 'imageboss:']]],
    ['text in a `<template>` of MathML', 'html', '<math><template>imageboss:/a.jpg</template></math>', [['unsupported-position', 'imageboss:']]]
  ])('%s', (_, kind, text, problems) => {
    expect(sign(kind, text).problems).toEqual(problems)
  })
})

describe('the one check of built output', () => {
  it.each<[string, TextKind, string]>([
    ['JS: \\u003a', 'script', "a = 'imageboss\\u003a/a.jpg'"],
    ['JS: \\x3a', 'script', "a = 'imageboss\\x3a/a.jpg'"],
    ['JS: \\u{3a}', 'script', "a = 'imageboss\\u{3a}/a.jpg'"],
    ['CSS: \\3a', 'css', 'a { background: url(imageboss\\3a /a.jpg) }'],
    ['HTML: &colon;', 'html', '<img src="imageboss&colon;/a.jpg">'],
    ['HTML: &#58;', 'html', '<p>imageboss&#58;/a.jpg</p>'],
    ['HTML: &#x3A; in an attribute that is not a URL', 'html', '<div data-x="imageboss&#x3A;/a.jpg"></div>'],
    ['XML: &#58;', 'xml', '<url><loc>imageboss&#58;/a.jpg</loc></url>'],
    ['JSON: \\u003a', 'json', '{"a": "imageboss\\u003a/a.jpg"}'],
    ['text', 'text', 'imageboss:/a.jpg']
  ])('finds a leftover written with %s', (_, kind, text) => {
    const { problems } = checkText(kind, text)
    expect(problems.map((p) => p.ruleId)).toEqual(['leftover-reference'])
  })

  it('passes code samples, comments and other schemes', () => {
    const html =
      '<pre>imageboss:/a.jpg</pre><!-- imageboss:/b.jpg --><a href="javascript:imageboss:/c.jpg">x</a><script type="text/plain">imageboss:/d.jpg</script>'
    expect(checkText('html', html).problems).toEqual([])
    expect(checkText('css', '/* url(imageboss:/a.jpg) */ a { background: url(data:image/png;base64,imageboss:/b) }').problems).toEqual([])
  })
})
