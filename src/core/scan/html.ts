import { Tokenizer, TokenizerMode, type Token } from 'parse5'
import { CODE_ELEMENTS, urlAttributesOf, type AttributeKind } from '../attributes.js'
import { applyEdits } from '../edits.js'
import { escapeAttribute } from '../escape.js'
import type { ImageAttributes } from '../imageboss.js'
import { mayHoldReference } from './leftovers.js'
import { embed, innerScan, reportLeftovers, type Scan } from './context.js'
import { scanImageElement } from './image.js'
import { scanEmbedded, scriptKindOf } from './embedded.js'
import { scanCss, scanValue } from './values.js'

export interface ScanHtmlOptions {
  /**
   * A fragment (raw HTML from Markdown, markup in a string) rather than a document. Kept for
   * callers that say so: the tokenizer reads both alike, so it changes nothing.
   */
  fragment?: boolean | undefined
  /**
   * The markup of a component file (Vue, Svelte, Astro) before its compiler: `<script>` and
   * `<style>` blocks, bindings and component props are left to the compiled code, which is
   * scanned in turn; only the attribute table is signed here (default: `false`).
   */
  component?: boolean | undefined
  /**
   * The markup starts inside a code element (a compiled template's string after its `<code>`):
   * its text before this offset is the sample's (default: none).
   */
  codeTextEnd?: number | undefined
  /**
   * The `priority` images of a streamed document, found by a first pass over it: their preload
   * links are written when its `</head>` is read (default: a whole document's are found as it
   * is read and written at its end; a stream's are only found, see `createHtmlStream`).
   */
  preloads?: readonly ImageAttributes[] | undefined
}

const COMPONENT_NAME_RE = /^<[A-Z]|^<[\w-]+\./
/**
 * Elements whose text is shown or edited as it is: never a reference. Only their text: the
 * elements and attributes inside them are loaded and followed as anywhere else
 * (`<kbd><img src="…"></kbd>`, `<code><a href="…">`).
 */
const TEXT_SAMPLES: ReadonlySet<string> = new Set([...CODE_ELEMENTS, 'textarea'])

/** Where an attribute's value sits in the source, and how it is quoted. */
export interface ValueRange {
  start: number
  end: number
  quote: '"' | "'" | ''
}

/** Elements that hold no content, never pushed on the stack of open elements. */
const VOID_ELEMENTS: ReadonlySet<string> = new Set([
  'area',
  'base',
  'basefont',
  'bgsound',
  'br',
  'col',
  'embed',
  'frame',
  'hr',
  'img',
  'image',
  'input',
  'keygen',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr'
])
/** Elements whose text the tokenizer reads raw, and the state it reads it in (in HTML content). */
const TEXT_STATES: ReadonlyMap<string, number> = new Map([
  ['script', TokenizerMode.SCRIPT_DATA],
  ['style', TokenizerMode.RAWTEXT],
  ['xmp', TokenizerMode.RAWTEXT],
  ['iframe', TokenizerMode.RAWTEXT],
  ['noembed', TokenizerMode.RAWTEXT],
  ['noframes', TokenizerMode.RAWTEXT],
  ['textarea', TokenizerMode.RCDATA],
  ['title', TokenizerMode.RCDATA],
  ['plaintext', TokenizerMode.PLAINTEXT]
])
/** HTML start tags that end SVG or MathML content (the HTML standard's "breakout" list). */
const BREAKOUT: ReadonlySet<string> = new Set(
  'b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head hr i img li listing menu meta nobr ol p pre ruby s small span strong strike sub sup table tt u ul var'.split(
    ' '
  )
)
/** SVG and MathML elements whose content is HTML again. */
const INTEGRATION_POINTS: ReadonlySet<string> = new Set(['foreignObject', 'foreignobject', 'desc', 'title', 'mi', 'mo', 'mn', 'ms', 'mtext', 'annotation-xml'])
/** Browsers nest elements this deep at most; deeper ones are read as children of the last. */
const MAX_DEPTH = 512

/** A start tag as the tokenizer gives it: what the image and attribute scanners read. */
export interface HtmlTag {
  tagName: string
  attrs: Token.Attribute[]
  location: Token.LocationWithAttributes
}

interface Open {
  name: string
  /** In SVG or MathML, not at an integration point: the tokenizer reads CDATA there. */
  foreign: boolean
}

/**
 * The text a scan reads, by offsets in the whole document: a string, or a window over the
 * part of a streamed document not yet settled (see `createHtmlStream`).
 */
