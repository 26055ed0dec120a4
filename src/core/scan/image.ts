import { escapeAttribute } from '../escape.js'
import { addedAttributes } from '../image-element.js'
import type { ImageAttributes } from '../imageboss.js'
import { problemFromError } from '../problems.js'
import { report, type Scan } from './context.js'
import { valueRange, type HtmlTag, type HtmlText } from './html.js'

const LIST_RE = /[\s,]/

/**
 * An `<img src>` (or a `<picture>`'s `<source src|srcset>`) holding one reference: its URL,
 * and the responsive attributes inserted right after it, quoted as the author quoted `src`;
 * the author's own attributes are left as they are. A `<source>` whose reference asks for a
 * srcset gets it as its `srcset`. Returns the name of the attribute it took care of.
 */
export function scanImageElement(scan: Scan, html: HtmlText, element: HtmlTag, image: (reference: string) => ImageAttributes): string | undefined {
  const location = element.location
  const name = element.tagName === 'img' ? 'src' : element.attrs.some((a) => a.name === 'srcset') ? 'srcset' : 'src'
  const attribute = element.attrs.find((a) => a.name === name)
  const attributeLocation = location?.attrs?.[name]
  const reference = attribute?.value.trim()
  if (!attribute || !attributeLocation || !reference?.startsWith('imageboss:')) return undefined
  // A `srcset` of several candidates (or with a descriptor) is a list: the attribute table signs it.
  if (name === 'srcset' && LIST_RE.test(reference)) return undefined
  const range = valueRange(html, attributeLocation.startOffset + name.length, attributeLocation.endOffset)
  if (!range) return undefined

  let attributes: ImageAttributes
  try {
    attributes = image(reference)
  } catch (error) {
    const exact = html.slice(range.start, range.end) === attribute.value
    // The leading whitespace's length, not `indexOf(reference)`: no search over a long run of spaces.
    const start = range.start + (exact ? attribute.value.length - attribute.value.trimStart().length : 0)
    report(scan, problemFromError(error, start, exact ? start + reference.length : range.end, exact))
    const placeholder = scan.options.placeholder
    if (placeholder !== undefined)
      scan.result.edits.push({ start: range.start, end: range.end, text: escapeAttribute(placeholder, range.quote === "'" ? "'" : '"') })
    return name
  }

  // The largest paint of a page: its `<head>` preloads it, with the same candidates.
  if (element.tagName === 'img' && attributes.fetchpriority === 'high') scan.preloads?.push(attributes)
  const quote = range.quote === "'" ? "'" : '"'
  const has = (attributeName: string) => element.attrs.some((a) => a.name === attributeName)
  const added = addedAttributes(attributes, element.tagName === 'img' ? 'img' : 'source', has)
  const write = (list: typeof added) => list.map((a) => ` ${a.name}=${quote}${escapeAttribute(a.value, quote)}${quote}`).join('')
  scan.result.count++
  if (element.tagName === 'source' && name === 'src' && attributes.srcset !== undefined) {
    // The reference becomes the `<source>`'s srcset: the whole attribute is written anew.
    scan.result.edits.push({
      start: attributeLocation.startOffset,
      end: attributeLocation.endOffset,
      text: `srcset=${quote}${escapeAttribute(attributes.srcset, quote)}${quote}` + write(added.filter((a) => a.name !== 'srcset'))
    })
    return name
  }
  const value = element.tagName === 'source' && name === 'srcset' && attributes.srcset !== undefined ? attributes.srcset : attributes.src
  const text = escapeAttribute(value, quote)
  scan.result.edits.push({ start: range.start, end: range.end, text: range.quote === '' ? `"${text}"` : text })
  const inserted = added.filter((a) => !(element.tagName === 'source' && a.name === 'srcset'))
  if (inserted.length > 0) scan.result.edits.push({ start: attributeLocation.endOffset, end: attributeLocation.endOffset, text: write(inserted) })
  return name
}
