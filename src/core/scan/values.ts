import type { AttributeKind } from '../attributes.js'
import { findCssReferences } from '../css.js'
import { parseSrcset } from '../srcset.js'
import { applyEdits } from '../edits.js'
import type { Problem } from '../problems.js'
import { scanHtml } from './html.js'
import { createScan, reportUncovered, signReference, type Scan, type ScanOptions } from './context.js'

/** A URL of another scheme (`data:`, `javascript:`, `https:`). */
export const OTHER_SCHEME_RE = /^(?!imageboss:)[a-zA-Z][a-zA-Z\d+.-]*:/

/** Whether the UTF-16 code unit is ASCII whitespace as HTML defines it (tab, LF, FF, CR, space). */
function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 12 || code === 13
}
const identity = (url: string) => url

/** `where` for a problem in a value of this kind. */
const WHERE: Readonly<Record<AttributeKind, string>> = {
  url: 'inside a URL value, after other text',
  srcset: 'in a `srcset` candidate that is not a whole URL',
  css: 'in CSS outside `url()` and `image-set()`',
  html: 'in markup'
}

/**
 * Sign the references of one decoded value of `kind` (offsets into `value`), then report
 * what is left. URLs are written as they are: the caller escapes them for their destination.
 */
export function scanValue(scan: Scan, value: string, kind: AttributeKind, name: string): void {
  if (kind === 'css') {
    scanCss(scan, value)
    return
  }
  if (kind === 'html') {
    // A document of its own (`<iframe srcdoc>`).
    scanHtml(scan, value)
    return
  }
  if (kind === 'srcset') {
    for (const candidate of parseSrcset(value)) {
      if (candidate.url.startsWith('imageboss:')) signReference(scan, candidate.url, candidate.start, candidate.end, `in \`${name}\``, identity)
      else if (OTHER_SCHEME_RE.test(candidate.url)) scan.covered.push({ start: candidate.start, end: candidate.end })
    }
  } else {
    // A URL attribute: the whole value, less the whitespace browsers strip.
    // Loops, not a trimming regex: a regex backtracks over long inner runs of spaces.
    let start = 0
    let end = value.length
    while (start < end && isSpace(value.charCodeAt(start))) start++
    while (end > start && isSpace(value.charCodeAt(end - 1))) end--
    if (value.startsWith('imageboss:', start)) signReference(scan, value.slice(start, end), start, end, `in \`${name}\``, identity)
    // A URL of another scheme (`javascript:`, `data:`): what it holds is not a reference.
    else if (OTHER_SCHEME_RE.test(value.slice(start, start + 40))) scan.covered.push({ start, end })
  }
  reportUncovered(scan, value, `${WHERE[kind]} (\`${name}\`)`)
}

export interface ScanCssOptions {
  /** Whether `//` starts a comment (Sass, SCSS, Less, Stylus) (default: `false`). */
  lineComments?: boolean | undefined
}

/** Sign `url()` and `image-set()` references in CSS; report any other occurrence outside comments. */
export function scanCss(scan: Scan, css: string, options: ScanCssOptions = {}): void {
  const comments: Array<{ start: number; end: number }> = []
  const otherUrls: Array<{ start: number; end: number }> = []
  for (const found of findCssReferences(css, { lineComments: options.lineComments, comments, otherUrls })) {
    signReference(scan, found.reference, found.start, found.end, 'in a CSS `url()`', identity)
  }
  scan.covered.push(...comments, ...otherUrls)
  scan.samples.push(...comments)
  reportUncovered(scan, css, WHERE.css)
}

/**
 * One decoded value, as hosts that hold trees give them (hast properties, JSX attributes):
 * the value with its references signed, written as they are (the host's serialiser escapes),
 * or the problems that keep it from being signed.
 */
export function signDecodedValue(value: string, kind: AttributeKind, name: string, options: ScanOptions): { value: string; count: number; problems: Problem[] } {
  const scan = createScan(options)
  scanValue(scan, value, kind, name)
  const { edits, problems, count } = scan.result
  return { value: applyEdits(value, edits), count, problems }
}