export interface HtmlText {
  /** The offset after the last character read so far. */
  readonly length: number
  slice(start: number, end?: number): string
  charCodeAt(index: number): number
}

/**
 * Sign references in HTML without re-serialising it: only value ranges change, so formatting
 * survives byte for byte. One pass of parse5's tokenizer, no tree: every start tag is read
 * once, as a browser's tokenizer reads it (an `<img>` inside `<select><option>` too), with a
 * small stack of open elements for the context the scanner needs (`<picture>`, code samples,
 * SVG and MathML, raw text). Attributes of the table (`src`, `srcset`, `style`, …), `<img>`
 * responsive attributes, `srcdoc`, `<style>` text, and inline scripts (classic and module
 * JavaScript, JSON-LD and other JSON, HTML templates) through their own scanners. The text of
 * code samples and comments is left alone (the elements and attributes inside a code sample
 * are signed); any other occurrence is a problem.
 */
export function scanHtml(scan: Scan, html: string, options: ScanHtmlOptions = {}): void {
  if (!mayHoldReference(html) && !scan.options.samples) return
  // A whole document: what its `priority` images need is written into its `<head>` once it is read.
  scan.preloads = []
  createTokenScan(scan, html, options, true).tokenizer.write(html, true)
}

/**
 * The tokenizer of one document, its handlers scanning into `scan`, reading `html` by offsets
 * in the document; `settled()` is the offset before which every token has been read and
 * scanned (the text after it may still be part of a token, a text run or a raw-text element).
 */
export function createTokenScan(
  scan: Scan,
  html: HtmlText,
  options: ScanHtmlOptions = {},
  whole = false
): { tokenizer: Tokenizer; settled: () => number; hasHead: () => boolean } {
  const codeTextEnd = options.codeTextEnd ?? 0
  const open: Open[] = []
  // Open code samples, and elements pushed past the depth limit (their end tags close nothing).
  let code = 0
  // Where the text since the last token starts; a raw-text element's content, until its end tag.
  let textStart = 0
  let raw: { name: string; start: number; type: string } | undefined
  // Where the last character the tokenizer read as text ends: a tag left open at the end of the file is no text.
  let textEnd = 0
  // Where the document's explicit `</head>` starts, and its preload links already written there.
  let headEnd: number | undefined
  const preloaded = new Set<string>()
  const character = (token: Token.CharacterToken) => {
    if (token.location) textEnd = token.location.endOffset
  }
  const top = () => open.at(-1)
  const pop = (to: number) => {
    while (open.length > to) if (TEXT_SAMPLES.has((open.pop() as Open).name)) code--
  }
  const text = (end: number) => {
    if (end > textStart) scanText(scan, html, textStart, end, code > 0, codeTextEnd, options.component === true)
  }
  const tokenizer: Tokenizer = new Tokenizer(
    { sourceCodeLocationInfo: true },
    {
      onStartTag(token) {
        // Markup inside an SVG `<style>` or `<script>` is its text.
        if (raw) return
        const location = token.location as Token.LocationWithAttributes
        text(location.startOffset)
        textStart = location.endOffset
        let parent = top()
        // HTML reads `<image>` as `<img>`.
        const name = token.tagName === 'image' && !parent?.foreign ? 'img' : token.tagName
        if (parent?.foreign && (BREAKOUT.has(name) || (name === 'font' && token.attrs.some((a) => /^(?:color|face|size)$/.test(a.name))))) {
          // HTML again: the SVG or MathML elements end here.
          let keep = open.length
          while (keep > 0 && open[keep - 1]?.foreign) keep--
          pop(keep)
          parent = top()
        }
        const foreign = name === 'svg' || name === 'math' || (parent?.foreign === true && !INTEGRATION_POINTS.has(name))
        const component = options.component && COMPONENT_NAME_RE.test(html.slice(location.startOffset, location.startOffset + 64))
        const state = foreign ? undefined : TEXT_STATES.get(name)
        if ((name === 'script' || name === 'style') && !token.selfClosing) {
          // In HTML, read raw by the tokenizer; in SVG, as markup: its source text either way.
          raw = { name, start: location.endOffset, type: (token.attrs.find((a) => a.name === 'type')?.value ?? '').trim().toLowerCase() }
          if (state !== undefined) tokenizer.state = state
          tokenizer.inForeignNode = foreign
          return
        }
        if (name === 'link' && headEnd === undefined) notePreload(token.attrs, preloaded)
        if (!component && token.attrs.length > 0) scanTag(scan, html, { tagName: name, attrs: token.attrs, location }, parent?.name, options)
        if (state !== undefined) tokenizer.state = state
        if (VOID_ELEMENTS.has(name) && !foreign) return
        if (foreign && token.selfClosing) return
        if (open.length < MAX_DEPTH) {
          open.push({ name, foreign: foreign && !INTEGRATION_POINTS.has(name) })
          if (TEXT_SAMPLES.has(name)) code++
        }
        tokenizer.inForeignNode = top()?.foreign === true
      },
      onEndTag(token) {
        const location = token.location as Token.Location
        const name = token.tagName
        if (raw) {
          // Inside a raw-text element, only its own end tag ends it.
          if (name !== raw.name) return
          if (!options.component) scanRawText(scan, html, raw.name, raw.start, location.startOffset, raw.type)
          raw = undefined
          textStart = location.endOffset
          tokenizer.inForeignNode = top()?.foreign === true
          return
        }
        text(location.startOffset)
        textStart = location.endOffset
        if (name === 'head' && headEnd === undefined && !open.some((element) => element.foreign)) {
          headEnd = location.startOffset
          if (options.preloads) writePreloads(scan, headEnd, options.preloads, preloaded)
        }
        for (let i = open.length - 1; i >= 0; i--) {
          if (open[i]?.name === name) {
            pop(i)
            break
          }
        }
        tokenizer.inForeignNode = top()?.foreign === true
      },
      onComment(token) {
        const location = token.location as Token.Location
        if (raw) return
        text(location.startOffset)
        textStart = location.endOffset
        scan.samples.push({ start: location.startOffset, end: location.endOffset })
      },
      onDoctype(token) {
        const location = token.location as Token.Location
        text(location.startOffset)
        textStart = location.endOffset
      },
      onEof() {
        if (whole && headEnd !== undefined && scan.preloads && scan.preloads.length > 0) writePreloads(scan, headEnd, scan.preloads, preloaded)
        if (raw) {
          if (!options.component) scanRawText(scan, html, raw.name, raw.start, html.length, raw.type)
          textStart = html.length
          return
        }
        text(Math.max(textStart, textEnd))
        textStart = html.length
      },
      onCharacter: character,
      onNullCharacter: character,
      onWhitespaceCharacter: character
    }
  )
  return { tokenizer, settled: () => (raw ? raw.start : textStart), hasHead: () => headEnd !== undefined }
}

