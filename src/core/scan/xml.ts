import { embed, innerScan, reportLeftovers, reportOutside, signReference, type Scan, type ScanOptions } from './context.js'
import { scanEmbedded } from './embedded.js'
import { hasLeftover, mayHoldReference } from './leftovers.js'
import { createTokenStream, type TextStream } from './segments.js'
import { OTHER_SCHEME_RE, scanCss } from './values.js'

/** One `name="value"` (or `'value'`), tried only where a run of name characters starts (sticky). */
const ATTRIBUTE_RE = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/y
const ENTITY_RE = /&(?:#(\d+)|#x([0-9a-fA-F]+)|(amp|lt|gt|quot|apos));/g
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }
const TAG_NAME_RE = /^<([^\s/>]+)/
const NAME_CHAR_RE = /[^\s=/>]/

/** Undo XML's character and predefined entity references. */
function decodeXml(text: string): string {
  if (!text.includes('&')) return text
  // Joined a few thousand pieces at a time: `replace` with a function keeps a piece per
  // entity until it ends, and a million live pieces slow down every garbage collection
  // (8 MB of `&#58;` took 16× the time of 1 MB).
  let out = ''
  let pieces: string[] = []
  let last = 0
  for (const match of text.matchAll(ENTITY_RE)) {
    pieces.push(text.slice(last, match.index), decodeEntity(match))
    last = match.index + match[0].length
    if (pieces.length >= 4096) {
      out += pieces.join('')
      pieces = []
    }
  }
  return out + pieces.join('') + text.slice(last)
}

/** The text of one entity reference (as written, when it names no character). */
function decodeEntity([whole, decimal, hex, name]: RegExpExecArray): string {
  if (name !== undefined) return NAMED[name] ?? whole
  const code = decimal !== undefined ? Number(decimal) : Number.parseInt(hex ?? '', 16)
  return code <= 0x10ffff ? String.fromCodePoint(code) : whole
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
  scanTokens(scan, xml, 0, { element: '' }, true)
}

/** What a scan of XML carries from one part of a document to the next: the element whose text follows. */
interface XmlState {
  element: string
}

/**
 * Scan the tokens of `xml`, written at `base` of the document, one after the other: text,
 * comments, CDATA sections, processing instructions, declarations and tags. Returns the offset
 * in `xml` before the first token that `xml` does not hold whole (the rest of the document
 * may continue it), or its length when `final`. Nothing is built per token but its text.
 */
function scanTokens(scan: Scan, xml: string, base: number, state: XmlState, final: boolean): number {
  const length = xml.length
  let i = 0
  while (i < length) {
    const lt = xml.indexOf('<', i)
    // A text run ends where a tag starts: one at the end of what is given may go on.
    if (lt === -1 && !final) return i
    const textEnd = lt === -1 ? length : lt
    if (textEnd > i) scanXmlText(scan, xml.slice(i, textEnd), base + i, false, state.element)
    if (lt === -1) break
    let close: number
    if (xml.startsWith('<!--', lt)) {
      close = closeOf(xml, '-->', lt + 4)
      if (close === -1 && !final) return lt
      i = close === -1 ? length : close
      scan.samples.push({ start: base + lt, end: base + i })
    } else if (xml.startsWith('<![CDATA[', lt)) {
      close = closeOf(xml, ']]>', lt + 9)
      if (close === -1 && !final) return lt
      scanXmlText(scan, xml.slice(lt + 9, close === -1 ? length : close - 3), base + lt + 9, true, state.element)
      i = close === -1 ? length : close
    } else if (xml.startsWith('<?', lt) || xml.startsWith('<!', lt)) {
      close = closeOf(xml, xml.charAt(lt + 1) === '?' ? '?>' : '>', lt + 2)
      if (close === -1 && !final) return lt
      i = close === -1 ? length : close
    } else {
      close = tagEnd(xml, lt + 1)
      if (close === -1 && !final) return lt
      i = close === -1 ? length : close
      const tag = xml.slice(lt, i)
      state.element = xml.charAt(lt + 1) === '/' ? '' : (TAG_NAME_RE.exec(tag)?.[1] ?? '').toLowerCase()
      if (mayHoldReference(tag)) scanTag(scan, tag, base + lt)
    }
  }
  return length
}

/** The offset after `delimiter`, searched from `from`, or -1. */
function closeOf(xml: string, delimiter: string, from: number): number {
  const at = xml.indexOf(delimiter, from)
  return at === -1 ? -1 : at + delimiter.length
}

