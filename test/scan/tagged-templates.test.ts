// Tagged templates (Lit's html`…` and css`…`, styled-components, String.raw, any tag): their
// text is what the tag reads, so a reference standing as a whole value in their markup or CSS
// is signed in place, the template's raw text edited; one built with an expression is a
// `dynamic-reference`, one anywhere else an `unsupported-position`, each at its place. The
// check of built output finds what is left in them. Expected URLs come from the oracle
// (test/helpers/expected.ts).
import { parse } from 'acorn'
import { describe, expect, it } from 'vitest'
import { applyEdits } from '../../src/core/edits.js'
import { checkText } from '../../src/core/check.js'
import { createImageBoss } from '../../src/index.js'
import { scanText, type Signer } from '../../src/core/scan/index.js'
import { expectedUrl } from '../helpers/expected.js'

const SECRET = 'tagged-secret'
const boss = createImageBoss({ source: 's', secret: SECRET, defaults: {}, env: {}, production: true })
const signer: Signer = { url: (r) => boss.url(r), image: (r) => boss.image(r) }
const w = (width: number, file: string) => expectedUrl(`/s/width/${width}/${file}`, SECRET)
const cdn = (file: string) => expectedUrl(`/s/cdn/${file}`, SECRET)

function sign(code: string, using: Signer = signer) {
  const result = scanText('script', code, { signer: using })
  return { output: applyEdits(code, result.edits), problems: result.problems.map((p) => [p.ruleId, code.slice(p.start, p.end)]) }
}

/** 1-based line and column of `offset`, counted here. */
function lineColumn(text: string, offset: number): [number, number] {
  const before = text.slice(0, offset).split('\n')
  return [before.length, (before.at(-1) as string).length + 1]
}

describe('tagged templates: what is signed', () => {
  it.each<[string, string, string]>([
    [
      'Lit `html`: an `<img src>`',
      'render = () => html`<img src="imageboss:/a.jpg?w=100" alt=${alt}>`',
      `render = () => html\`<img src="${w(100, 'a.jpg')}" alt=\${alt}>\``
    ],
    ['Lit `css`: an unquoted `url()`', 'styles = css`.x{background:url(imageboss:/b.png)}`', `styles = css\`.x{background:url(${cdn('b.png')})}\``],
    [
      'styled-components: a quoted `url()` beside an expression',
      'Box = styled.div`background: url("imageboss:/b.png?w=5"); color: ${(p) => p.color};`',
      `Box = styled.div\`background: url("${w(5, 'b.png')}"); color: \${(p) => p.color};\``
    ],
    [
      '`styled(Component)` and `keyframes`',
      "a = styled(Card)`background-image: url('imageboss:/c.jpg')`; b = keyframes`from { background: url(imageboss:/d.jpg) }`",
      `a = styled(Card)\`background-image: url('${cdn('c.jpg')}')\`; b = keyframes\`from { background: url(${cdn('d.jpg')}) }\``
    ],
    ['`String.raw` holding exactly a reference', 'u = String.raw`imageboss:/c.jpg`', `u = String.raw\`${cdn('c.jpg')}\``],
    [
      'a `srcset` whose descriptor is an expression',
      'html`<img srcset="imageboss:/a.jpg?w=10 ${d}x, imageboss:/a.jpg?w=20 2x">`',
      `html\`<img srcset="${w(10, 'a.jpg')} \${d}x, ${w(20, 'a.jpg')} 2x">\``
    ],
    [
      'markup in a nested template',
      'html`<ul>${items.map((i) => html`<li><img src="imageboss:/i.jpg"></li>`)}</ul>`',
      `html\`<ul>\${items.map((i) => html\`<li><img src="${cdn('i.jpg')}"></li>\`)}</ul>\``
    ],
    ['`<style>` in markup', 'html`<style>.x { background: url(imageboss:/s.jpg) }</style>`', `html\`<style>.x { background: url(${cdn('s.jpg')}) }</style>\``]
  ])('%s', (_, code, expected) => {
    expect(sign(code)).toEqual({ output: expected, problems: [] })
  })

  it('gives an `<img>` the responsive attributes its reference asks for', () => {
    const code = 'html`<img src="imageboss:/a.jpg?w=100&srcset=100,200" alt=${alt}>`'
    expect(sign(code)).toEqual({
      output: `html\`<img src="${w(100, 'a.jpg')}" srcset="${w(100, 'a.jpg')} 100w, ${w(200, 'a.jpg')} 200w" sizes="(min-width: 100px) 100px, 100vw" loading="lazy" decoding="async" alt=\${alt}>\``,
      problems: []
    })
  })

  it('leaves the text of a code sample in the template as written', () => {
    const code = 'html`<p>Write <code>imageboss:/x.jpg</code> for it.</p>`'
    expect(sign(code)).toEqual({ output: code, problems: [] })
  })

  it('escapes the URL for the template: backticks, `${` and backslashes', () => {
    const odd = 'https://x.test/a`b${c}\\d'
    const code = 'v = cooked`imageboss:/a.jpg`'
    const { output, problems } = sign(code, { url: () => odd })
    expect(problems).toEqual([])
    expect(() => parse(output, { ecmaVersion: 'latest' })).not.toThrow()
    // A tag that reads the cooked text sees the URL itself.
    const cooked = (strings: TemplateStringsArray) => strings[0]
    expect(new Function('cooked', `let v; ${output}; return v`)(cooked)).toBe(odd)
  })
})

