import { parse, parseFragment, type DefaultTreeAdapterTypes as P5 } from 'parse5'
import { CODE_ELEMENTS, urlAttributesOf } from './attributes.js'
import { escapeAttribute } from './escape.js'
import { addedAttributes, type ImageResolver } from './image-element.js'
import type { ImageAttributes } from './imageboss.js'
import { rewriteValue, toProblem, type Resolver, type RewriteResult } from './slots.js'

export interface RewriteHtmlOptions {
  /** Parse as a fragment (raw HTML from Markdown) rather than a document (default: `false`). */
  fragment?: boolean | undefined
  /**
   * Leave the attributes of components alone: tags written with a capital letter or a dot
   * (`<Image>`, `<ui.Avatar>`) in component templates (Astro, Vue, Svelte), whose props are
   * the component's to interpret. Their children are still visited (default: `false`).
   */
  skipComponents?: boolean | undefined
  /**
   * Resolve the reference of an `<img src>` (and of a `<source>` in a `<picture>`) to its
   * responsive attributes, written beside it; without it, `src` is only signed (optional).
   */
  image?: ImageResolver | undefined
}

const COMPONENT_NAME_RE = /^<[A-Z]|^<[\w-]+\./

/** Where an attribute's value sits in the source, and how it is quoted. */
interface ValueRange {
  start: number
  end: number
  quote: '"' | "'" | ''
}

/**
 * Rewrite references in HTML without re-serialising it: only the value ranges of
 * URL-bearing attributes (and of `<style>` text) change, so formatting survives byte for
 * byte. Values are entity-decoded before parsing the reference, and escaped on output.
 */
export function rewriteHtml(html: string, resolve: Resolver, options: RewriteHtmlOptions = {}): RewriteResult {
  const result: RewriteResult = { edits: [], problems: [], count: 0 }
  // `imageboss`, not `imageboss:`: the colon may be written as an entity (`&#58;`).
  if (!html.includes('imageboss')) return result
  const settings = { sourceCodeLocationInfo: true, scriptingEnabled: false }
  const root = options.fragment ? parseFragment(html, settings) : parse(html, settings)
  const stack: P5.ParentNode[] = [root]
  while (stack.length > 0) {
    const parent = stack.pop() as P5.ParentNode
    for (const node of parent.childNodes) {
      if (!('tagName' in node)) continue
      if (CODE_ELEMENTS.has(node.tagName)) continue
      const start = node.sourceCodeLocation?.startOffset
      const component = options.skipComponents && start !== undefined && COMPONENT_NAME_RE.test(html.slice(start, start + 64))
      if (!component) visitElement(html, node, parent, resolve, options.image, result)
      if (node.tagName === 'template') stack.push((node as P5.Template).content)
      else stack.push(node)
    }
  }
  return result
}

function visitElement(
  html: string,
  element: P5.Element,
  parent: P5.ParentNode,
  resolve: Resolver,
  image: ImageResolver | undefined,
  result: RewriteResult
): void {
  const location = element.sourceCodeLocation
  if (!location) return

  let handled: string | undefined
  if (image && (element.tagName === 'img' || (element.tagName === 'source' && 'tagName' in parent && parent.tagName === 'picture'))) {
    handled = rewriteImageElement(html, element, image, result)
  }

  if (element.tagName === 'style') {
    const text = element.childNodes[0]
    if (text && 'value' in text && text.sourceCodeLocation && text.value.includes('imageboss:')) {
      // `<style>` is raw text: no entities, so offsets map one to one.
      rewriteValue(text.value, 'css', resolve, text.sourceCodeLocation.startOffset, (url) => url, result)
    }
    return
  }

  if (element.attrs.length === 0) return
  for (const entry of urlAttributesOf(element.tagName)) {
    if (entry.attribute === handled) continue
    const attribute = element.attrs.find((a) => qualifiedName(a) === entry.attribute)
    if (!attribute || !attribute.value.includes('imageboss:')) continue
    if (entry.when && element.attrs.find((a) => a.name === entry.when?.attribute)?.value.toLowerCase() !== entry.when.value) continue
    const attributeLocation = location.attrs?.[entry.attribute]
    if (!attributeLocation) continue
    const range = valueRange(html, attributeLocation.startOffset + entry.attribute.length, attributeLocation.endOffset)
    if (!range) continue
    const raw = html.slice(range.start, range.end)
    if (raw === attribute.value && range.quote !== '') {
      // No entities: reference offsets are source offsets.
      const quote = range.quote
      rewriteValue(raw, entry.kind, resolve, range.start, (url) => escapeAttribute(url, quote), result)
    } else {
      // Entities (or no quotes): rewrite the decoded value, then write the whole value anew.
      const inner: RewriteResult = { edits: [], problems: [], count: 0 }
      rewriteValue(attribute.value, entry.kind, resolve, 0, (url) => url, inner)
      for (const problem of inner.problems) result.problems.push(toProblem(problem.error, range.start, range.end, false))
      if (inner.edits.length === 0) continue
      let value = ''
      let last = 0
      for (const edit of inner.edits) {
        value += attribute.value.slice(last, edit.start) + edit.text
        last = edit.end
      }
      value += attribute.value.slice(last)
      const quote = range.quote === "'" ? "'" : '"'
      const text = escapeAttribute(value, quote)
      result.edits.push({ start: range.start, end: range.end, text: range.quote === '' ? `"${text}"` : text })
      result.count += inner.count
    }
  }
}

