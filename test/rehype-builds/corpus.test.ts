// Real Markdown (rust-lang/book, vuejs/docs; see test/fixtures/corpus/README.md): every
// image destination becomes an `imageboss:` reference in one input and the independently
// computed URL in another. The plugin's output on the first must equal, byte for byte, the
// output of the same pipeline without the plugin on the second.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Definition, Html, Image, ImageReference, Root } from 'mdast'
import remarkParse from 'remark-parse'
import { unified } from 'unified'
import { visit } from 'unist-util-visit'
import { VFile } from 'vfile'
import { describe, expect, it } from 'vitest'
import { encodePath, OPTIONS, SECRET, signedUrl, SOURCE } from '../rehype/expected.js'
import { MODES, processor, type Mode } from '../rehype/pipeline.js'

const CORPUS = fileURLToPath(new URL('../fixtures/corpus/', import.meta.url))

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? markdownFiles(join(dir, entry.name)) : entry.name.endsWith('.md') ? [join(dir, entry.name)] : []))
    .sort()
}

/** `./images/a.png`, `/images/a.png`, `https://host/images/a.png` → `images/a.png`. */
function imagePath(destination: string): string {
  const path = /^[a-z][a-z+.-]*:\/\//i.test(destination) ? new URL(destination).pathname : destination
  const segments = path.split('/').filter((segment) => segment !== '' && segment !== '.')
  if (segments.includes('..') || !/^[\w.~-]+(?:\/[\w.~-]+)*$/.test(segments.join('/'))) {
    throw new Error(`Unexpected destination \`${destination}\` in the corpus: extend the test`)
  }
  return segments.join('/')
}

interface Slot {
  start: number
  end: number
  destination: string
  kind: 'markdown' | 'raw'
}

const IMG_TAG_RE = /<img\b(?:[^>"']|"[^"]*"|'[^']*')*>/gi
const SRC_RE = /\ssrc\s*=\s*"([^"]*)"/i

/** Image destinations in a Markdown file, found with remark (so code is never touched). */
function findSlots(text: string): Slot[] {
  const tree = unified().use(remarkParse).parse(text) as Root
  const slots: Slot[] = []
  const definitions = new Map<string, Definition>()
  const usedByImages = new Set<string>()
  visit(tree, (node) => {
    if (node.type === 'definition') definitions.set(node.identifier, node)
    if (node.type === 'imageReference') usedByImages.add((node as ImageReference).identifier)
  })
  visit(tree, (node) => {
    if (node.type === 'image') slots.push(destinationSlot(text, node as Image, (node as Image).url, '](', 'markdown'))
    if (node.type === 'html') {
      const html = node as Html
      const start = html.position?.start.offset ?? -1
      if (!/<img/i.test(html.value)) return
      // In a container (list, block quote) the value loses its indent: then extend the test.
      if (text.slice(start, html.position?.end.offset) !== html.value) throw new Error('html node does not match its source')
      for (const tag of html.value.matchAll(IMG_TAG_RE)) {
        const src = SRC_RE.exec(tag[0])
        if (!src || src[1] === undefined) continue
        const at = start + tag.index + src.index + src[0].length - src[1].length - 1
        slots.push({ start: at, end: at + src[1].length, destination: src[1], kind: 'raw' })
      }
    }
  })
  for (const id of usedByImages) {
    const definition = definitions.get(id)
    if (definition) slots.push(destinationSlot(text, definition, definition.url, ']:', 'markdown'))
  }
  return slots.sort((a, b) => a.start - b.start)
}

function destinationSlot(text: string, node: Image | Definition, url: string, marker: string, kind: Slot['kind']): Slot {
  const from = node.position?.start.offset ?? 0
  const source = text.slice(from, node.position?.end.offset)
  const at = source.lastIndexOf(marker) + marker.length
  const match = /^\s*<?/.exec(source.slice(at)) as RegExpExecArray
  const start = from + at + match[0].length
  if (text.slice(start, start + url.length) !== url) throw new Error(`Cannot find destination \`${url}\``)
  return { start, end: start + url.length, destination: url, kind }
}

function splice(text: string, slots: readonly Slot[], replace: (slot: Slot) => string): string {
  let out = ''
  let last = 0
  for (const slot of slots) {
    out += text.slice(last, slot.start) + replace(slot)
    last = slot.end
  }
  return out + text.slice(last)
}

const reference = (slot: Slot) => `imageboss:/${imagePath(slot.destination)}?w=800`
const expected = (slot: Slot) => signedUrl(`/${SOURCE}/width/800/format:auto/${encodePath(imagePath(slot.destination))}`, SECRET)

for (const corpus of ['rust-book', 'vue-docs']) {
  describe(`corpus ${corpus}`, () => {
    const files = markdownFiles(join(CORPUS, corpus)).map((path) => {
      const text = readFileSync(path, 'utf8')
      const slots = findSlots(text)
      return {
        path,
        text,
        slots,
        withReferences: splice(text, slots, reference),
        withUrls: splice(text, slots, (slot) => {
          const url = expected(slot)
          expect(url).not.toMatch(/[&"<>\s]/) // written verbatim into Markdown and HTML
          return url
        })
      }
    })

    it('has the files the README lists, and images in them', () => {
      expect(files.length).toBe(corpus === 'rust-book' ? 112 : 119)
      expect(files.some((file) => file.text.includes('imageboss:'))).toBe(false)
      const raw = files.reduce((n, file) => n + file.slots.filter((slot) => slot.kind === 'raw').length, 0)
      const markdown = files.reduce((n, file) => n + file.slots.filter((slot) => slot.kind === 'markdown').length, 0)
      // Measured when the corpus was added; a change means the corpus or the scan changed.
      expect({ markdown, raw }).toEqual(corpus === 'rust-book' ? { markdown: 0, raw: 28 } : { markdown: 17, raw: 5 })
    })

    for (const mode of MODES) {
      it(`gives the expected URLs, byte for byte (${mode})`, async () => {
        const options = { ...OPTIONS, production: true }
        let signed = 0
        let expectedCount = 0
        for (const file of files) {
          const actual = await processor(mode, options).process(new VFile({ value: file.withReferences, path: file.path }))
          const wanted = await processor(mode).process(new VFile({ value: file.withUrls, path: file.path }))
          expect(actual.messages, file.path).toEqual([])
          expect(String(actual), file.path).toBe(String(wanted))
          expect(String(actual), file.path).not.toContain('imageboss:')
          signed += String(actual).split('?bossToken=').length - 1
          expectedCount += file.slots.filter((slot) => slot.kind === 'markdown' || mode !== 'no-raw').length
        }
        // Raw HTML is dropped without `allowDangerousHtml`: rust-book has only raw <img>.
        expect(signed).toBe(expectedCount)
        if (!(corpus === 'rust-book' && mode === 'no-raw')) expect(signed).toBeGreaterThan(0)
      })
    }
  })
}

describe('corpus code samples', () => {
  it('keep their <img> tags and stay untouched', async () => {
    const path = join(CORPUS, 'vue-docs/style-guide/rules-strongly-recommended.md')
    const text = readFileSync(path, 'utf8')
    expect(text).toContain('<img src="https://vuejs.org/images/logo.png" alt="Vue Logo">')
    expect(findSlots(text)).toEqual([])
    for (const mode of MODES satisfies readonly Mode[]) {
      const html = String(await processor(mode, OPTIONS).process(text))
      expect(html).toContain('&#x3C;img src="https://vuejs.org/images/logo.png" alt="Vue Logo">')
    }
  })
})
