// (3) rehype overhead on the two Markdown corpora (rust-lang/book, vuejs/docs): the plugin
// on input with references, against the same pipeline without it on input that already
// holds the final URLs. Image destinations are found the way test/rehype-builds/corpus.test.ts
// finds them (remark positions; `<img src="…">` inside raw HTML).
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createImageBoss } from 'imageboss-build'
import rehypeImageBoss from 'imageboss-build/rehype'
import rehypeStringify from 'rehype-stringify'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import { unified } from 'unified'
import { visit } from 'unist-util-visit'
import { VFile } from 'vfile'
import { now, sideBySide } from './lib.js'

const CORPUS = fileURLToPath(new URL('../test/fixtures/corpus/', import.meta.url))
const OPTIONS = { source: 'bench-images', secret: 'bench-secret-not-a-real-one', env: {}, production: true }
const IMG_TAG_RE = /<img\b(?:[^>"']|"[^"]*"|'[^']*')*>/gi
const SRC_RE = /\ssrc\s*=\s*"([^"]*)"/i

function markdownFiles(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? markdownFiles(join(dir, entry.name)) : entry.name.endsWith('.md') ? [join(dir, entry.name)] : []))
    .sort()
}

/** `./images/a.png`, `https://host/images/a.png` → `images/a.png`. */
function imagePath(destination) {
  const path = /^[a-z][a-z+.-]*:\/\//i.test(destination) ? new URL(destination).pathname : destination
  return path
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.')
    .join('/')
}

/** Image destinations: Markdown images, definitions used by image references, raw `<img src>`. */
function findSlots(text) {
  const tree = unified().use(remarkParse).parse(text)
  const slots = []
  const definitions = new Map()
  const usedByImages = new Set()
  visit(tree, (node) => {
    if (node.type === 'definition') definitions.set(node.identifier, node)
    if (node.type === 'imageReference') usedByImages.add(node.identifier)
  })
  visit(tree, (node) => {
    if (node.type === 'image') slots.push(destinationSlot(text, node, ']('))
    if (node.type === 'html' && /<img/i.test(node.value)) {
      const start = node.position.start.offset
      if (text.slice(start, node.position.end.offset) !== node.value) return
      for (const tag of node.value.matchAll(IMG_TAG_RE)) {
        const src = SRC_RE.exec(tag[0])
        if (!src) continue
        const at = start + tag.index + src.index + src[0].length - src[1].length - 1
        slots.push({ start: at, end: at + src[1].length, destination: src[1] })
      }
    }
  })
  for (const id of usedByImages) {
    const definition = definitions.get(id)
    if (definition) slots.push(destinationSlot(text, definition, ']:'))
  }
  return slots.sort((a, b) => a.start - b.start)
}

function destinationSlot(text, node, marker) {
  const from = node.position.start.offset
  const source = text.slice(from, node.position.end.offset)
  const at = source.lastIndexOf(marker) + marker.length
  const start = from + at + /^\s*<?/.exec(source.slice(at))[0].length
  return { start, end: start + node.url.length, destination: node.url }
}

function splice(text, slots, replace) {
  let out = ''
  let last = 0
  for (const slot of slots) {
    out += text.slice(last, slot.start) + replace(slot)
    last = slot.end
  }
  return out + text.slice(last)
}

/** Markdown → HTML with raw HTML kept (rust-book's images are all raw `<img>`). */
function processor(withPlugin) {
  const p = unified().use(remarkParse).use(remarkRehype, { allowDangerousHtml: true })
  if (withPlugin) p.use(rehypeImageBoss, OPTIONS)
  return p.use(rehypeStringify, { allowDangerousHtml: true })
}

function loadCorpus(name, limit) {
  const signer = createImageBoss(OPTIONS)
  const reference = (slot) => `imageboss:/${imagePath(slot.destination)}?w=800`
  return markdownFiles(join(CORPUS, name))
    .slice(0, limit)
    .map((path) => {
      const text = readFileSync(path, 'utf8')
      const slots = findSlots(text)
      return {
        path,
        slots: slots.length,
        withReferences: splice(text, slots, reference),
        withUrls: splice(text, slots, (slot) => signer.url(reference(slot)))
      }
    })
}

function timeCorpus(files, withPlugin) {
  const start = now()
  const p = processor(withPlugin)
  for (const file of files) p.processSync(new VFile({ value: withPlugin ? file.withReferences : file.withUrls, path: file.path }))
  return now() - start
}

export async function benchRehype({ quick }) {
  const rows = []
  for (const name of ['rust-book', 'vue-docs']) {
    const files = loadCorpus(name, quick ? 10 : undefined)
    // Same output both ways, or the comparison means nothing.
    const a = processor(true)
    const b = processor(false)
    for (const file of files) {
      const signed = String(a.processSync(new VFile({ value: file.withReferences, path: file.path })))
      if (signed !== String(b.processSync(new VFile({ value: file.withUrls, path: file.path })))) throw new Error(`Different output for ${file.path}`)
    }
    const images = files.reduce((n, file) => n + file.slots, 0)
    const result = await sideBySide({ plugin: () => timeCorpus(files, true), plain: () => timeCorpus(files, false) }, { runs: quick ? 1 : 5 })
    rows.push({
      id: `rehype-${name}`,
      what: `rehype: ${name} (${files.length} files, ${images} images) remark-parse → remark-rehype → plugin → rehype-stringify vs the pipeline without the plugin on pre-signed input`,
      ratio: result.ratio('plugin', 'plain'),
      target: 1.02,
      detail: `${(result.median.plugin / files.length).toFixed(1)} ms vs ${(result.median.plain / files.length).toFixed(1)} ms per file`
    })
  }
  return rows
}