/**
 * An `<img src>` (or a `<picture>`'s `<source src|srcset>`) holding one reference: its URL,
 * and the responsive attributes inserted right after it, the author's own left as they are.
 * A `<source>` whose reference asks for a srcset gets it as its `srcset`. Returns the name
 * of the attribute it took care of.
 */
function rewriteImageElement(html: string, element: P5.Element, image: ImageResolver, result: RewriteResult): string | undefined {
  const location = element.sourceCodeLocation
  const name = element.tagName === 'img' ? 'src' : element.attrs.some((a) => a.name === 'srcset') ? 'srcset' : 'src'
  const attribute = element.attrs.find((a) => a.name === name)
  const attributeLocation = location?.attrs?.[name]
  const reference = attribute?.value.trim()
  if (!attribute || !attributeLocation || !reference?.startsWith('imageboss:')) return undefined
  // A `srcset` of several candidates (or with a descriptor) is a list: the generic path signs it.
  if (name === 'srcset' && /[\s,]/.test(reference)) return undefined
  const range = valueRange(html, attributeLocation.startOffset + name.length, attributeLocation.endOffset)
  if (!range) return undefined

  let attributes: ImageAttributes
  try {
    attributes = image(reference)
  } catch (error) {
    const exact = html.slice(range.start, range.end) === attribute.value
    const start = range.start + (exact ? attribute.value.indexOf(reference) : 0)
    result.problems.push(toProblem(error, start, exact ? start + reference.length : range.end, exact))
    return name
  }

  const quote = range.quote === "'" ? "'" : '"'
  const has = (attributeName: string) => element.attrs.some((a) => a.name === attributeName)
  const added = addedAttributes(attributes, element.tagName === 'img' ? 'img' : 'source', has)
  if (element.tagName === 'source' && name === 'src' && attributes.srcset !== undefined) {
    // The reference becomes the `<source>`'s srcset: the whole attribute is written anew.
    const rest = added.filter((a) => a.name !== 'srcset')
    result.edits.push({
      start: attributeLocation.startOffset,
      end: attributeLocation.endOffset,
      text: `srcset=${quote}${escapeAttribute(attributes.srcset, quote)}${quote}` + rest.map((a) => ` ${a.name}="${escapeAttribute(a.value, '"')}"`).join('')
    })
    result.count++
    return name
  }
  const value = element.tagName === 'source' && name === 'srcset' && attributes.srcset !== undefined ? attributes.srcset : attributes.src
  const text = escapeAttribute(value, quote)
  result.edits.push({ start: range.start, end: range.end, text: range.quote === '' ? `"${text}"` : text })
  const inserted = added.filter((a) => !(element.tagName === 'source' && a.name === 'srcset'))
  if (inserted.length > 0) {
    result.edits.push({
      start: attributeLocation.endOffset,
      end: attributeLocation.endOffset,
      text: inserted.map((a) => ` ${a.name}="${escapeAttribute(a.value, '"')}"`).join('')
    })
  }
  result.count++
  return name
}

function qualifiedName(attribute: P5.Element['attrs'][number]): string {
  return attribute.prefix ? `${attribute.prefix}:${attribute.name}` : attribute.name
}

/** The value range of `name=value` between `from` (just after the name) and `end`. */
function valueRange(html: string, from: number, end: number): ValueRange | undefined {
  let i = from
  while (i < end && html.charAt(i) !== '=') i++
  if (i >= end) return undefined
  i++
  while (i < end && /\s/.test(html.charAt(i))) i++
  const quote = html.charAt(i)
  if (quote === '"' || quote === "'") return { start: i + 1, end: end - 1, quote }
  return { start: i, end, quote: '' }
}
