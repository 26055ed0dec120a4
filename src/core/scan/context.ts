import type { Edit } from '../edits.js'
import { applyEdits } from '../edits.js'
import { escapeFor, type Destination } from '../escape.js'
import type { ImageAttributes } from '../imageboss.js'
import { problemFromError, REASONS, type Problem } from '../problems.js'
import { leftovers } from './leftovers.js'

/** What a scanner signs with: the core instance, or anything shaped like it. */
export interface Signer {
  /** The URL of a reference; throws `ImageBossError` for an invalid one. */
  url(reference: string): string
  /** The attributes of an `<img>` for a reference (optional: without it, `src` is only signed). */
  image?: ((reference: string) => ImageAttributes) | undefined
}

export interface ScanOptions {
  /**
   * `sign` rewrites references and reports what cannot be signed; `check` rewrites nothing
   * and reports every reference as a `leftover-reference` (the build-output check and
   * `imageboss verify`) (default: `sign`).
   */
  mode?: 'sign' | 'check' | undefined
  /** Signs references (required in `sign` mode). */
  signer?: Signer | undefined
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

function emptyResult(): ScanResult {
  return { edits: [], problems: [], count: 0 }
}

/** One scan in progress: its options and its result. */
export interface Scan {
  readonly options: ScanOptions
  readonly check: boolean
  readonly result: ScanResult
  /** Code samples and comments: text shown or ignored, never a reference nor a URL to verify. */
  readonly samples: Array<{ start: number; end: number }>
  /** The `priority` images of a whole document, to preload from its `<head>` (HTML only). */
  preloads?: ImageAttributes[] | undefined
}

export function createScan(options: ScanOptions): Scan {
  return { options, check: options.mode === 'check', result: emptyResult(), samples: [] }
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
  if (scan.check) {
    // Past the cap, nothing more is kept: no message made for nothing (a page of a million).
    if (!isFull(scan)) report(scan, { ruleId: 'leftover-reference', reason: REASONS.leftover(where), start, end, reference })
    return
  }
  const signer = scan.options.signer
  if (!signer) throw new Error('Expected a `signer` to sign references')
  try {
    scan.result.edits.push({ start, end, text: escape(signer.url(reference)) })
    scan.result.count++
  } catch (error) {
    report(scan, problemFromError(error, start, end, exact))
    const placeholder = scan.options.placeholder
    if (placeholder !== undefined) scan.result.edits.push({ start, end, text: escape(placeholder) })
  }
}

/**
 * Problems kept per scan. Past this many the text has failed anyway, and a million more
 * (hostile input: glued references) would only cost memory, and time that grows faster than
 * the text: a million live objects slow down every garbage collection (measured: 8 MB of
 * near-misses took 20× the time of 1 MB, not 8×). The last one kept says so.
 */
export const MAX_PROBLEMS = 1000

/** Whether `scan` holds all the problems it keeps: later ones are dropped. */
export function isFull(scan: Scan): boolean {
  return scan.result.problems.length >= MAX_PROBLEMS
}

/** Report a problem, unless `scan` is full; the last one kept says that more may follow. */
export function report(scan: Scan, problem: Problem): void {
  const problems = scan.result.problems
  if (problems.length < MAX_PROBLEMS - 1) problems.push(problem)
  else if (problems.length === MAX_PROBLEMS - 1)
    problems.push({
      ...problem,
      reason: `${problem.reason} (the last of ${MAX_PROBLEMS.toLocaleString('en')} problems reported in this text: more may follow)`
    })
}

/** Report each occurrence in `text` (written at `offset` of the scanned text) that starts before `before`, as misplaced, up to the cap. */
export function reportLeftovers(scan: Scan, text: string, offset: number, where: string, before = Infinity): void {
  for (const found of leftovers(text)) {
    if (isFull(scan) || found.start >= before) return
    report(scan, misplaced(scan, offset + found.start, offset + found.end, where))
  }
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
 * Report the occurrences of `text` (written at `offset` of the scanned text) outside the
 * ranges of `text` handed to `cover`, which come in text order without overlapping (a
 * tokenizer's findings): both are walked side by side, so no list of ranges is kept, nor
 * sorted.
 */
export function reportOutside(scan: Scan, text: string, offset: number, where: string): { cover(start: number, end: number): void; finish(): void } {
  const found = leftovers(text)
  let next = found.next()
  const cover = (start: number, end: number): void => {
    while (!next.done && next.value.start < start) {
      if (isFull(scan)) return
      report(scan, misplaced(scan, offset + next.value.start, offset + next.value.end, where))
      next = found.next()
    }
    while (!next.done && next.value.start < end) next = found.next()
  }
  return { cover, finish: () => cover(Infinity, Infinity) }
}

/**
 * Bring the result of scanning a decoded value back into the outer text, where the value is
 * written as `raw` at `rawStart` for `destination`. Without escapes (`raw === value`) each
 * edit lands in place, escaped for the destination; otherwise the whole value is written anew.
 */
export function embed(scan: Scan, inner: ScanResult, raw: string, value: string, rawStart: number, destination: Destination): void {
  const exact = raw === value
  for (const problem of inner.problems) {
    if (isFull(scan)) break
    const start = rawStart + (exact ? problem.start : 0)
    const end = exact ? rawStart + problem.end : rawStart + raw.length
    report(scan, { ...problem, start, end })
  }
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
