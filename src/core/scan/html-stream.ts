import type { Edit } from '../edits.js'
import type { Problem } from '../problems.js'
import { createScan, type ScanOptions } from './context.js'
import { createTokenScan, type HtmlText, type ScanHtmlOptions } from './html.js'

/** A settled part of a streamed document: its text, and its edits and problems by offsets in it. */
export interface HtmlSegment {
  text: string
  /** Where it starts in the document, in characters. */
  start: number
  edits: Edit[]
  problems: Problem[]
  count: number
}

export interface HtmlStream {
  /** Read the next chunk of the document; returns the part of it (and of earlier chunks) now settled, if any. */
  write(chunk: string): HtmlSegment | undefined
  /** The end of the document: the rest of it. */
  end(): HtmlSegment
}

/**
 * The text of a streamed document from the first offset not yet settled: what the scan still
 * reads (a token, a text run or a raw-text element in progress). Offsets are the document's.
 */
class Window implements HtmlText {
  private base = 0
  private text = ''

  get length(): number {
    return this.base + this.text.length
  }

  slice(start: number, end = this.length): string {
    return this.text.slice(Math.max(0, start - this.base), Math.max(0, end - this.base))
  }

  charCodeAt(index: number): number {
    return this.text.charCodeAt(index - this.base)
  }

  append(chunk: string): void {
    this.text += chunk
  }

  /** The text before `offset`, which leaves the window. */
  take(offset: number): string {
    const taken = this.text.slice(0, offset - this.base)
    this.text = this.text.slice(offset - this.base)
    this.base = offset
    return taken
  }
}

/**
 * The HTML scanner over a document given in chunks, for files too large to hold: parse5's
 * tokenizer takes chunks as they come (a token across two chunks included), and whatever is
 * settled after a chunk (every token before it read and scanned) comes back as a segment with
 * its edits, so the caller writes it and forgets it. Memory is the largest token, text run or
 * raw-text element, not the document. The segments' edits and problems are those `scanHtml`
 * finds in the whole document, by offsets in each segment.
 */
export function createHtmlStream(options: ScanOptions & ScanHtmlOptions): HtmlStream {
  const scan = createScan(options)
  const window = new Window()
  const { tokenizer, settled } = createTokenScan(scan, window, options)
  let start = 0
  let problemsTaken = 0
  let count = 0
  const take = (offset: number): HtmlSegment => {
    const text = window.take(offset)
    const edits: Edit[] = []
    const pending: Edit[] = []
    for (const edit of scan.result.edits) {
      if (edit.start < offset) edits.push({ ...edit, start: edit.start - start, end: edit.end - start })
      else pending.push(edit)
    }
    scan.result.edits = pending
    // Problems stay in the scan, whose cap counts them; a segment takes the new ones.
    const problems = scan.result.problems.slice(problemsTaken).map((p) => ({ ...p, start: p.start - start, end: p.end - start }))
    problemsTaken = scan.result.problems.length
    if (!scan.check) scan.samples.length = 0
    const segment = { text, start, edits, problems, count: scan.result.count - count }
    count = scan.result.count
    start = offset
    return segment
  }
  return {
    write(chunk) {
      if (chunk.length === 0) return undefined
      window.append(chunk)
      tokenizer.write(chunk, false)
      const offset = settled()
      return offset > start ? take(offset) : undefined
    },
    end() {
      tokenizer.write('', true)
      return take(window.length)
    }
  }
}