describe('tagged templates: what is a problem, and where', () => {
  it.each<[string, string, Array<[string, string]>]>([
    ['a reference split by an expression', 'html`<img src="imageboss:/${name}.jpg">`', [['dynamic-reference', 'imageboss:/${name}.jpg']]],
    ['a parameter from an expression', 'css`.x { background: url(imageboss:/a.jpg?w=${w}) }`', [['dynamic-reference', 'imageboss:/a.jpg?w=${w}']]],
    ['an expression before the reference', 'html`<a href="${base}imageboss:/a.jpg">x</a>`', [['dynamic-reference', '${base}imageboss:/a.jpg']]],
    ['a value that takes in an expression after a space', 'html`<img src="imageboss:/a.jpg?w=1 ${x}">`', [['dynamic-reference', '${x}']]],
    ['a split reference in `String.raw`', 'String.raw`imageboss:/c/${x}.jpg`', [['dynamic-reference', 'imageboss:/c/${x}.jpg']]],
    ['text content of markup', 'html`<p>See imageboss:/a.jpg</p>`', [['unsupported-position', 'imageboss:']]],
    ['a bare word in a template without markup', 'sql`select imageboss:/a.jpg`', [['unsupported-position', 'imageboss:']]],
    ['CSS outside `url()`', 'css`.x::after { content: "imageboss:/a.jpg" }`', [['unsupported-position', 'imageboss:']]],
    ['a reference written with an escape', 'html`<img src="imageboss:/a\\u002ejpg">`', [['unsupported-position', 'imageboss:/a\\u002ejpg']]],
    ['an invalid reference', 'html`<img src="imageboss:/a.jpg?wdth=1">`', [['unknown-parameter', 'wdth=1']]]
  ])('%s', (_, code, problems) => {
    const result = sign(code)
    expect(result.problems).toEqual(problems)
    // Nothing is edited where a problem is: the template stays as written.
    expect(result.output).toBe(code)
  })

  it('places each problem at its line and column in the module', () => {
    const code = [
      "import { html } from './tags.js'",
      'export const card = (name, w) => html`',
      '  <figure>',
      '    <img src="imageboss:/photos/${name}.jpg">',
      '    <figcaption>imageboss:/caption.jpg</figcaption>',
      '  </figure>`'
    ].join('\n')
    const result = scanText('script', code, { signer })
    expect(result.edits).toEqual([])
    expect(result.problems.map((p) => [p.ruleId, ...lineColumn(code, p.start)])).toEqual([
      ['dynamic-reference', 4, '    <img src="'.length + 1],
      ['unsupported-position', 5, '    <figcaption>'.length + 1]
    ])
  })

  it('still signs untagged templates and strings beside a tagged one', () => {
    const code = 'a = `imageboss:/a.jpg?w=10`; b = html`<img src="imageboss:/b.jpg">`; c = "imageboss:/c.jpg"'
    expect(sign(code)).toEqual({ output: `a = \`${w(10, 'a.jpg')}\`; b = html\`<img src="${cdn('b.jpg')}">\`; c = "${cdn('c.jpg')}"`, problems: [] })
  })
})

describe('the check of built output reads tagged templates', () => {
  it('finds references left in them, not the text of code samples', () => {
    const code =
      'a = html`<img src="imageboss:/a.jpg"><code>imageboss:/sample.jpg</code>`; b = String.raw`imageboss:/b.jpg`; c = css`.x{background:url(imageboss:/c.jpg)}`'
    const { problems } = checkText('script', code)
    expect(problems.map((p) => [p.ruleId, p.start])).toEqual([
      ['leftover-reference', code.indexOf('imageboss:/a.jpg')],
      ['leftover-reference', code.indexOf('imageboss:/b.jpg')],
      ['leftover-reference', code.indexOf('imageboss:/c.jpg')]
    ])
  })

  it('passes a template whose references were signed', () => {
    const code = `a = html\`<img src="${cdn('a.jpg')}">\``
    expect(checkText('script', code).problems).toEqual([])
  })
})
