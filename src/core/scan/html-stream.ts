import { createScan, type ScanOptions } from './context.js'
import { createTokenScan, type HtmlText, type ScanHtmlOptions } from './html.js'
import { createSegments, type TextStream } from './segments.js'

/**
 * The text of a streamed document from the first offset not yet settled: what the scan still
 * reads (a token, a text run or a raw-text element in progress). Offsets are the document's.
 */
class Window implements HtmlText {
  /** Where the window starts in the document. */
  base = 0
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
export function createHtmlStream(options: ScanOptions & ScanHtmlOptions): TextStream {
  const scan = createScan(options)
  // Found as the document streams by: written by a second pass given them (`preloads`), since
  // the `<head>` they go into has been handed over before the images are read.
  scan.preloads = []
  const window = new Window()
  const { tokenizer, settled, hasHead } = createTokenScan(scan, window, options)
  const segment = createSegments(scan)
  const take = (offset: number) => segment(window.take(offset), offset)
  return {
    write(chunk) {
      if (chunk.length === 0) return undefined
      window.append(chunk)
      tokenizer.write(chunk, false)
      const offset = settled()
      return offset > window.base ? take(offset) : undefined
    },
    end() {
      tokenizer.write('', true)
      return take(window.length)
    },
    preloadsFound() {
      return hasHead() && !options.preloads ? (scan.preloads ?? []) : []
    }
  }
}
