import type { AttributeKind } from '../attributes.js'
import { createCssWalk, walkCssTokens, type CssWalk } from '../css.js'
import { srcsetCandidates } from '../srcset.js'
import { applyEdits } from '../edits.js'
import type { Problem } from '../problems.js'
import { scanHtml } from './html.js'
import { createScan, reportOutside, signReference, type Scan, type ScanOptions } from './context.js'
import { createTokenStream, type TextStream } from './segments.js'

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
  // Candidates and the value come in text order: occurrences outside them are reported as
  // they go, with no list of ranges to keep and sort.
  const outside = reportOutside(scan, value, 0, `${WHERE[kind]} (\`${name}\`)`)
  if (kind === 'srcset') {
    for (const candidate of srcsetCandidates(value)) {
      if (candidate.url.startsWith('imageboss:')) {
        outside.cover(candidate.start, candidate.end)
        signReference(scan, candidate.url, candidate.start, candidate.end, `in \`${name}\``, identity)
      } else if (OTHER_SCHEME_RE.test(candidate.url)) {
        outside.cover(candidate.start, candidate.end)
      }
    }
  } else {
    // A URL attribute: the whole value, less the whitespace browsers strip.
    // Loops, not a trimming regex: a regex backtracks over long inner runs of spaces.
    let start = 0
    let end = value.length
    while (start < end && isSpace(value.charCodeAt(start))) start++
    while (end > start && isSpace(value.charCodeAt(end - 1))) end--
    // A URL of another scheme (`javascript:`, `data:`): what it holds is not a reference.
    if (value.startsWith('imageboss:', start) || OTHER_SCHEME_RE.test(value.slice(start, start + 40))) outside.cover(start, end)
    if (value.startsWith('imageboss:', start)) signReference(scan, value.slice(start, end), start, end, `in \`${name}\``, identity)
  }
  outside.finish()
}

export interface ScanCssOptions {
  /** Whether `//` starts a comment (Sass, SCSS, Less, Stylus) (default: `false`). */
  lineComments?: boolean | undefined
}

/**
 * Sign `url()` and `image-set()` references in CSS; report any other occurrence outside
 * comments. Each finding is handled as the tokenizer comes to it, occurrences outside them
 * reported alongside: no list of references, comments or ranges is kept (a stylesheet of a
 * million comments once overflowed the stack, spread into `push`).
 */
export function scanCss(scan: Scan, css: string, options: ScanCssOptions = {}): void {
  if (!css.includes('imageboss')) return
  scanCssTokens(scan, css, 0, createCssWalk(), true, options.lineComments)
}

/**
 * The CSS scanner over a stylesheet given in chunks (see `createTokenStream`): segments hold
 * what `scanCss` finds in the whole stylesheet.
 */
export function createCssStream(options: ScanOptions): TextStream {
  const walk = createCssWalk()
  return createTokenStream(options, (scan, text, base, final) => scanCssTokens(scan, text, base, walk, final, false))
}

/** `scanCss` over `css`, written at `base` of a stylesheet, from `walk` (see `walkCssTokens`). */
function scanCssTokens(scan: Scan, css: string, base: number, walk: CssWalk, final: boolean, lineComments: boolean | undefined): number {
  const outside = reportOutside(scan, css, base, WHERE.css)
  const settled = walkCssTokens(
    css,
    lineComments,
    {
      reference(found) {
        outside.cover(found.start, found.end)
        signReference(scan, found.reference, base + found.start, base + found.end, 'in a CSS `url()`', identity)
      },
      comment(range) {
        outside.cover(range.start, range.end)
        // Only the check with keys reads them (URLs in comments are not verified).
        if (scan.options.samples) scan.samples.push({ start: base + range.start, end: base + range.end })
      },
      otherUrl: (range) => outside.cover(range.start, range.end)
    },
    walk,
    final
  )
  // What lies past the settled offset is read again with the next part.
  if (final) outside.finish()
  else outside.cover(settled, Infinity)
  return settled
}

/**
 * One decoded value, as hosts that hold trees give them (hast properties, JSX attributes):
 * the value with its references signed, written as they are (the host's serialiser escapes),
 * or the problems that keep it from being signed.
 */
export function signDecodedValue(
  value: string,
  kind: AttributeKind,
  name: string,
  options: ScanOptions
): { value: string; count: number; problems: Problem[] } {
  const scan = createScan(options)
  scanValue(scan, value, kind, name)
  const { edits, problems, count } = scan.result
  return { value: applyEdits(value, edits), count, problems }
}
