import type { Node, TemplateLiteral } from 'estree'
import { REASONS, type Problem } from '../problems.js'
import type { Edit } from '../edits.js'
import { embed, innerScan, report, type Scan } from './context.js'
import { scanString } from './embedded.js'
import { hasLeftover } from './leftovers.js'
import { scanCss } from './values.js'

type Located<T = Node> = T & { start: number; end: number }

/** Tags whose template is CSS: `css`…, styled-components' and Emotion's helpers. */
const CSS_TAGS: ReadonlySet<string> = new Set(['css', 'createGlobalStyle', 'keyframes', 'injectGlobal'])
/** What ends a reference in the text around an expression: the template's reference runs on to it otherwise. */
const SEPARATOR_RE = /[\s"'<>()`,;]/
/**
 * What stands for an expression (`${…}`), of its length: a letter, so that `<${tag}` stays a
 * tag, then characters no URL scheme holds, so that `${base}imageboss:/a.jpg` does not read
 * as a URL of another scheme.
 */
function filler(length: number): string {
  return 'x' + '_'.repeat(Math.max(0, length - 1))
}

/**
 * Whether a tag reads CSS: `css`, `keyframes`, `createGlobalStyle`, `injectGlobal` (also as
 * a member, `lit.css`), and anything made from `styled` (`styled.div`, `styled(Button)`,
 * `styled.div.attrs(…)`).
 */
export function isCssTag(tag: Node): boolean {
  if (tag.type === 'Identifier') return CSS_TAGS.has(tag.name)
  if (tag.type === 'MemberExpression' && !tag.computed && tag.property.type === 'Identifier' && CSS_TAGS.has(tag.property.name)) return true
  let node: Node = tag
  for (;;) {
    if (node.type === 'MemberExpression') node = node.object as Node
    else if (node.type === 'CallExpression') node = node.callee as Node
    else break
  }
  return node.type === 'Identifier' && node.name === 'styled'
}

/**
 * The text of a tagged template (Lit's html`…`, css`…`, `String.raw`, any tag), which its tag
 * reads as written: a reference standing as a whole value in it is signed in place, the
 * template's raw text edited and the URL escaped for it. A CSS tag's text is read as CSS
 * (`url()`, `image-set()`); any other as a string is (a whole reference, markup with its
 * attributes, CSS). Each `${…}` stands as a run of name characters: a reference that runs
 * into or out of one (`imageboss:/${name}.jpg`, `w=${w}`) is built at run time, a
 * `dynamic-reference`; whatever else holds a reference (text in markup, a bare word) is an
 * `unsupported-position`.
 */
export function scanTaggedTemplate(scan: Scan, code: string, node: Located<TemplateLiteral>, tag: Node): void {
  const rawStart = node.start + 1
  const text = code.slice(rawStart, node.end - 1)
  if (!hasLeftover(text)) return
  const spans = expressionSpans(code, node, rawStart)
  if (!spans) {
    // Quasis not where the parser says they are: nothing can be edited safely.
    report(scan, { ruleId: 'unsupported-position', reason: REASONS.unsupportedPosition('in a tagged template'), start: node.start, end: node.end })
    return
  }
  const filled = fill(text, spans)
  const inner = innerScan(scan)
  if (isCssTag(tag)) scanCss(inner, filled)
  else scanString(inner, filled, filled, 0, { kind: 'raw' }, 'in a tagged template')
  for (const sample of inner.samples) scan.samples.push({ start: rawStart + sample.start, end: rawStart + sample.end })

  const zones = dynamicZones(filled, spans)
  const hit = new Set<{ start: number; end: number }>()
  const touching = (range: { start: number; end: number }) => {
    const zone = zoneAt(zones, range.start)
    const overlaps = zone !== undefined && zone.start < Math.max(range.end, range.start + 1)
    if (overlaps) hit.add(zone)
    return overlaps
  }
  const problems: Problem[] = inner.result.problems.filter((problem) => !touching(problem))
  const edits: Edit[] = []
  let count = inner.result.count
  for (const edit of inner.result.edits) {
    if (touching(edit)) {
      count--
      continue
    }
    if (filled.slice(edit.start, edit.end).includes('\\')) {
      // The tag reads the raw text or the cooked one: an escape means two different values.
      problems.push({
        ruleId: 'unsupported-position',
        reason: REASONS.unsupportedPosition('in a tagged template, written with a `\\` escape (its tag may read the escape or the character)'),
        start: edit.start,
        end: edit.end
      })
      count--
      continue
    }
    edits.push(edit)
  }
  for (const zone of zones) {
    if (hit.has(zone)) problems.push({ ruleId: 'dynamic-reference', reason: REASONS.dynamicReference('a tagged template'), start: zone.start, end: zone.end })
  }
  // Edits of references that could not be signed (placeholders) count none.
  embed(scan, { edits, problems, count: Math.max(0, count) }, filled, filled, rawStart, { kind: 'js-string', quote: '`' })
}

/**
 * Where each `${…}` sits in the template's text (offsets from its first character), from the
 * parser's quasis, or `undefined` when they are not where expected.
 */
function expressionSpans(code: string, node: Located<TemplateLiteral>, rawStart: number): Array<{ start: number; end: number }> | undefined {
  const quasis = node.quasis as Array<Located<(typeof node.quasis)[number]>>
  const spans: Array<{ start: number; end: number }> = []
  for (let i = 0; i < quasis.length - 1; i++) {
    const before = quasis[i] as Located<(typeof quasis)[number]>
    const after = quasis[i + 1] as Located<(typeof quasis)[number]>
    if (!code.startsWith('${', before.end) || code.charAt(after.start - 1) !== '}') return undefined
    spans.push({ start: before.end - rawStart, end: after.start - rawStart })
  }
  const first = quasis[0]
  const last = quasis.at(-1)
  if (!first || !last || first.start !== rawStart || last.end !== node.end - 1) return undefined
  return spans
}

/** The text with each expression span written as filler of the same length: offsets hold. */
function fill(text: string, spans: ReadonlyArray<{ start: number; end: number }>): string {
  if (spans.length === 0) return text
  let out = ''
  let last = 0
  for (const span of spans) {
    out += text.slice(last, span.start) + filler(span.end - span.start)
    last = span.end
  }
  return out + text.slice(last)
}

/**
 * Each expression span with the text that runs into it and out of it without a separator
 * (`imageboss:/a.jpg?w=${w}` whole), neighbours that touch merged: a reference found there,
 * or one whose value takes in an expression, is built at run time, and no edit may overlap
 * one. Each side stops at the next span, so the text is read about once.
 */
function dynamicZones(filled: string, spans: ReadonlyArray<{ start: number; end: number }>): Array<{ start: number; end: number }> {
  const zones: Array<{ start: number; end: number }> = []
  for (const [i, span] of spans.entries()) {
    const floor = i === 0 ? 0 : (spans[i - 1] as { end: number }).end
    const ceiling = i === spans.length - 1 ? filled.length : (spans[i + 1] as { start: number }).start
    let start = span.start
    while (start > floor && !SEPARATOR_RE.test(filled.charAt(start - 1))) start--
    let end = span.end
    while (end < ceiling && !SEPARATOR_RE.test(filled.charAt(end))) end++
    const previous = zones.at(-1)
    if (previous && previous.end >= start) previous.end = end
    else zones.push({ start, end })
  }
  return zones
}

/** The first of the zones (in order, apart) that ends after `offset`: a binary search, as a text can hold a great many. */
function zoneAt(zones: ReadonlyArray<{ start: number; end: number }>, offset: number): { start: number; end: number } | undefined {
  let low = 0
  let high = zones.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if ((zones[middle] as { end: number }).end <= offset) low = middle + 1
    else high = middle
  }
  return zones[low]
}
