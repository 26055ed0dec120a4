import type { Element } from 'hast'
import { urlAttributesOf, type AttributeKind } from '../core/attributes.js'
import { applyEdits, rewriteValue, type Problem, type Resolver, type RewriteResult } from '../core/slots.js'

/** A rewritten value, or the problems that keep it from being rewritten. */
export interface ValueRewrite {
  value: string
  count: number
  problems: Problem[]
}

/**
 * Rewrite the references in one decoded value (hast and JSX values are already decoded,
 * and their serialisers escape them, so URLs are written as they are).
 */
export function rewriteDecoded(value: string, kind: AttributeKind, resolve: Resolver): ValueRewrite {
  const result: RewriteResult = { edits: [], problems: [], count: 0 }
  rewriteValue(value, kind, resolve, 0, (url) => url, result)
  return { value: applyEdits(value, result.edits), count: result.count, problems: result.problems }
}

/** A problem in a hast element, with the property it was found in. */
export interface ElementProblem {
  property: string
  problem: Problem
}

/**
 * Rewrite the URL-bearing properties of a hast element (the core attribute table).
 * When any reference in the element is invalid, the element is left unchanged.
 */
export function rewriteElement(node: Element, resolve: Resolver): { count: number; problems: ElementProblem[] } {
  const properties = node.properties
  const changes: Array<[string, string | Array<string | number>]> = []
  const problems: ElementProblem[] = []
  let count = 0

  for (const entry of urlAttributesOf(node.tagName)) {
    const value = properties[entry.property]
    if (value === undefined || value === null) continue
    if (entry.when) {
      const condition = properties[entry.when.property]
      if (typeof condition !== 'string' || condition.toLowerCase() !== entry.when.value) continue
    }
    if (typeof value === 'string') {
      if (!value.includes('imageboss:')) continue
      const result = rewriteDecoded(value, entry.kind, resolve)
      count += result.count
      for (const problem of result.problems) problems.push({ property: entry.property, problem })
      if (result.count > 0) changes.push([entry.property, result.value])
    } else if (Array.isArray(value)) {
      // Comma- or space-separated lists from older `property-information` (or hand-made trees).
      let changed = false
      const items = value.map((item) => {
        if (typeof item !== 'string' || !item.includes('imageboss:')) return item
        const result = rewriteDecoded(item, entry.kind, resolve)
        count += result.count
        for (const problem of result.problems) problems.push({ property: entry.property, problem })
        if (result.count > 0) changed = true
        return result.value
      })
      if (changed) changes.push([entry.property, items])
    }
  }

  if (problems.length === 0) {
    for (const [property, value] of changes) properties[property] = value
  }
  return { count: problems.length === 0 ? count : 0, problems }
}
