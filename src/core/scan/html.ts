import { parse, parseFragment, type DefaultTreeAdapterTypes as P5 } from 'parse5'
import { CODE_ELEMENTS, urlAttributesOf, type AttributeKind } from '../attributes.js'
import { applyEdits } from '../edits.js'
import { escapeAttribute } from '../escape.js'
import { mayHoldReference } from './leftovers.js'
import { embed, innerScan, reportLeftovers, type Scan } from './context.js'
import { scanImageElement } from './image.js'
import { scanEmbedded, scriptKindOf } from './embedded.js'
import { scanCss, scanValue } from './values.js'

export interface ScanHtmlOptions {
  /** Parse as a fragment (raw HTML from Markdown, markup in a string) rather than a document (default: `false`). */
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

/**
 * Sign references in HTML without re-serialising it: only value ranges change, so formatting
 * survives byte for byte. One parse: attributes of the table (`src`, `srcset`, `style`, …),
 * `<img>` responsive attributes, `srcdoc`, `<style>` text, and inline scripts (classic and
 * module JavaScript, JSON-LD and other JSON, HTML templates) through their own scanners.
 * The text of code samples and comments is left alone (the elements and attributes inside a
 * code sample are signed); any other occurrence is a problem.
 */
export function scanHtml(scan: Scan, html: string, options: ScanHtmlOptions = {}): void {
  if (!mayHoldReference(html) && !scan.options.samples) return
  const settings = { sourceCodeLocationInfo: true, scriptingEnabled: false }
  const root = options.fragment || options.component ? parseFragment(html, settings) : parse(html, settings)
  const codeTextEnd = options.codeTextEnd ?? 0
  // Each parent with whether it sits in a code sample, whose text is then the sample's.
  const stack: Array<{ parent: P5.ParentNode; code: boolean }> = [{ parent: root, code: false }]
  // Where elements start: the parser reopens formatting elements left open (`<p><a …>x<p>y`)
  // as copies with the original's location, which must be read once.
  const seen = new Set<number>()
  while (stack.length > 0) {
    const { parent, code } = stack.pop() as (typeof stack)[number]
    for (const node of parent.childNodes) {
      const location = node.sourceCodeLocation
      if (node.nodeName === '#comment') {
        if (location) scan.samples.push({ start: location.startOffset, end: location.endOffset })
        continue
      }
      if (node.nodeName === '#text') {
        if (!location) continue
        const { startOffset: start, endOffset: end } = location
        if (code) {
          scan.samples.push({ start, end })
          continue
        }
        // Markup that starts inside a code element: its text up to where it leaves it is the sample's.
        const from = Math.min(Math.max(start, codeTextEnd), end)
        if (from > start) scan.samples.push({ start, end: from })
        if (!options.component && end > from) reportText(scan, html, from, end, 'in text')
        continue
      }
      if (!('tagName' in node)) continue
      const inCode = code || TEXT_SAMPLES.has(node.tagName)
      if (!location) {
        // Implied `<html>`, `<head>` and `<body>`: only their children are in the source.
        stack.push({ parent: node, code: inCode })
        continue
      }
      if (seen.has(location.startOffset)) {
        // A copy: its attributes were read with the original; its children are its own.
        stack.push({ parent: node, code: inCode })
        continue
      }
      seen.add(location.startOffset)
      if (node.tagName === 'script' || node.tagName === 'style') {
        if (!options.component) scanRawText(scan, html, node)
        continue
      }
      const component = options.component && COMPONENT_NAME_RE.test(html.slice(location.startOffset, location.startOffset + 64))
      if (!component) scanElement(scan, html, node, parent, options)
      // An HTML `<template>` keeps its children in `content`; one in SVG or MathML is an element like any other.
      stack.push({ parent: (node as Partial<P5.Template>).content ?? node, code: inCode })
    }
  }
}

/** Occurrences in text (decoded or not, the leftover finder knows entities): problems. */
function reportText(scan: Scan, html: string, start: number, end: number, where: string): void {
  reportLeftovers(scan, html.slice(start, end), start, where)
}

/** `<style>` as CSS; `<script>` by its type. Their text is raw: offsets map one to one. */
function scanRawText(scan: Scan, html: string, element: P5.Element): void {
  const text = element.childNodes[0]
  const location = text?.sourceCodeLocation
  if (!text || !location) return
  // The source text, not the parsed value: parse5 turns CRLF into LF.
  const raw = html.slice(location.startOffset, location.endOffset)
  if (!mayHoldReference(raw)) return
  if (element.tagName === 'style') {
    const inner = innerScan(scan)
    scanCss(inner, raw)
    embed(scan, inner.result, raw, raw, location.startOffset, { kind: 'raw' })
    return
  }
  const type = (element.attrs.find((a) => a.name === 'type')?.value ?? '').trim().toLowerCase()
  const kind = scriptKindOf(type)
  if (kind === 'sample') {
    scan.samples.push({ start: location.startOffset, end: location.endOffset })
    return
  }
  if (kind === undefined) {
    reportText(scan, html, location.startOffset, location.endOffset, `in a \`<script type="${type}">\`, which is neither JavaScript, JSON nor HTML`)
    return
  }
  scanEmbedded(scan, kind, raw, raw, location.startOffset, { kind: 'raw' })
}

function scanElement(scan: Scan, html: string, element: P5.Element, parent: P5.ParentNode, options: ScanHtmlOptions): void {
  const location = element.sourceCodeLocation
  if (!location || element.attrs.length === 0) return
  const signer = scan.options.signer
  let handled: string | undefined
  if (!scan.check && signer?.image && (element.tagName === 'img' || (element.tagName === 'source' && 'tagName' in parent && parent.tagName === 'picture'))) {
    handled = scanImageElement(scan, html, element, signer.image)
  }
  const table = urlAttributesOf(element.tagName)
  for (const attribute of element.attrs) {
    if (!mayHoldReference(attribute.value)) continue
    const name = attribute.prefix ? `${attribute.prefix}:${attribute.name}` : attribute.name
    if (name === handled) continue
    const attributeLocation = location.attrs?.[name]
    if (!attributeLocation) continue
    const range = valueRange(html, attributeLocation.startOffset + name.length, attributeLocation.endOffset)
    if (!range) continue
    const entry = table.find((e) => e.attribute === name && (!e.when || element.attrs.find((a) => a.name === e.when?.attribute)?.value.toLowerCase() === e.when.value))
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
function scanAttributeValue(scan: Scan, html: string, value: string, range: ValueRange, kind: AttributeKind, name: string): void {
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
export function valueRange(html: string, from: number, end: number): ValueRange | undefined {
  let i = from
  while (i < end && html.charCodeAt(i) !== 61 /* = */) i++
  if (i >= end) return undefined
  i++
  while (i < end && /\s/.test(html.charAt(i))) i++
  const quote = html.charAt(i)
  if (quote === '"' || quote === "'") return { start: i + 1, end: end - 1, quote }
  return { start: i, end, quote: '' }
}
