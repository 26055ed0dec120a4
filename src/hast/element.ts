import type { Element } from 'hast'
import { urlAttributesOf } from '../core/attributes.js'
import { addedAttributes, type ImageResolver } from '../core/image-element.js'
import type { ImageAttributes } from '../core/imageboss.js'
import { problemFromError, REASONS, type Problem } from '../core/problems.js'
import { hasLeftover, signDecodedValue, type Signer } from '../core/scan/index.js'

/** A problem in a hast element, with the property it was found in. */
export interface ElementProblem {
  property: string
  problem: Problem
}

/**
 * Rewrite the URL-bearing properties of a hast element (the core attribute table).
 * When any reference in the element is invalid, the element is left unchanged.
 */
export function rewriteElement(node: Element, signer: Signer, parent?: string): { count: number; problems: ElementProblem[] } {
  const properties = node.properties
  const changes: Array<[string, string | Array<string | number>]> = []
  const problems: ElementProblem[] = []
  let count = 0

  const image = signer.image
  const handled =
    image && (node.tagName === 'img' || (node.tagName === 'source' && parent === 'picture')) ? imageChanges(node, image, changes, problems) : undefined
  if (handled !== undefined) count++

  for (const entry of urlAttributesOf(node.tagName)) {
    if (entry.property === handled) continue
    const value = properties[entry.property]
    if (value === undefined || value === null) continue
    if (entry.when) {
      const condition = properties[entry.when.property]
      if (typeof condition !== 'string' || condition.toLowerCase() !== entry.when.value) continue
    }
    if (typeof value === 'string') {
      if (!value.includes('imageboss:')) continue
      const result = signDecodedValue(value, entry.kind, entry.attribute, { signer })
      count += result.count
      for (const problem of result.problems) problems.push({ property: entry.property, problem })
      if (result.count > 0) changes.push([entry.property, result.value])
    } else if (Array.isArray(value)) {
      // Comma- or space-separated lists from older `property-information` (or hand-made trees).
      let changed = false
      const items = value.map((item) => {
        if (typeof item !== 'string' || !item.includes('imageboss:')) return item
        const result = signDecodedValue(item, entry.kind, entry.attribute, { signer })
        count += result.count
        for (const problem of result.problems) problems.push({ property: entry.property, problem })
        if (result.count > 0) changed = true
        return result.value
      })
      if (changed) changes.push([entry.property, items])
    }
  }

  // Any other property is not a URL: nothing signs it.
  const table = new Set(urlAttributesOf(node.tagName).map((entry) => entry.property))
  for (const [property, value] of Object.entries(properties)) {
    if (table.has(property) || property === handled) continue
    const text = typeof value === 'string' ? value : Array.isArray(value) ? value.join(' ') : ''
    if (!hasLeftover(text)) continue
    problems.push({
      property,
      problem: {
        ruleId: 'unsupported-position',
        reason: REASONS.unsupportedPosition(`in the attribute \`${property}\`, which is not a URL attribute`),
        start: 0,
        end: 0
      }
    })
  }

  if (problems.length === 0) {
    for (const [property, value] of changes) {
      if (value === REMOVE) delete properties[property]
      else properties[property] = value
    }
  }
  return { count: problems.length === 0 ? count : 0, problems }
}

/**
 * An `<img src>` (or a `<picture>`'s `<source src|srcSet>`) holding one reference: its URL
 * and the responsive properties it asks for, those the author set left alone. Returns the
 * property it took care of, or `undefined` when the element holds no such reference.
 */
function imageChanges(
  node: Element,
  image: ImageResolver,
  changes: Array<[string, string | Array<string | number>]>,
  problems: ElementProblem[]
): string | undefined {
  const properties = node.properties
  const property = node.tagName === 'img' ? 'src' : properties.srcSet !== undefined ? 'srcSet' : 'src'
  const value = properties[property]
  const reference = typeof value === 'string' ? value.trim() : undefined
  if (!reference?.startsWith('imageboss:') || (property === 'srcSet' && /[\s,]/.test(reference))) return undefined
  let attributes: ImageAttributes
  try {
    attributes = image(reference)
  } catch (error) {
    problems.push({ property, problem: problemFromError(error, 0, reference.length) })
    return property
  }
  const has = (name: string) => properties[propertyOf(name)] !== undefined && properties[propertyOf(name)] !== null
  const added = addedAttributes(attributes, node.tagName === 'img' ? 'img' : 'source', has)
  if (node.tagName === 'source' && attributes.srcset !== undefined) {
    // The reference becomes the `<source>`'s srcset.
    if (property === 'src') changes.push(['src', REMOVE])
    changes.push(['srcSet', attributes.srcset])
  } else {
    changes.push([property, attributes.src])
  }
  for (const attribute of added) if (attribute.name !== 'srcset' || node.tagName === 'img') changes.push([attribute.property, attribute.value])
  return property
}

/** Marks a property to delete. */
const REMOVE: string[] = []

function propertyOf(name: string): string {
  return name === 'srcset' ? 'srcSet' : name === 'fetchpriority' ? 'fetchPriority' : name
}
