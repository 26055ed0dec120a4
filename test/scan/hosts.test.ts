// Escaping by destination, as properties over generated references and host texts: the core
// scanners' output still parses, and the string (or attribute) evaluates to the intended markup
// with the URL in place. Expected URLs come from the oracle (node:crypto, a Go `PathEscape`
// written apart); hosts are escaped here with JSON.stringify and plain replacements, never
// with the code under test.
import { parse as parseJs } from 'acorn'
import fc from 'fast-check'
import { parseFragment, type DefaultTreeAdapterTypes as P5 } from 'parse5'
import { describe, expect, it } from 'vitest'
import { applyEdits } from '../../src/core/edits.js'
import { createImageBoss } from '../../src/index.js'
import { scanText } from '../../src/core/scan/index.js'
import { expectedUrl, goPathEscape } from '../helpers/expected.js'

const SECRET = 'host-secret'
const boss = createImageBoss({ source: 's', secret: SECRET, defaults: {}, env: {}, production: true })
const signer = { url: (r: string) => boss.url(r), image: (r: string) => boss.image(r) }
const RUNS = Number(process.env.FUZZ_RUNS ?? 12_000) / 12

/** Characters that need escaping somewhere: quotes, markup, template syntax, backslashes. */
const segmentArb = fc
  .array(fc.constantFrom(...'ab9 \'"<>&\\`${}=@:+é😀'.split(/(?:)/u)), { minLength: 1, maxLength: 8 })
  .map((chars) => chars.join(''))
  .filter((s) => s !== '.' && s !== '..')

const referenceArb = fc
  .record({ segments: fc.array(segmentArb, { minLength: 1, maxLength: 3 }), width: fc.integer({ min: 1, max: 8192 }) })
  .map(({ segments, width }) => {
    const parts = ['p' + (segments[0] as string), ...segments.slice(1)]
    parts[parts.length - 1] += '.jpg'
    return {
      reference: `imageboss:/${parts.join('/')}?w=${width}`,
      url: expectedUrl(`/s/width/${width}/${parts.map(goPathEscape).join('/')}`, SECRET)
    }
  })

/** HTML-escape for a double-quoted attribute (the test's own escaper). */
const attr = (text: string) => text.replaceAll('&', '&amp;').replaceAll('"', '&quot;')

/** A JS string literal of `text` with quote `q`, written by the test. */
function jsLiteral(text: string, q: '"' | "'" | '`'): string {
  const json = JSON.stringify(text).slice(1, -1)
  if (q === '"') return `"${json}"`
  if (q === "'") return `'${json.replaceAll('\\"', '"').replaceAll("'", "\\'")}'`
  return '`' + json.replaceAll('\\"', '"').replaceAll('`', '\\`').replaceAll('${', '\\${') + '`'
}

/** The value of the one string (or expression-less template) assigned in `code`. */
function assigned(code: string): string {
  const program = parseJs(code, { ecmaVersion: 'latest', sourceType: 'module' }) as unknown as {
    body: Array<{ expression: { right: { type: string; value?: string; quasis?: Array<{ value: { cooked: string } }> } } }>
  }
  const right = program.body[0]?.expression.right
  if (!right) throw new Error('Expected an assignment')
  return right.type === 'Literal' ? (right.value as string) : (right.quasis?.[0]?.value.cooked as string)
}

function element(markup: string, tagName: string): P5.Element {
  const stack: P5.ParentNode[] = [parseFragment(markup)]
  while (stack.length > 0) {
    for (const node of (stack.pop() as P5.ParentNode).childNodes) {
      if (!('tagName' in node)) continue
      if (node.tagName === tagName) return node
      stack.push(node)
    }
  }
  throw new Error(`Expected a <${tagName}> in ${markup}`)
}

const attributesOf = (el: P5.Element) => Object.fromEntries(el.attrs.map((a) => [a.name, a.value]))

