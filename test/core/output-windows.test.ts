// The output check of a large file on disk reads it in windows, and the whole file only when a
// window finds something: whatever the window and margin sizes, `checkPath` must report what
// `check` reports over the file's bytes at once (the same problems at the same places, the
// same number of URLs), and a clean file must never be read whole. Files are made of pieces
// that sit across window edges: signed URLs (HMAC computed here) plain and escaped, references,
// unsigned URLs, the secret, code samples and URLs longer than a margin.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { createOutputCheck } from '../../src/core/output/index.js'
import { createVerifyKeys } from '../../src/core/verify-urls.js'
import { hmac } from '../helpers/expected.js'

const SOURCE = 'mysrc'
const SECRET = 'w1ndow-' + randomBytes(16).toString('hex')
const keys = () => createVerifyKeys({ source: SOURCE, secret: SECRET, sources: { open: { signed: false } } }, {})
const signed = (p: string) => `https://img.imageboss.me${p}?bossToken=${hmac(SECRET, p)}`
const dir = mkdtempSync(path.join(tmpdir(), 'imageboss-windows-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const CLEAN = [
  (i: number) => `<img src="${signed(`/mysrc/width/${i + 1}/a/b${i}.jpg`)}">\n`,
  (i: number) => `{"u":"${signed(`/mysrc/cdn/j${i}.png`).replace(/\//g, '\\/')}"}\n`,
  (i: number) => `<a href="${signed(`/mysrc/height/${i + 2}/e${i}.jpg`).replace(/\//g, '&#x2F;')}">x</a>`,
  (i: number) => `<img srcset="${signed(`/mysrc/width/300/s${i}.jpg`)} 1x, ${signed(`/mysrc/width/600/s${i}.jpg`)} 2x">`,
  () => '<img src="https://img.imageboss.me/open/cdn/free.jpg">',
  () => '<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>\n',
  (i: number) => 'a'.repeat(500 + (i % 7) * 300),
  () => '\r\n',
  () => 'é€𝄞 ',
  // Longer than any margin used here: read whole, and found clean there.
  (i: number) => `<img src="${signed(`/mysrc/width/10/${'long/'.repeat(4000)}l${i}.jpg`)}">`
]
const UNCLEAN = [
  () => '<pre><code>imageboss:/sample.jpg</code></pre>',
  () => '<img src="imageboss:/left.jpg?w=10">',
  () => '<img src="&#105;mageboss:/escaped.jpg">',
  () => '<img src="https://img.imageboss.me/mysrc/width/10/unsigned.jpg">',
  (i: number) => `<img src="${signed(`/mysrc/width/10/t${i}.jpg`).replace('/10/', '/11/')}">`,
  () => `const s = "${SECRET}"`,
  () => `const s = "${[...SECRET].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"`
]

let files = 0
function write(text: string): { name: string; path: string; size: number } {
  const name = `f${files++}.html`
  const file = path.join(dir, name)
  writeFileSync(file, text)
  return { name, path: file, size: Buffer.byteLength(text) }
}

describe('the output check of a large file, in windows', () => {
  it('reports what the whole file gives, however windows and margins fall', () => {
    const piece = fc.oneof(
      { weight: 40, arbitrary: fc.tuple(fc.constant(CLEAN), fc.nat({ max: CLEAN.length - 1 })) },
      { weight: 1, arbitrary: fc.tuple(fc.constant(UNCLEAN), fc.nat({ max: UNCLEAN.length - 1 })) }
    )
    fc.assert(
      fc.property(
        fc.array(piece, { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 64, max: 8192 }),
        fc.integer({ min: 0, max: 40000 }),
        (pieces, window, margin) => {
          const text = pieces.map(([list, index], i) => (list[index] as (i: number) => string)(i)).join('')
          const file = write(text)
          const whole: string[] = []
          const windowed = createOutputCheck(keys(), { window, margin, onWhole: (name) => whole.push(name) })
          const reference = createOutputCheck(keys())
          const shown = (problems: ReturnType<typeof reference.check>) => problems.map((p) => [p.ruleId, p.place?.line, p.place?.column, p.reason])
          const expected = shown(reference.check({ name: file.name, bytes: Buffer.from(text), served: true }))
          expect(shown(windowed.checkPath({ ...file, served: true }))).toEqual(expected)
          expect(windowed.urls).toBe(reference.urls)
          // A clean file of short pieces is never read whole; one with a problem always is.
          const hasLong = pieces.some(([list, index]) => list === CLEAN && index === CLEAN.length - 1)
          if (file.size > window && expected.length === 0 && !hasLong && !pieces.some(([list]) => list === UNCLEAN)) expect(whole).toEqual([])
          if (expected.length > 0) expect(whole).toEqual([file.name])
        }
      ),
      { numRuns: 150 }
    )
  })

  it('reads a large clean file in windows and finds every URL in it', () => {
    const text = Array.from({ length: 20000 }, (_, i) => (CLEAN[i % 4] as (i: number) => string)(i)).join('\n')
    const file = write(text)
    const whole: string[] = []
    const windowed = createOutputCheck(keys(), { onWhole: (name) => whole.push(name) })
    expect(file.size).toBeGreaterThan(2 * 1024 * 1024)
    expect(windowed.checkPath({ ...file, served: true })).toEqual([])
    expect(whole).toEqual([])
    // Pieces 0–2 hold one URL each, piece 3 two.
    expect(windowed.urls).toBe(5000 * 5)
  })

  it('searches server bundles for the secret only, in windows too', () => {
    const text = 'x'.repeat(3 * 1024 * 1024) + `"${SECRET}"` + '<img src="imageboss:/server.jpg">'
    const file = write(text)
    const windowed = createOutputCheck(keys())
    expect(windowed.checkPath({ ...file, served: false }).map((p) => p.ruleId)).toEqual(['secret-in-output'])
    const clean = write('x'.repeat(3 * 1024 * 1024) + '<img src="imageboss:/server.jpg">')
    expect(windowed.checkPath({ ...clean, served: false })).toEqual([])
  })
})
