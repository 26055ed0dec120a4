// Modules as their authors wrote them (TypeScript, JSX), as a Turbopack loader receives them:
// strings and JSX attribute strings signed in place, JSX text read as text, types left alone.
import { describe, expect, it } from 'vitest'
import { createImageBoss, scanText } from 'imageboss-build'
import { applyEdits } from '../../src/core/edits.js'
import { scriptSyntaxOf } from '../../src/core/scan/script-syntax.js'
import { expectedUrl } from '../helpers/expected.js'

const SECRET = 'authored-scripts-secret-4f2a'
const boss = createImageBoss({ source: 'site', secret: SECRET })
const url = (signedPath: string) => expectedUrl(signedPath, SECRET)

function sign(code: string, syntax: 'ts' | 'tsx' | 'jsx', extra: Parameters<typeof scanText>[2] = {}) {
  const result = scanText('script', code, { signer: boss, syntax, ...extra })
  return { code: applyEdits(code, result.edits), problems: result.problems.map((p) => ({ rule: p.ruleId, at: code.slice(p.start, p.end) })) }
}

describe('a TSX module as written', () => {
  it('signs JSX attribute strings and expressions, and leaves types, text with quotes and generics as they are', () => {
    const code = [
      "declare module 'imageboss:*' { const src: string; export default src }",
      "type Shot = 'imageboss:/typed.jpg' | { src: string }",
      'export default function Page<T,>(props: { shot?: Shot; t?: T }): JSX.Element {',
      "  const pick = <U,>(u: U) => u as unknown as 'imageboss:/asserted.jpg'",
      '  return (',
      '    <main>',
      '      <p>Don\'t "panic"</p>',
      '      <img src="imageboss:/a.jpg?w=800" alt="" />',
      "      <img src={'imageboss:/b.jpg?w=400'} alt='' />",
      '    </main>',
      '  )',
      '}'
    ].join('\n')
    const signed = sign(code, 'tsx')
    expect(signed.problems).toEqual([])
    const expected = code
      .replace('imageboss:/a.jpg?w=800', url('/site/width/800/format:auto/a.jpg'))
      .replace('imageboss:/b.jpg?w=400', url('/site/width/400/format:auto/b.jpg'))
    expect(signed.code).toBe(expected)
  })

  it('reads `<T>(x) => x` in a `.ts` module as a generic arrow, not an element', () => {
    const code = "export const id = <T>(x: T): T => x\nexport const hero: string = 'imageboss:/hero.jpg?w=20'\n"
    expect(sign(code, 'ts').code).toBe(code.replace('imageboss:/hero.jpg?w=20', url('/site/width/20/format:auto/hero.jpg')))
  })

  it('reports a reference in JSX text at its place, as in HTML text, and keeps the text of code elements as samples', () => {
    const code =
      '<div>\n  <p>see imageboss:/text.jpg?w=5</p>\n  <code>imageboss:/sample.jpg?w=abc</code>\n  <pre><b>{"imageboss:/deep.jpg?w=abc"}</b></pre>\n</div>\n'
    const signed = sign(code, 'jsx')
    expect(signed.code).toBe(code)
    expect(signed.problems).toEqual([{ rule: 'unsupported-position', at: 'imageboss:' }])
  })

  it('locates a bad reference in an attribute at its parameter', () => {
    const code = 'export const a = <img src="imageboss:/bad.jpg?w=abc" alt="" />\n'
    const result = scanText('script', code, { signer: boss, syntax: 'tsx' })
    expect(result.problems.map((p) => [p.ruleId, code.slice(p.start, p.end)])).toEqual([['invalid-value', 'abc']])
  })

  it('reports what it cannot parse as a syntax error, with its offset', () => {
    const code = "const a = 'imageboss:/a.jpg'\nconst b = <img src=\n"
    const result = scanText('script', code, { signer: boss, syntax: 'tsx' })
    expect(result.problems.map((p) => p.ruleId)).toEqual(['syntax-error'])
    expect(result.problems[0]?.start).toBeGreaterThan(code.indexOf('<img'))
  })
})