/** A text between tokens: a code sample's, or one whose references are problems. */
function scanText(scan: Scan, html: HtmlText, start: number, end: number, code: boolean, codeTextEnd: number, component: boolean): void {
  if (code) {
    scan.samples.push({ start, end })
    return
  }
  // Markup that starts inside a code element: its text up to where it leaves it is the sample's.
  const from = Math.min(Math.max(start, codeTextEnd), end)
  if (from > start) scan.samples.push({ start, end: from })
  if (!component && end > from) reportText(scan, html, from, end, 'in text')
}

/** Occurrences in text (decoded or not, the leftover finder knows entities): problems. */
function reportText(scan: Scan, html: HtmlText, start: number, end: number, where: string): void {
  reportLeftovers(scan, html.slice(start, end), start, where)
}

/** `<style>` as CSS; `<script>` by its type. Their text is raw: offsets map one to one. */
function scanRawText(scan: Scan, html: HtmlText, name: string, start: number, end: number, type: string): void {
  if (end <= start) return
  // The source text: parse5 would turn CRLF into LF.
  const raw = html.slice(start, end)
  if (!mayHoldReference(raw)) return
  if (name === 'style') {
    const inner = innerScan(scan)
    scanCss(inner, raw)
    embed(scan, inner.result, raw, raw, start, { kind: 'raw' })
    return
  }
  const kind = scriptKindOf(type)
  if (kind === 'sample') {
    scan.samples.push({ start, end })
    return
  }
  if (kind === undefined) {
    reportText(scan, html, start, end, `in a \`<script type="${type}">\`, which is neither JavaScript, JSON nor HTML`)
    return
  }
  scanEmbedded(scan, kind, raw, raw, start, { kind: 'raw' })
}

