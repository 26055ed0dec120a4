import { embed, innerScan, misplaced, report, signReference, type Scan } from './context.js'
import { scanEmbedded } from './embedded.js'
import { findLeftovers, hasLeftover, mayHoldReference } from './leftovers.js'
import { scanCss } from './values.js'

const ATTRIBUTE_RE = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g
const ENTITY_RE = /&(?:#(\d+)|#x([0-9a-fA-F]+)|(amp|lt|gt|quot|apos));/g
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }
const TAG_NAME_RE = /^<([^\s/>]+)/

/** Undo XML's character and predefined entity references. */
export function decodeXml(text: string): string {
  if (!text.includes('&')) return text
  return text.replace(ENTITY_RE, (whole, decimal?: string, hex?: string, name?: string) => {
    if (name !== undefined) return NAMED[name] ?? whole
    const code = decimal !== undefined ? Number(decimal) : Number.parseInt(hex ?? '', 16)
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole
  })
}

/**
 * Sign references in XML (SVG, sitemaps, RSS, Atom) without re-serialising it: attribute
 * values and text content whose whole value is a reference (`<image href>`, `<enclosure url>`,
 * `<image:loc>`), `style` attributes and `<style>` text as CSS, and escaped or CDATA HTML in
 * text (`<description>`, `<content:encoded>`). Comments and processing instructions are left
 * alone; any other occurrence is a problem.
 */
export function scanXml(scan: Scan, xml: string): void {
  if (!mayHoldReference(xml)) return
  const length = xml.length
  let element = ''
  let i = 0
  while (i < length) {
    const lt = xml.indexOf('<', i)
    const textEnd = lt === -1 ? length : lt
    if (textEnd > i) scanXmlText(scan, xml, i, textEnd, false, element)
    if (lt === -1) break
    if (xml.startsWith('<!--', lt)) {
      const close = xml.indexOf('-->', lt + 4)
      i = close === -1 ? length : close + 3
      scan.samples.push({ start: lt, end: i })
    } else if (xml.startsWith('<![CDATA[', lt)) {
      const close = xml.indexOf(']]>', lt + 9)
      scanXmlText(scan, xml, lt + 9, close === -1 ? length : close, true, element)
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
      element = xml.charAt(lt + 1) === '/' ? '' : (TAG_NAME_RE.exec(tag)?.[1] ?? '').toLowerCase()
      if (mayHoldReference(tag)) scanTag(scan, tag, lt)
      i = close
    }
  }
}

function scanTag(scan: Scan, tag: string, start: number): void {
  const covered: Array<{ start: number; end: number }> = []
  for (const match of tag.matchAll(ATTRIBUTE_RE)) {
    const raw = match[2] ?? match[3] ?? ''
    const quote = match[2] === undefined ? "'" : '"'
    const at = start + match.index + match[0].length - 1 - raw.length
    covered.push({ start: at - start, end: at - start + raw.length })
    if (!mayHoldReference(raw)) continue
    const value = decodeXml(raw)
    if ((match[1] ?? '').toLowerCase() === 'style') {
      const inner = innerScan(scan)
      scanCss(inner, value)
      embed(scan, inner.result, raw, value, at, { kind: 'xml-attribute', quote })
    } else {
      scanWhole(scan, raw, value, at, { kind: 'xml-attribute', quote }, 'in an XML attribute')
    }
  }
  // Outside attribute values (a broken tag): nothing signs it.
  for (const found of findLeftovers(tag)) {
    if (!covered.some((r) => r.start <= found.start && found.start < r.end)) report(scan, misplaced(scan, start + found.start, start + found.end, 'in an XML tag'))
  }
}

function scanXmlText(scan: Scan, xml: string, start: number, end: number, cdata: boolean, element: string): void {
  const raw = xml.slice(start, end)
  if (!mayHoldReference(raw)) return
  const value = cdata ? raw : decodeXml(raw)
  const destination = cdata ? ({ kind: 'raw' } as const) : ({ kind: 'xml-text' } as const)
  if (element === 'style') {
    const inner = innerScan(scan)
    scanCss(inner, value)
    embed(scan, inner.result, raw, value, start, destination)
    return
  }
  if (value.trim().startsWith('imageboss:') && !value.includes('<')) {
    scanWhole(scan, raw, value, start, destination, 'in XML text')
    return
  }
  if (value.includes('<') && hasLeftover(value)) {
    // HTML carried in the text: signed as a fragment, then escaped back.
    scanEmbedded(scan, 'html', raw, value, start, destination)
    return
  }
  for (const found of findLeftovers(raw)) report(scan, misplaced(scan, start + found.start, start + found.end, 'in XML text, inside a longer text'))
}

/** A value that is one whole reference, surrounding whitespace aside; anything else is a problem. */
function scanWhole(scan: Scan, raw: string, value: string, start: number, destination: Parameters<typeof embed>[5], where: string): void {
  const trimmed = value.trim()
  if (!trimmed.startsWith('imageboss:') || /\s/.test(trimmed)) {
    for (const found of findLeftovers(raw)) report(scan, misplaced(scan, start + found.start, start + found.end, `${where}, inside a longer text`))
    return
  }
  const inner = innerScan(scan)
  const from = value.indexOf(trimmed)
  signReference(inner, trimmed, from, from + trimmed.length, where, (url) => url)
  embed(scan, inner.result, raw, value, start, destination)
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
