import type { Destination } from '../escape.js'
import { embed, innerScan, misplaced, report, reportLeftovers, signReference, type Scan } from './context.js'
import { scanByKind } from './dispatch.js'
import { codeTextEnd } from './code-depth.js'
import { hasLeftover } from './leftovers.js'
import { OTHER_SCHEME_RE } from './values.js'

/** The kinds of text the core scans. */
export type TextKind = 'html' | 'css' | 'script' | 'json' | 'xml' | 'text'

/** Script types whose text is JavaScript. */
const JS_TYPES = new Set(['', 'module', 'text/javascript', 'application/javascript', 'text/ecmascript', 'application/ecmascript', 'text/babel', 'text/jsx'])
/** Script types whose text is JSON (structured data, import maps, framework state). */
const JSON_TYPES = new Set(['application/ld+json', 'application/json', 'importmap', 'speculationrules'])
/** Script types whose text is literal text, a sample like `<pre>`. */
const TEXT_TYPES = new Set(['text/plain'])
/** Script types whose text is markup kept for later (client-side templates). */
const HTML_TYPES = new Set(['text/html', 'text/template', 'text/x-template', 'text/ng-template', 'text/x-handlebars-template'])

/** What a `<script type>` holds, or `undefined` for a type the core cannot read. */
export function scriptKindOf(type: string): TextKind | 'sample' | undefined {
  if (TEXT_TYPES.has(type)) return 'sample'
  if (JS_TYPES.has(type)) return 'script'
  if (JSON_TYPES.has(type) || type.endsWith('+json')) return 'json'
  if (HTML_TYPES.has(type)) return 'html'
  return undefined
}

/** CSS inside a string: a `url()` or `image-set()` with a reference. */
const CSS_RE = /(?:url|image-set)\(\s*["']?imageboss:/

/**
 * A string value of a script or JSON document (decoded `value`, written as `raw` at
 * `rawStart` for `destination`): a whole reference is signed; markup gets its attributes
 * signed; CSS its `url()`s; anything else that mentions a reference is a problem.
 */
export function scanString(scan: Scan, value: string, raw: string, rawStart: number, destination: Destination, where: string): void {
  if (!hasLeftover(value)) return
  const exact = raw === value
  // A whole reference, unless a code element's closing tag follows it: `imageboss:/x.jpg</code>`
  // is the text of a code sample that a compiled template cut after its `<code>` (Svelte's
  // dev output), read as markup.
  if (value.length > 10 && value.startsWith('imageboss:') && codeTextEnd(value) === 0) {
    if (exact) {
      signReference(scan, value, rawStart, rawStart + raw.length, where, (url) => url)
    } else {
      const inner = innerScan(scan)
      signReference(inner, value, 0, value.length, where, (url) => url)
      embed(scan, inner.result, raw, value, rawStart, destination)
    }
    return
  }
  // A URL of another scheme (`data:`, `javascript:`): what it holds is not a reference.
  if (OTHER_SCHEME_RE.test(value.slice(0, 40)) && !/\s/.test(value)) return
  if (value.includes('<')) return scanEmbedded(scan, 'html', raw, value, rawStart, destination)
  if (CSS_RE.test(value)) return scanEmbedded(scan, 'css', raw, value, rawStart, destination)
  // At each occurrence where the raw text shows it (it does when it is the value); else at the string.
  if (exact) reportLeftovers(scan, raw, rawStart, `${where}, inside a longer text`)
  else report(scan, misplaced(scan, rawStart, rawStart + raw.length, `${where}, inside a longer text`))
}

/**
 * Text of `kind` held in another text (markup in a JS string, JSON-LD in HTML): scanned as
 * its kind, with its edits escaped for `destination`.
 */
export function scanEmbedded(scan: Scan, kind: TextKind, raw: string, value: string, rawStart: number, destination: Destination): void {
  const inner = innerScan(scan)
  // Markup that starts inside a code element: its text up to where it leaves it is the
  // sample's (its elements are not).
  scanByKind(inner, kind, value, { fragment: true, codeTextEnd: kind === 'html' ? codeTextEnd(value) : 0 })
  embed(scan, inner.result, raw, value, rawStart, destination)
}
