import type { Program } from 'estree'
import type { Edit } from '../edits.js'
import { applyEdits } from '../edits.js'
import { escapeFor, type Destination } from '../escape.js'
import type { ImageAttributes } from '../imageboss.js'
import { problemFromError, REASONS, type Problem } from '../problems.js'
import { uncovered } from './leftovers.js'

/** What a scanner signs with: the core instance, or anything shaped like it. */
export interface Signer {
  /** The URL of a reference; throws `ImageBossError` for an invalid one. */
  url(reference: string): string
  /** The attributes of an `<img>` for a reference (optional: without it, `src` is only signed). */
  image?: ((reference: string) => ImageAttributes) | undefined
}

/** Parses JavaScript into ESTree nodes with `start`/`end` offsets (Rollup's `this.parse`, acorn). */
export type ParseScript = (code: string) => Program

export interface ScanOptions {
  /**
   * `sign` rewrites references and reports what cannot be signed; `check` rewrites nothing
   * and reports every reference as a `leftover-reference` (the build-output check and
   * `imageboss verify`) (default: `sign`).
   */
  mode?: 'sign' | 'check' | undefined
  /** Signs references (required in `sign` mode). */
  signer?: Signer | undefined
  /** Parses scripts (default: acorn, as a module, then as a script). */
  parseScript?: ParseScript | undefined
  /**
   * Names of components (`<Image>`, or compiled `$$renderComponent(…, "Image", …, { src })`)
   * whose `src` prop is left as the reference, for a later stage that needs it whole (optional).
   */
  keepSrcOf?: readonly string[] | undefined
  /** In HTML, leave the attributes of components (`<Image>`, `<ui.Avatar>`) alone (default: `false`). */
  skipComponents?: boolean | undefined
  /**
   * Written in place of a reference that cannot be signed, escaped like a URL, so that a host
   * that reports problems at the end of a build can go on without tripping over it (a
   * bundler resolving `imageboss:/…` as a file). Never shipped: such a build fails (optional).
   */
  placeholder?: string | undefined
  /** Parse HTML even when it holds no `imageboss`, to collect its code samples (default: `false`). */
  samples?: boolean | undefined
  /** Write `/* @vite-ignore *\/` before a URL that replaces `new URL(reference, import.meta.url)`'s argument (default: `false`). */
  viteIgnore?: boolean | undefined
}

/** What a scanner found: edits into the scanned text, and problems located by offset. */
export interface ScanResult {
  edits: Edit[]
  problems: Problem[]
  /** References signed. */
  count: number
}

export function emptyResult(): ScanResult {
  return { edits: [], problems: [], count: 0 }
}

/** One scan in progress: its options and its result. */
export interface Scan {
  readonly options: ScanOptions
  readonly check: boolean
  readonly result: ScanResult
  /** Ranges of the text that were read and taken care of (signed, set aside): not leftovers. */
  readonly covered: Array<{ start: number; end: number }>
  /** Code samples and comments: text shown or ignored, never a reference nor a URL to verify. */
  readonly samples: Array<{ start: number; end: number }>
}

export function createScan(options: ScanOptions): Scan {
  return { options, check: options.mode === 'check', result: emptyResult(), covered: [], samples: [] }
}

/** A scan of an inner text (markup in a string), with the same options. */
export function innerScan(scan: Scan): Scan {
  return createScan(scan.options)
}

/**
 * A whole reference at `[start, end)` of the text: its URL written through `escape`, or a
 * problem. In `check` mode, always a `leftover-reference` problem.
 */
export function signReference(scan: Scan, reference: string, start: number, end: number, where: string, escape: (url: string) => string, exact = true): void {
  scan.covered.push({ start, end })
  if (scan.check) {
    scan.result.problems.push({ ruleId: 'leftover-reference', reason: REASONS.leftover(where), start, end, reference })
    return
  }
  const signer = scan.options.signer
  if (!signer) throw new Error('Expected a `signer` to sign references')
  try {
    scan.result.edits.push({ start, end, text: escape(signer.url(reference)) })
    scan.result.count++
  } catch (error) {
    scan.result.problems.push(problemFromError(error, start, end, exact))
    const placeholder = scan.options.placeholder
    if (placeholder !== undefined) scan.result.edits.push({ start, end, text: escape(placeholder) })
  }
}

/** A problem at `[start, end)`, also covering the range (so it is reported once). */
export function report(scan: Scan, problem: Problem): void {
  scan.covered.push({ start: problem.start, end: problem.end })
  scan.result.problems.push(problem)
}

/** The error for a reference that cannot be signed where it is. */
export function misplaced(scan: Scan, start: number, end: number, where: string): Problem {
  return {
    ruleId: scan.check ? 'leftover-reference' : 'unsupported-position',
    reason: scan.check ? REASONS.leftover(where) : REASONS.unsupportedPosition(where),
    start,
    end
  }
}

/**
 * Problems reported for what a text holds outside the places that sign: past this many, the
 * text has failed anyway, and a million more (hostile input) would only cost time and memory.
 */
const MAX_UNCOVERED = 1000

/** Report every occurrence in `text` that nothing covered (the first thousand). */
export function reportUncovered(scan: Scan, text: string, where: string): void {
  for (const range of uncovered(text, scan.covered, MAX_UNCOVERED)) {
    scan.result.problems.push(misplaced(scan, range.start, range.end, where))
  }
}

/**
 * Bring the result of scanning a decoded value back into the outer text, where the value is
 * written as `raw` at `rawStart` for `destination`. Without escapes (`raw === value`) each
 * edit lands in place, escaped for the destination; otherwise the whole value is written anew.
 */
export function embed(scan: Scan, inner: ScanResult, raw: string, value: string, rawStart: number, destination: Destination): void {
  const exact = raw === value
  for (const problem of inner.problems) {
    const start = rawStart + (exact ? problem.start : 0)
    const end = exact ? rawStart + problem.end : rawStart + raw.length
    scan.result.problems.push({ ...problem, start, end })
  }
  scan.covered.push({ start: rawStart, end: rawStart + raw.length })
  if (inner.edits.length === 0) return
  scan.result.count += inner.count
  if (exact) {
    for (const edit of inner.edits) {
      scan.result.edits.push({ start: rawStart + edit.start, end: rawStart + edit.end, text: escapeFor(destination, edit.text) })
    }
  } else {
    scan.result.edits.push({ start: rawStart, end: rawStart + raw.length, text: escapeFor(destination, applyEdits(value, inner.edits)) })
  }
}