describe('escaping by destination', () => {
  it('a whole reference in a JS string of any quote evaluates to its URL', () => {
    fc.assert(
      fc.property(referenceArb, fc.constantFrom<'"' | "'" | '`'>('"', "'", '`'), ({ reference, url }, q) => {
        const code = `x = ${jsLiteral(reference, q)}`
        const result = scanText('script', code, { signer })
        expect(result.problems).toEqual([])
        expect(assigned(applyEdits(code, result.edits))).toBe(url)
      }),
      { numRuns: RUNS }
    )
  })

  it('markup in a JS string of any quote keeps parsing, and its <img> gets the URL and the responsive attributes', () => {
    fc.assert(
      fc.property(
        referenceArb,
        fc.constantFrom<'"' | "'" | '`'>('"', "'", '`'),
        fc.constantFrom('"', "'"),
        fc.boolean(),
        ({ reference, url }, q, htmlQuote, srcset) => {
          const value = attr(reference + (srcset ? '&srcset=auto' : '')).replaceAll("'", '&#39;')
          const markup = `<p><img src=${htmlQuote}${value}${htmlQuote} alt=${htmlQuote}x${htmlQuote}></p>`
          const code = `x = ${jsLiteral(markup, q)}`
          const result = scanText('script', code, { signer })
          expect(result.problems).toEqual([])
          const img = attributesOf(element(assigned(applyEdits(code, result.edits)), 'img'))
          expect(img.src).toBe(url)
          expect(img.alt).toBe('x')
          if (srcset) expect(img.srcset?.split(', ').every((candidate) => candidate.startsWith('https://img.imageboss.me/s/width/'))).toBe(true)
        }
      ),
      { numRuns: RUNS }
    )
  })

  it('markup in an inline <script> and in JSON-LD keeps parsing', () => {
    fc.assert(
      fc.property(referenceArb, ({ reference, url }) => {
        const html = `<script>x = ${jsLiteral(`<img src="${attr(reference)}&amp;srcset=auto" alt="x">`, '"')}</script><script type="application/ld+json">${JSON.stringify({ image: reference })}</script>`
        const result = scanText('html', html, { signer })
        expect(result.problems).toEqual([])
        const out = applyEdits(html, result.edits)
        const scripts = [...out.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1] as string)
        expect(attributesOf(element(assigned(scripts[0] as string), 'img')).src).toBe(url)
        expect((JSON.parse(scripts[1] as string) as { image: string }).image).toBe(url)
      }),
      { numRuns: RUNS }
    )
  })

  it('an HTML attribute, and markup in `srcdoc`, parse to the same tree with the URL in place', () => {
    fc.assert(
      fc.property(referenceArb, fc.constantFrom('"', "'"), ({ reference, url }, q) => {
        const escape = (text: string) => attr(text).replaceAll("'", '&#39;')
        const inner = `<img src="${escape(reference)}">`
        const html = `<div><img src=${q}${escape(reference)}${q} alt="a"><iframe srcdoc=${q}${escape(inner)}${q}></iframe></div>`
        const result = scanText('html', html, { signer })
        expect(result.problems).toEqual([])
        const out = applyEdits(html, result.edits)
        expect(attributesOf(element(out, 'img'))).toEqual({ src: url, alt: 'a' })
        const srcdoc = attributesOf(element(out, 'iframe')).srcdoc as string
        expect(attributesOf(element(srcdoc, 'img')).src).toBe(url)
      }),
      { numRuns: RUNS }
    )
  })

  it('a JSON string value evaluates to its URL, and markup in one keeps its attributes', () => {
    fc.assert(
      fc.property(referenceArb, ({ reference, url }) => {
        const json = JSON.stringify({ image: reference, html: `<img src="${attr(reference)}" alt='y'>` }, null, 2)
        const result = scanText('json', json, { signer })
        expect(result.problems).toEqual([])
        const out = JSON.parse(applyEdits(json, result.edits)) as { image: string; html: string }
        expect(out.image).toBe(url)
        expect(attributesOf(element(out.html, 'img'))).toEqual({ src: url, alt: 'y' })
      }),
      { numRuns: RUNS }
    )
  })
})
