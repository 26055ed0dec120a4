import { createScan, type Scan, type ScanOptions, type ScanResult } from './context.js'
import type { TextKind } from './embedded.js'
import { scanHtml, type ScanHtmlOptions } from './html.js'
import { scanJson } from './json.js'
import { scanScript, type ScanScriptOptions } from './script.js'
import { scanCss, type ScanCssOptions } from './values.js'
import { scanXml } from './xml.js'
import { reportLeftovers } from './context.js'
import { LEFTOVER_SPAN } from './leftovers.js'
import { createTokenStream, type TextStream } from './segments.js'

/** Options of one text's scan, by kind. */
export type ScanTextOptions = ScanOptions & ScanHtmlOptions & ScanCssOptions & ScanScriptOptions

/** Scan `text` of `kind` into `scan`. */
export function scanByKind(scan: Scan, kind: TextKind, text: string, options: ScanHtmlOptions & ScanCssOptions & ScanScriptOptions = {}): void {
  switch (kind) {
    case 'html':
      return scanHtml(scan, text, options)
    case 'css':
      return scanCss(scan, text, options)
    case 'script':
      return scanScript(scan, text, options)
    case 'json':
      return scanJson(scan, text)
    case 'xml':
      return scanXml(scan, text)
    case 'text':
      reportLeftovers(scan, text, 0, 'in a text file')
      return
  }
}

/**
 * A text file over chunks (see `createTokenStream`): each part ends `LEFTOVER_SPAN`
 * characters before what is read (never inside a CRLF), and reports the occurrences that
 * start in it.
 */
export function createTextStream(options: ScanOptions): TextStream {
  return createTokenStream(options, (scan, text, base, final) => {
    let settled = final ? text.length : Math.max(0, text.length - LEFTOVER_SPAN)
    // Never between the CR and the LF of a line break: each part is located on its own.
    if (!final && settled > 0 && text.charCodeAt(settled - 1) === 13) settled--
    reportLeftovers(scan, text, base, 'in a text file', settled)
    return settled
  })
}

/**
 * The core's one entry for a whole text: every reference of `text` (a file of `kind`)
 * signed as located edits, and every problem located by offset. In `check` mode nothing is
 * signed and every reference is a `leftover-reference`.
 */
export function scanText(kind: TextKind, text: string, options: ScanTextOptions): ScanResult {
  const scan = createScan(options)
  scanByKind(scan, kind, text, options)
  scan.result.problems.sort((a, b) => a.start - b.start)
  return scan.result
}

export { FILE_KINDS, kindOfFile } from './kinds.js'
