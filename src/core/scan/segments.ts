import type { Edit } from '../edits.js'
import type { ImageAttributes } from '../imageboss.js'
import type { Problem } from '../problems.js'
import { createScan, type Scan, type ScanOptions } from './context.js'

/** A settled part of a streamed document: its text, and its edits and problems by offsets in it. */
export interface TextSegment {
  text: string
  /** Where it starts in the document, in characters. */
  start: number
  edits: Edit[]
  problems: Problem[]
  count: number
}

/** A scanner over a document given in chunks (HTML, XML): what a chunk settles comes back as a segment. */
export interface TextStream {
  /** Read the next chunk of the document; returns the part of it (and of earlier chunks) now settled, if any. */
  write(chunk: string): TextSegment | undefined
  /** The end of the document: the rest of it. */
  end(): TextSegment
  /**
   * HTML, once ended: the `priority` images of a document with a `<head>` that this pass could
   * not preload (the `<head>` came first); a second pass given them (`preloads`) writes them.
   */
  preloadsFound?(): readonly ImageAttributes[]
}

/**
 * Cuts one scan of a streamed document into segments: `take(text, end)` hands over the
 * settled `text` (the document up to `end`) with the edits before `end` and the problems
 * found since the last segment, by offsets in `text`; the scan keeps the edits after `end`.
 * Problems stay in the scan, whose cap counts them for the whole document.
 */
export function createSegments(scan: Scan): (text: string, end: number) => TextSegment {
  let start = 0
  let problemsTaken = 0
  let count = 0
  return (text, end) => {
    const edits: Edit[] = []
    const pending: Edit[] = []
    for (const edit of scan.result.edits) {
      if (edit.start < end) edits.push({ ...edit, start: edit.start - start, end: edit.end - start })
      else pending.push(edit)
    }
    scan.result.edits = pending
    const problems = scan.result.problems.slice(problemsTaken).map((p) => ({ ...p, start: p.start - start, end: p.end - start }))
    problemsTaken = scan.result.problems.length
    // Code samples matter to the output check (`check` mode) only.
    if (!scan.check) scan.samples.length = 0
    const segment = { text, start, edits, problems, count: scan.result.count - count }
    count = scan.result.count
    start = end
    return segment
  }
}

/**
 * Scans the tokens of `text`, written at `base` of a document, and returns the offset in
 * `text` before the first token it does not hold whole (the rest of the document may continue
 * it), or its length when `final`.
 */
export type TokenScanner = (scan: Scan, text: string, base: number, final: boolean) => number

/**
 * A scanner of whole tokens over a document given in chunks, for files too large to hold:
 * each chunk settles the tokens it completes, which come back as a segment with their edits
 * for the caller to write and forget. Memory is the largest token, not the document. The
 * unsettled rest is read again only once it has doubled: a token longer than many chunks is
 * read a logarithmic number of times, so the whole stays linear.
 */
export function createTokenStream(options: ScanOptions, scanTokens: TokenScanner): TextStream {
  const scan = createScan(options)
  const segment = createSegments(scan)
  let buffer = ''
  let base = 0
  let unsettled = 0
  const take = (settled: number): TextSegment => {
    const text = buffer.slice(0, settled)
    buffer = buffer.slice(settled)
    base += settled
    return segment(text, base)
  }
  return {
    write(chunk) {
      buffer += chunk
      if (chunk.length === 0 || buffer.length < 2 * unsettled) return undefined
      const settled = scanTokens(scan, buffer, base, false)
      unsettled = buffer.length - settled
      return settled > 0 ? take(settled) : undefined
    },
    end() {
      scanTokens(scan, buffer, base, true)
      return take(buffer.length)
    }
  }
}
