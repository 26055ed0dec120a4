import type { Node, Program } from 'estree'
import { findCssReferences } from '../core/css.js'
import { rewriteHtml } from '../core/html.js'
import type { ImageBoss } from '../core/imageboss.js'
import { createLocator } from '../core/location.js'
import { isReference, scanScript } from '../core/script.js'

/** Something in the output that should have been signed. */
export interface OutputLeftover {
  /** Output file name (`assets/main-1a2b.js`). */
  file: string
  line: number
  column: number
  /** The reference or URL, cut short. */
  text: string
  kind: 'reference' | 'unsigned-url'
}

/** An emitted file, as `generateBundle` sees it (structural: Rollup and Rolldown). */
export type OutputItem = { type: 'chunk'; fileName: string; code: string } | { type: 'asset'; fileName: string; source: string | Uint8Array }


const SOURCE_MAP_RE = /\.map$/
/**
 * Text that may hold a reference: `imageboss:`, also with its colon as an entity. Not
 * `imageboss` alone, which every signed URL on `img.imageboss.me` holds: scanning those
 * pages again would parse the whole output a second time.
 */
const REFERENCE_TEXT_RE = /imageboss(?::|&colon;|&#0*58;|&#x0*3a;)/i
const HTML_RE = /\.html?$/
const CSS_RE = /\.css$/
const TEXT_RE = /\.(?:html?|css|m?js|cjs|json|svg|xml|txt|webmanifest)$/
/** An absolute URL in HTML, CSS or JS text, up to a quote, space, parenthesis or backslash. */
const URL_RE = /https?:\/\/[^\s"'`()<>\\]+/g
const TOKEN_RE = /[?&]bossToken=[\da-f]{64}(?:$|&)/
/** `/SOURCE/OPERATION` of an ImageBoss URL (after the host and any base path). */
const OPERATION_RE = /\/([A-Za-z\d][\w-]*)\/(?:cover|width|height|cdn)[:/]/

/**
 * Find what a production build must not ship: an `imageboss:` reference in a URL position
 * (HTML and CSS, as the core scanners find them; code samples such as `<pre>` are skipped),
 * a JS string literal that is a whole reference (runtime-signer arguments excepted), or a
 * URL under `baseUrl` of a signed source without a `bossToken`. Source maps are skipped:
 * they carry the author's sources.
 */
export function checkOutput(items: readonly OutputItem[], imageboss: ImageBoss, parse: (code: string) => Program): OutputLeftover[] {
  const found: OutputLeftover[] = []
  // Per source: the base URL of its URLs, when it is a signed source of this build.
  const signedBase = new Map<string, string | undefined>()
  const baseOf = (source: string): string | undefined => {
    if (!signedBase.has(source)) {
      let base: string | undefined
      try {
        const probe = imageboss.resolve(`imageboss://${source}/output-check.jpg`)
        if (probe.signed) base = probe.url.slice(0, probe.url.indexOf(probe.signedPath))
      } catch {
        // Not a source of this build (unknown, or without a secret): not ours to judge.
      }
      signedBase.set(source, base)
    }
    return signedBase.get(source)
  }

  for (const item of items) {
    if (SOURCE_MAP_RE.test(item.fileName)) continue
    if (item.type === 'asset' && !TEXT_RE.test(item.fileName)) continue
    const text = item.type === 'chunk' ? item.code : typeof item.source === 'string' ? item.source : Buffer.from(item.source).toString('utf8')
    const offsets: Array<[number, string, OutputLeftover['kind']]> = []

    if (REFERENCE_TEXT_RE.test(text)) {
      if (item.type === 'chunk') {
        for (const [offset, value] of scriptReferences(text, parse)) offsets.push([offset, value, 'reference'])
      } else if (HTML_RE.test(item.fileName)) {
        const result = rewriteHtml(text, (reference) => reference)
        for (const edit of result.edits) offsets.push([edit.start, edit.text, 'reference'])
        for (const problem of result.problems) offsets.push([problem.start, text.slice(problem.start, problem.end), 'reference'])
      } else if (CSS_RE.test(item.fileName)) {
        for (const reference of findCssReferences(text)) offsets.push([reference.start, reference.reference, 'reference'])
      }
    }

    for (const match of text.matchAll(URL_RE)) {
      const url = match[0]
      const operation = OPERATION_RE.exec(url)
      const source = operation?.[1]
      if (source === undefined || TOKEN_RE.test(url.replaceAll('&amp;', '&'))) continue
      const base = baseOf(source)
      if (base !== undefined && url.startsWith(`${base}/${source}/`)) offsets.push([match.index, url, 'unsigned-url'])
    }

    if (offsets.length === 0) continue
    const locate = createLocator(text)
    for (const [offset, value, kind] of offsets.sort((a, b) => a[0] - b[0])) {
      const point = locate(offset)
      found.push({ file: item.fileName, line: point.line, column: point.column, text: value.length > 80 ? value.slice(0, 77) + '…' : value, kind })
    }
  }
  return found
}

const MAX_LISTED = 50

/** The message that fails the build. */
export function formatLeftovers(leftovers: readonly OutputLeftover[]): string {
  // Enough to find the cause; a whole site of them would bury it.
  const shown = leftovers.slice(0, MAX_LISTED)
  const lines = shown.map(
    (l) => `  ${l.file}:${l.line}:${l.column}  ${l.kind === 'reference' ? 'unsigned reference' : 'URL without `bossToken`'}  ${l.text}`
  )
  if (leftovers.length > shown.length) lines.push(`  … and ${leftovers.length - shown.length} more`)
  return (
    `Unexpected unsigned image${leftovers.length === 1 ? '' : 's'} in the build output, expected every \`imageboss:\` reference signed ` +
    `(a reference that reached the bundle without passing through imageboss-build, such as one from a JSON file, a \`define\`, ` +
    `or another plugin):\n${lines.join('\n')}`
  )
}

/** Whole-reference strings in a chunk (what `scanScript` leaves out is not a leftover). */
function scriptReferences(code: string, parse: (code: string) => Program): Array<[number, string]> {
  if (!code.includes('imageboss:')) return []
  let program: Program
  try {
    program = parse(code)
  } catch {
    // Not JavaScript Rollup can parse (it wrote it, so unlikely): scan for quoted references.
    return [...code.matchAll(/(["'`])(imageboss:[^"'`\s]+)\1/g)].map((m) => [m.index + 1, m[2] as string])
  }
  return scanScript(program as Node, { specifiers: true })
    .strings.filter((string) => isReference(string.value))
    .map((string) => [string.node.start, string.value])
}
