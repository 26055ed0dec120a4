import type { Point as UnistPoint, Position } from 'unist'
import { applyEdits } from '../core/edits.js'
import { createLocator } from '../core/location.js'
import type { Problem } from '../core/problems.js'
import { scanText, type Signer } from '../core/scan/index.js'

/** A `raw` node: HTML kept as a string by `remark-rehype` with `allowDangerousHtml`. */
export interface Raw {
  type: 'raw'
  value: string
  position?: Position | undefined
}

/**
 * Sign the references in a raw node's HTML with the core HTML scanner: only value ranges
 * change. When any reference is invalid, the node is left unchanged. Problems come back with
 * their place in the file.
 */
export function rewriteRaw(
  node: Raw,
  signer: Signer,
  source: string | undefined
): { count: number; problems: Array<{ problem: Problem; place: Position | undefined }> } {
  const result = scanText('html', node.value, { signer, fragment: true })
  if (result.problems.length > 0) {
    const toPlace = placer(node, source)
    return { count: 0, problems: result.problems.map((problem) => ({ problem, place: toPlace(problem.start, problem.end) })) }
  }
  if (result.edits.length > 0) node.value = applyEdits(node.value, result.edits)
  return { count: result.count, problems: [] }
}

/** Turns offsets in a raw node's value into a place in the file. */
function placer(node: Raw, source: string | undefined): (start: number, end: number) => Position | undefined {
  const position = node.position
  if (!position) return () => undefined
  const base = position.start
  const locate = createLocator(node.value)
  // The value equals the source text unless the HTML sat in a container (`> `, list
  // indent), whose prefixes are stripped: then only the first line maps exactly.
  const exact =
    source !== undefined && base.offset !== undefined && position.end.offset !== undefined && source.slice(base.offset, position.end.offset) === node.value
  const toPoint = (offset: number): UnistPoint | undefined => {
    const point = locate(offset)
    if (point.line > 1 && !exact) return undefined
    return {
      line: base.line + point.line - 1,
      column: point.line === 1 ? base.column + point.column - 1 : point.column,
      ...(base.offset === undefined ? {} : { offset: base.offset + offset })
    }
  }
  return (start, end) => {
    const from = toPoint(start)
    const to = toPoint(end)
    return from && to ? { start: from, end: to } : position
  }
}
