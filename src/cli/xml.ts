import { rewriteHtml } from '../core/html.js'
import type { ImageBoss } from '../core/imageboss.js'
import { applyEdits, toProblem, type RewriteResult } from '../core/slots.js'
import { isReference } from '../core/script.js'

const ATTRIBUTE_RE = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g
const ENTITY_RE = /&(?:#(\d+)|#x([0-9a-fA-F]+)|(amp|lt|gt|quot|apos));/g
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

/** Undo XML's character and predefined entity references. */
export function decodeXml(text: string): string {
  if (!text.includes('&')) return text
  return text.replace(ENTITY_RE, (whole, decimal?: string, hex?: string, name?: string) => {
    if (name !== undefined) return NAMED[name] ?? whole
    const code = decimal !== undefined ? Number(decimal) : Number.parseInt(hex ?? '', 16)
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole
  })
}

/** Escape text for XML: in an attribute quoted with `quote`, or in content. */
export function escapeXml(text: string, quote?: '"' | "'"): string {
  let out = text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
  if (quote === '"') out = out.replaceAll('"', '&quot;')
  if (quote === "'") out = out.replaceAll("'", '&apos;')
  return out
}

/**
 * Rewrite references in XML (sitemaps, RSS, Atom) without re-serialising it: attribute values
 * (`<enclosure url>`, `<media:content url>`, `<media:thumbnail url>`, `<link href>`) and text
 * content (`<image:loc>`, `<url>`) whose whole value is a reference, and escaped or CDATA
 * HTML in text (`<description>`, `<content:encoded>`). Values are entity-decoded before
 * parsing the reference and escaped on output. Comments and processing instructions are
 * left alone.
 */
export function rewriteXml(xml: string, boss: ImageBoss): RewriteResult {
  const result: RewriteResult = { edits: [], problems: [], count: 0 }
  if (!xml.includes('imageboss')) return result
  const length = xml.length
  let i = 0
  while (i < length) {
    const lt = xml.indexOf('<', i)
    const textEnd = lt === -1 ? length : lt
    if (textEnd > i) rewriteText(xml, i, textEnd, false, boss, result)
    if (lt === -1) break
    if (xml.startsWith('<!--', lt)) {
      const close = xml.indexOf('-->', lt + 4)
      i = close === -1 ? length : close + 3
    } else if (xml.startsWith('<![CDATA[', lt)) {
      const close = xml.indexOf(']]>', lt + 9)
      const end = close === -1 ? length : close
      rewriteText(xml, lt + 9, end, true, boss, result)
      i = close === -1 ? length : close + 3
    } else if (xml.startsWith('<?', lt)) {
      const close = xml.indexOf('?>', lt + 2)
      i = close === -1 ? length : close + 2
    } else if (xml.startsWith('<!', lt)) {
      const close = xml.indexOf('>', lt + 2)
      i = close === -1 ? length : close + 1
    } else {
      const close = tagEnd(xml, lt + 1)
      const tag = xml.slice(lt, close)
      if (tag.includes('imageboss')) {
        for (const match of tag.matchAll(ATTRIBUTE_RE)) {
          const raw = match[2] ?? match[3] ?? ''
          const quote = match[2] === undefined ? "'" : '"'
          const start = lt + (match.index ?? 0) + match[0].length - 1 - raw.length
          rewriteValue(raw, start, (url) => escapeXml(url, quote), boss, result)
        }
      }
      i = close
    }
  }
  return result
}

/** The offset after the `>` closing a tag, skipping quoted attribute values. */
function tagEnd(xml: string, from: number): number {
  let quote = ''
  for (let i = from; i < xml.length; i++) {
    const c = xml.charAt(i)
    if (quote) {
      if (c === quote) quote = ''
    } else if (c === '"' || c === "'") {
      quote = c
    } else if (c === '>') {
      return i + 1
    }
  }
  return xml.length
}

function rewriteText(xml: string, start: number, end: number, cdata: boolean, boss: ImageBoss, result: RewriteResult): void {
  const raw = xml.slice(start, end)
  if (!raw.includes('imageboss')) return
  const escape = cdata ? (url: string) => url : (url: string) => escapeXml(url)
  if (rewriteValue(raw, start, escape, boss, result)) return
  const value = cdata ? raw : decodeXml(raw)
  if (!value.includes('<') || !value.includes('imageboss:')) return
  // HTML carried in the text: sign it as a fragment, then escape it back.
  const found = rewriteHtml(value, (reference) => boss.url(reference), { fragment: true, image: (reference) => boss.image(reference) })
  const exact = value === raw
  for (const problem of found.problems) {
    const at = start + (exact ? problem.start : 0)
    result.problems.push({ ...problem, start: at, end: at })
  }
  if (found.edits.length === 0 || found.problems.length > 0) return
  result.count += found.count
  if (exact) {
    for (const edit of found.edits) result.edits.push({ start: start + edit.start, end: start + edit.end, text: edit.text })
  } else {
    result.edits.push({ start, end, text: escapeXml(applyEdits(value, found.edits)) })
  }
}

/** A value that is one whole reference (surrounding whitespace aside): rewritten; returns whether it was one. */
function rewriteValue(raw: string, start: number, escape: (url: string) => string, boss: ImageBoss, result: RewriteResult): boolean {
  const value = decodeXml(raw)
  const trimmed = value.trim()
  if (!isReference(trimmed)) return false
  const exact = value === raw
  const from = exact ? start + raw.indexOf(trimmed) : start
  const to = exact ? from + trimmed.length : start + raw.length
  try {
    const url = boss.url(trimmed)
    result.edits.push({ start: from, end: to, text: exact ? escape(url) : raw.slice(0, raw.length - raw.trimStart().length) + escape(url) + raw.slice(raw.trimEnd().length) })
    result.count++
  } catch (error) {
    result.problems.push(toProblem(error, from, to, exact))
  }
  return true
}
