// The HTML scanner over a document given in chunks gives what it gives over the whole
// document: the same output bytes, problems at the same offsets, the same count, however the
// chunks fall (inside a tag, an attribute value, an entity, a comment, a `<script>`, a CRLF).
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { applyEdits } from '../../src/core/edits.js'
import { createHtmlStream } from '../../src/core/scan/html-stream.js'
import { scanText } from '../../src/core/scan/index.js'
import { createImageBoss } from '../../src/index.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const boss = createImageBoss({ source: 'demo', secret: 'html-stream-secret', env: {}, production: true })
const signer = { url: (r: string) => boss.url(r), image: (r: string) => boss.image(r) }

const DOCUMENTS = ['test/fixtures/pieces/torture.html', 'test/fixtures/pieces/crlf.html', 'test/fixtures/sites/hugo/public/index.html']

/** Output, problems (rule and offsets in the document) and count, streamed in chunks cut at `cuts`. */
function streamed(text: string, cuts: number[]) {
  const stream = createHtmlStream({ signer })
  const segments = []
  let last = 0
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    const segment = stream.write(text.slice(last, cut))
    if (segment) segments.push(segment)
    last = cut
  }
  const rest = stream.write(text.slice(last))
  if (rest) segments.push(rest)
  segments.push(stream.end())
  return {
    output: segments.map((s) => applyEdits(s.text, s.edits)).join(''),
    problems: segments.flatMap((s) => s.problems.map((p) => [p.ruleId, s.start + p.start, s.start + p.end])),
    count: segments.reduce((sum, s) => sum + s.count, 0)
  }
}

function whole(text: string) {
  const result = scanText('html', text, { signer })
  return { output: applyEdits(text, result.edits), problems: result.problems.map((p) => [p.ruleId, p.start, p.end]), count: result.count }
}

describe('HTML streamed in chunks', () => {
  for (const file of DOCUMENTS) {
    const text = readFileSync(path.join(ROOT, file), 'utf8')

    it(`gives what the whole document gives, in chunks of 1, 7 and 4096 characters: ${file}`, () => {
      const expected = whole(text)
      // Not vacuous: the documents hold references signed and problems found.
      expect(expected.count).toBeGreaterThan(0)
      for (const size of [1, 7, 4096]) {
        const cuts = Array.from({ length: Math.floor(text.length / size) }, (_, i) => (i + 1) * size)
        expect(streamed(text, cuts), `chunks of ${size}`).toEqual(expected)
      }
    })

    it(`gives what the whole document gives, cut anywhere: ${file}`, () => {
      const expected = whole(text)
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 40 }), (cuts) => {
          expect(streamed(text, cuts)).toEqual(expected)
        }),
        { numRuns: 60 }
      )
    })
  }
})
