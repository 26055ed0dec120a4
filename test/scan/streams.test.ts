// The HTML, XML, JSON, CSS and text scanners over a document given in chunks give what they
// give over the whole document: the same output bytes, problems at the same offsets, the same count, however
// the chunks fall (inside a tag, an attribute value, an entity, a comment, a CDATA section, a
// `<script>`, a CRLF).
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { applyEdits } from '../../src/core/edits.js'
import { createHtmlStream } from '../../src/core/scan/html-stream.js'
import { scanText } from '../../src/core/scan/index.js'
import type { TextStream } from '../../src/core/scan/segments.js'
import { createTextStream } from '../../src/core/scan/dispatch.js'
import { createJsonStream } from '../../src/core/scan/json.js'
import { createCssStream } from '../../src/core/scan/values.js'
import { createXmlStream } from '../../src/core/scan/xml.js'
import { createImageBoss } from '../../src/index.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const boss = createImageBoss({ source: 'demo', secret: 'html-stream-secret', env: {}, production: true })
const signer = { url: (r: string) => boss.url(r), image: (r: string) => boss.image(r) }

type Kind = 'html' | 'xml' | 'json' | 'css' | 'text'

const DOCUMENTS: Array<[Kind, string]> = [
  ['html', 'test/fixtures/pieces/torture.html'],
  ['html', 'test/fixtures/pieces/crlf.html'],
  ['html', 'test/fixtures/sites/hugo/public/index.html'],
  ['xml', 'test/fixtures/pieces/torture.xml'],
  ['xml', 'test/fixtures/sites/eleventy/_site/feed.xml'],
  ['xml', 'test/fixtures/sites/hugo/public/posts/index.xml'],
  ['json', 'test/fixtures/pieces/torture.json'],
  ['css', 'test/fixtures/pieces/torture.css'],
  ['text', 'test/fixtures/pieces/torture.txt']
]

function createStream(kind: Kind): TextStream {
  return { html: createHtmlStream, xml: createXmlStream, json: createJsonStream, css: createCssStream, text: createTextStream }[kind]({ signer })
}

/** Output, problems (rule and offsets in the document) and count, streamed in chunks cut at `cuts`. */
function streamed(kind: Kind, text: string, cuts: number[]) {
  const stream = createStream(kind)
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

function whole(kind: Kind, text: string) {
  const result = scanText(kind, text, { signer })
  return { output: applyEdits(text, result.edits), problems: result.problems.map((p) => [p.ruleId, p.start, p.end]), count: result.count }
}

describe('HTML, XML, JSON, CSS and text streamed in chunks', () => {
  for (const [kind, file] of DOCUMENTS) {
    const text = readFileSync(path.join(ROOT, file), 'utf8')

    it(`gives what the whole document gives, in chunks of 1, 7 and 4096 characters: ${file}`, () => {
      const expected = whole(kind, text)
      // Not vacuous: the documents hold references signed (text files: only problems found).
      expect(kind === 'text' ? expected.problems.length : expected.count).toBeGreaterThan(0)
      for (const size of [1, 7, 4096]) {
        const cuts = Array.from({ length: Math.floor(text.length / size) }, (_, i) => (i + 1) * size)
        expect(streamed(kind, text, cuts), `chunks of ${size}`).toEqual(expected)
      }
    })

    it(`gives what the whole document gives, cut anywhere: ${file}`, () => {
      const expected = whole(kind, text)
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 40 }), (cuts) => {
          expect(streamed(kind, text, cuts)).toEqual(expected)
        }),
        { numRuns: 60 }
      )
    })
  }
})

// Documents made of the pieces where a cut matters most: unclosed and glued tokens, markup
// that looks like another token until its third character, quotes in tags, entities.
const XML_PIECES = [
  '<a href="imageboss:/x.jpg?w=10">',
  "<image href='imageboss:/y.png'/>",
  '<loc>imageboss:/z.jpg?w=20</loc>',
  '<style>a{background:url(imageboss:/s.jpg)}</style>',
  '<description>&lt;img src="imageboss:/d.jpg"&gt;</description>',
  '<![CDATA[<img src="imageboss:/c.jpg">]]>',
  '<!-- imageboss:/comment.jpg -->',
  '<?pi imageboss:/pi ?>',
  '<!DOCTYPE x>',
  '<t a="x>y" b=\'<\'>',
  '</t>',
  'text imageboss:/bad.jpg more',
  '&#105;mageboss:/e.jpg',
  '<',
  '<!',
  '<!-',
  '<![CDATA[',
  ']]>',
  '-->',
  '?>',
  '"',
  "'",
  '>',
  ' ',
  '\r\n'
]

const JSON_PIECES = [
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  ' ',
  '\n',
  '"',
  '\\',
  '\\"',
  '"imageboss:/j.jpg?w=1"',
  '"imageboss:/key.jpg": 1',
  '"a"',
  'imageboss:/bare.jpg',
  '"<img src=\\"imageboss:/m.jpg?w=2\\">"',
  '"\\u0069mageboss:/u.jpg"',
  '"imageboss:/bad.jpg?qualty=1"',
  '123'
]

const CSS_PIECES = [
  '.a{',
  '}',
  '(',
  ')',
  'url(',
  'url("',
  'url( ',
  'image-set(',
  'background-image:',
  'imageboss:/c.jpg?w=1',
  '"imageboss:/q.jpg?w=2"',
  "'imageboss:/s.jpg'",
  '"',
  "'",
  '/*',
  '*/',
  '\\',
  '\n',
  ',',
  ';',
  ' ',
  'imageboss\\3a /e.jpg',
  'imageboss',
  ':/x.jpg',
  'url(imageboss:/bad.jpg?qualty=1)',
  'https://img.imageboss.me/demo/width/1/x.jpg',
  'data:image/png;base64,AAAA',
  'a'.repeat(40),
  '/',
  'image',
  '-set(',
  'ur',
  'l(',
  'b/'
]

const TEXT_PIECES = [
  'imageboss',
  ':/t.jpg',
  'imageboss:/t.jpg',
  'imageboss&#58;/e.jpg',
  'imageboss\\3a /c.jpg',
  '\\u003a',
  ' ',
  '\n',
  '\r\n',
  'text',
  'a'.repeat(33)
]

describe('generated documents streamed in chunks', () => {
  const pieces: Array<[Kind, string[], number]> = [
    ['xml', XML_PIECES, 400],
    ['json', JSON_PIECES, 400],
    ['css', CSS_PIECES, 600],
    ['text', TEXT_PIECES, 400]
  ]
  for (const [kind, made, numRuns] of pieces) {
    it(`give what the whole document gives, however it is cut: ${kind}`, () => {
      fc.assert(
        fc.property(fc.array(fc.constantFrom(...made), { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 12 }), (chosen, cuts) => {
          const text = chosen.join('')
          expect(
            streamed(
              kind,
              text,
              cuts.map((cut) => cut % (text.length + 1))
            )
          ).toEqual(whole(kind, text))
        }),
        { numRuns }
      )
    })
  }
})