function scanTag(scan: Scan, html: HtmlText, tag: HtmlTag, parent: string | undefined, options: ScanHtmlOptions): void {
  const { location } = tag
  const signer = scan.options.signer
  let handled: string | undefined
  if (!scan.check && signer?.image && (tag.tagName === 'img' || (tag.tagName === 'source' && parent === 'picture'))) {
    handled = scanImageElement(scan, html, tag, signer.image)
  }
  const table = urlAttributesOf(tag.tagName)
  for (const attribute of tag.attrs) {
    if (!mayHoldReference(attribute.value)) continue
    const name = attribute.prefix ? `${attribute.prefix}:${attribute.name}` : attribute.name
    if (name === handled) continue
    const attributeLocation = location.attrs?.[name]
    if (!attributeLocation) continue
    const range = valueRange(html, attributeLocation.startOffset + name.length, attributeLocation.endOffset)
    if (!range) continue
    const entry = table.find(
      (e) => e.attribute === name && (!e.when || tag.attrs.find((a) => a.name === e.when?.attribute)?.value.toLowerCase() === e.when.value)
    )
    const kind = entry?.kind
    if (kind === undefined) {
      // Bindings and props of component templates are compiled to code, scanned then.
      if (!options.component) reportText(scan, html, range.start, range.end, `in the attribute \`${name}\`, which is not a URL attribute`)
      continue
    }
    scanAttributeValue(scan, html, attribute.value, range, kind, name)
  }
}

/** One attribute value: scanned decoded, written back escaped for its quotes. */
function scanAttributeValue(scan: Scan, html: HtmlText, value: string, range: ValueRange, kind: AttributeKind, name: string): void {
  const inner = innerScan(scan)
  scanValue(inner, value, kind, name)
  const raw = html.slice(range.start, range.end)
  if (range.quote !== '') {
    embed(scan, inner.result, raw, value, range.start, { kind: 'html-attribute', quote: range.quote })
    return
  }
  // Unquoted: the value is written anew, quoted.
  embed(scan, { ...inner.result, edits: [] }, raw, value, range.start, { kind: 'raw' })
  if (inner.result.edits.length > 0) {
    scan.result.edits.push({ start: range.start, end: range.end, text: `"${escapeAttribute(applyEdits(value, inner.result.edits), '"')}"` })
    scan.result.count += inner.result.count
  }
}

/** The value range of `name=value` between `from` (just after the name) and `end`. */
export function valueRange(html: HtmlText, from: number, end: number): ValueRange | undefined {
  let i = from
  while (i < end && html.charCodeAt(i) !== 61 /* = */) i++
  if (i >= end) return undefined
  i++
  while (i < end && /\s/.test(String.fromCharCode(html.charCodeAt(i)))) i++
  const quote = String.fromCharCode(html.charCodeAt(i))
  if (quote === '"' || quote === "'") return { start: i + 1, end: end - 1, quote }
  return { start: i, end, quote: '' }
}

/** A `<link rel="preload" as="image">` the author wrote: the image it names (`imagesrcset`, else `href`) needs no other. */
function notePreload(attrs: readonly Token.Attribute[], preloaded: Set<string>): void {
  const value = (name: string) => attrs.find((a) => a.name === name)?.value
  if (value('rel')?.toLowerCase().split(/\s+/).includes('preload') !== true || value('as')?.toLowerCase() !== 'image') return
  const named = value('imagesrcset') ?? value('href')
  if (named !== undefined) preloaded.add(named.trim())
}

/**
 * Before the document's `</head>`: a `<link rel="preload" as="image" fetchpriority="high">` for
 * each `priority` image, with the element's candidates (`imagesrcset` and `imagesizes`, no
 * `href`, so that a browser that does not read them loads nothing twice; `href` for an image
 * without a srcset). An image the author preloads already, with the same URLs, gets no second one.
 */
function writePreloads(scan: Scan, at: number, images: readonly ImageAttributes[], preloaded: ReadonlySet<string>): void {
  let links = ''
  const written = new Set(preloaded)
  for (const image of images) {
    const key = image.srcset ?? image.src
    if (written.has(key)) continue
    written.add(key)
    const attribute = (name: string, value: string | undefined) => (value === undefined ? '' : ` ${name}="${escapeAttribute(value, '"')}"`)
    links +=
      '<link rel="preload" as="image"' +
      (image.srcset === undefined ? attribute('href', image.src) : attribute('imagesrcset', image.srcset) + attribute('imagesizes', image.sizes)) +
      ' fetchpriority="high">'
  }
  if (links) scan.result.edits.push({ start: at, end: at, text: links })
}
