import type { Edit } from '../edits.js'
import type { Problem } from '../problems.js'
import type { Scan } from './context.js'

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
