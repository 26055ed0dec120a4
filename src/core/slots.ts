import type { AttributeKind } from './attributes.js'
import { findCssReferences } from './css.js'
import { ImageBossError } from './errors.js'
import { parseSrcset } from './srcset.js'

/** A reference found in a value, with its range in that value. */
export interface Found {
  reference: string
  start: number
  end: number
}

const ASCII_WHITESPACE_RE = /^[\t\n\f\r ]+|[\t\n\f\r ]+$/g

/** References in a value of the given kind (offsets into `value`). */
export function findReferences(value: string, kind: AttributeKind): Found[] {
  if (!value.includes('imageboss:')) return []
  if (kind === 'css') return findCssReferences(value)
  if (kind === 'srcset') {
    return parseSrcset(value)
      .filter((candidate) => candidate.url.startsWith('imageboss:'))
      .map((candidate) => ({ reference: candidate.url, start: candidate.start, end: candidate.end }))
  }
  // A URL attribute: the whole value, less the whitespace browsers strip.
  const trimmed = value.replace(ASCII_WHITESPACE_RE, '')
  if (!trimmed.startsWith('imageboss:')) return []
  const start = value.indexOf(trimmed)
  return [{ reference: trimmed, start, end: start + trimmed.length }]
}

/** A problem with a range in the text that was scanned. */
export interface Problem {
  ruleId: ImageBossError['ruleId']
  reason: string
  start: number
  end: number
  /** The error behind it. */
  error: ImageBossError
}

/** Replace `[start, end)` of a text by `text`. */
export interface Edit {
  start: number
  end: number
  text: string
}

export interface RewriteResult {
  edits: Edit[]
  problems: Problem[]
  /** How many references were rewritten. */
  count: number
}

/** Turns a reference into its URL; throws `ImageBossError` for an invalid one. */
export type Resolver = (reference: string) => string

/** Apply edits (sorted, not overlapping) to a string. */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  if (edits.length === 0) return text
  let out = ''
  let last = 0
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    out += text.slice(last, edit.start) + edit.text
    last = edit.end
  }
  return out + text.slice(last)
}

/**
 * Rewrite every reference in `value` (a value of `kind`), recording edits at `base + offset`
 * and problems located at the reference (or at its position inside it where known).
 */
export function rewriteValue(
  value: string,
  kind: AttributeKind,
  resolve: Resolver,
  base: number,
  escape: (url: string) => string,
  result: RewriteResult
): void {
  for (const found of findReferences(value, kind)) {
    try {
      result.edits.push({ start: base + found.start, end: base + found.end, text: escape(resolve(found.reference)) })
      result.count++
    } catch (error) {
      result.problems.push(toProblem(error, base + found.start, base + found.end))
    }
  }
}

/** A problem from an error thrown while resolving a reference at `[start, end)`. */
export function toProblem(error: unknown, start: number, end: number, exact = true): Problem {
  if (!(error instanceof ImageBossError)) throw error
  const at = exact && error.offset !== undefined ? Math.min(start + error.offset, end) : start
  return { ruleId: error.ruleId, reason: error.reason, start: at, end, error }
}