describe('components flagged where their src is a reference', () => {
  const flagComponents = [{ from: 'next/image', attribute: 'unoptimized' }]

  it('gives next/image its `unoptimized` where the author wrote none, and only there', () => {
    const code = [
      "import Image from 'next/image'",
      "import Other from './other'",
      'export const a = <Image src="imageboss:/a.jpg?w=800&h=600" width={800} height={600} alt="" />',
      'export const b = <Image unoptimized={false} src="imageboss:/b.jpg?w=8" alt="" />',
      'export const c = <Image src="/local.png" alt="" />',
      'export const d = <Other src="imageboss:/d.jpg?w=8" alt="" />'
    ].join('\n')
    const signed = sign(code, 'tsx', { flagComponents })
    expect(signed.problems).toEqual([])
    expect(signed.code).toBe(
      code
        .replace('<Image src="imageboss:/a.jpg?w=800&h=600"', `<Image unoptimized src="${url('/site/cover/800x600/format:auto/a.jpg')}"`)
        .replace('imageboss:/b.jpg?w=8', url('/site/width/8/format:auto/b.jpg'))
        .replace('imageboss:/d.jpg?w=8', url('/site/width/8/format:auto/d.jpg'))
    )
  })

  it('follows the local name of the default import', () => {
    const code = "import { default as Picture } from 'next/image'\nexport const a = <Picture src='imageboss:/a.jpg?w=8' alt='' />\n"
    expect(sign(code, 'jsx', { flagComponents }).code).toBe(
      code.replace("<Picture src='imageboss:/a.jpg?w=8'", `<Picture unoptimized src='${url('/site/width/8/format:auto/a.jpg')}'`)
    )
  })
})

describe('imports of references written as constants (a host that resolves no `imageboss:` module)', () => {
  it('writes the default export and the named attributes', () => {
    const code =
      "import hero, { srcset as heroSet, width } from 'imageboss:/hero.jpg?w=800&h=400'\nimport * as all from 'imageboss:/all.jpg?w=10'\nimport 'imageboss:/side.jpg?w=5'\nconsole.log(hero, heroSet, width, all)\n"
    const signed = sign(code, 'ts', { inlineImports: true })
    expect(signed.problems).toEqual([])
    const hero = url('/site/cover/800x400/format:auto/hero.jpg')
    const all = url('/site/width/10/format:auto/all.jpg')
    expect(signed.code).toBe(
      `const hero = ${JSON.stringify(hero)}, heroSet = undefined, width = undefined;\n` +
        `const all = Object.freeze({ default: ${JSON.stringify(all)}, src: ${JSON.stringify(all)}, srcset: undefined, sizes: undefined, width: undefined, height: undefined });\n` +
        ';\nconsole.log(hero, heroSet, width, all)\n'
    )
  })

  it('reports a bad reference at its parameter and an unknown export at its specifier; type imports stay', () => {
    const code = "import bad from 'imageboss:/bad.jpg?w=abc'\nimport { nope } from 'imageboss:/ok.jpg?w=5'\nimport type T from 'imageboss:/typed.jpg'\n"
    const result = scanText('script', code, { signer: boss, syntax: 'ts', inlineImports: true })
    expect(result.problems.map((p) => [p.ruleId, code.slice(p.start, p.end)])).toEqual([
      ['invalid-value', 'abc'],
      ['unsupported-position', 'nope']
    ])
    expect(applyEdits(code, result.edits)).toContain("import type T from 'imageboss:/typed.jpg'")
  })
})

describe('the syntax of a module from its name', () => {
  it.each([
    ['page.tsx', 'tsx'],
    ['route.ts', 'ts'],
    ['types.d.mts', 'ts'],
    ['page.jsx', 'jsx'],
    ['page.js', 'jsx'],
    ['lib.mjs', 'js'],
    ['lib.cjs', 'js'],
    ['page.tsx?query#x', 'tsx']
  ])('%s is %s', (file, syntax) => {
    expect(scriptSyntaxOf(file)).toBe(syntax)
  })
})