/**
 * The XML scanner over a document given in chunks (see `createTokenStream`): segments hold
 * what `scanXml` finds in the whole document.
 */
export function createXmlStream(options: ScanOptions): TextStream {
  const state: XmlState = { element: '' }
  return createTokenStream(options, (scan, text, base, final) => scanTokens(scan, text, base, state, final))
}

function scanTag(scan: Scan, tag: string, start: number): void {
  // Outside attribute values (a broken tag): nothing signs it. Values come in text order:
  // the occurrences outside them are reported as they go (a `.some()` per occurrence over
  // every value was quadratic).
  const outside = reportOutside(scan, tag, start, 'in an XML tag')
  for (const match of attributesOf(tag)) {
    const raw = match[2] ?? match[3] ?? ''
    const quote = match[2] === undefined ? "'" : '"'
    const at = start + match.index + match[0].length - 1 - raw.length
    outside.cover(at - start, at - start + raw.length)
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
  outside.finish()
}

/**
 * The attributes of a tag, as `ATTRIBUTE_RE` used globally would find them, in linear time.
 * The global search tried every offset of a run of name characters, each attempt running to
 * the end of the run before failing: n² on a long run. A name is the whole run from where it
 * starts, and what follows the run is the same for every offset in it, so the attempt at the
 * run's first offset speaks for the whole run.
 */
function* attributesOf(tag: string): Generator<RegExpExecArray> {
  let i = 0
  while (i < tag.length) {
    if (!NAME_CHAR_RE.test(tag.charAt(i))) {
      i++
      continue
    }
    ATTRIBUTE_RE.lastIndex = i
    const match = ATTRIBUTE_RE.exec(tag)
    if (match) {
      i = ATTRIBUTE_RE.lastIndex
      yield match
      continue
    }
    while (i < tag.length && NAME_CHAR_RE.test(tag.charAt(i))) i++
  }
}

function scanXmlText(scan: Scan, raw: string, start: number, cdata: boolean, element: string): void {
  if (!mayHoldReference(raw)) return
  const value = cdata ? raw : decodeXml(raw)
  const destination = cdata ? ({ kind: 'raw' } as const) : ({ kind: 'xml-text' } as const)
  if (element === 'style') {
    const inner = innerScan(scan)
    scanCss(inner, value)
    embed(scan, inner.result, raw, value, start, destination)
    return
  }
  const trimmed = value.trim()
  if ((trimmed.startsWith('imageboss:') || isOtherUrl(trimmed)) && !value.includes('<')) {
    scanWhole(scan, raw, value, start, destination, 'in XML text')
    return
  }
  if (value.includes('<') && hasLeftover(value)) {
    // HTML carried in the text: signed as a fragment, then escaped back.
    scanEmbedded(scan, 'html', raw, value, start, destination)
    return
  }
  reportLeftovers(scan, raw, start, 'in XML text, inside a longer text')
}

/**
 * Whether a value is one URL of another scheme (`https:`, `data:`): what it holds is not a
 * reference, as in HTML and scripts. A signed URL can hold `imageboss:` in its path, where
 * the reference's path held it (`imageboss:/aimageboss:/b`): the check would report it.
 */
function isOtherUrl(trimmed: string): boolean {
  return OTHER_SCHEME_RE.test(trimmed.slice(0, 40)) && !/\s/.test(trimmed)
}

/** A value that is one whole reference (or URL of another scheme), surrounding whitespace aside; anything else is a problem. */
function scanWhole(scan: Scan, raw: string, value: string, start: number, destination: Parameters<typeof embed>[5], where: string): void {
  const trimmed = value.trim()
  if (isOtherUrl(trimmed)) return
  if (!trimmed.startsWith('imageboss:') || /\s/.test(trimmed)) {
    reportLeftovers(scan, raw, start, `${where}, inside a longer text`)
    return
  }
  const inner = innerScan(scan)
  // The leading whitespace's length, not `indexOf(trimmed)`: a search that may restart at
  // each offset of a long run of spaces.
  const from = value.length - value.trimStart().length
  signReference(inner, trimmed, from, from + trimmed.length, where, (url) => url)
  embed(scan, inner.result, raw, value, start, destination)
}

/** The offset after the `>` closing a tag, skipping quoted attribute values, or -1. */
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
  return -1
}
