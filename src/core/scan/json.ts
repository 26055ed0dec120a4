import { misplaced, report, reportLeftovers, type Scan, type ScanOptions } from './context.js'
import { scanString } from './embedded.js'
import { mayHoldReference } from './leftovers.js'
import { createTokenStream, type TextStream } from './segments.js'

/**
 * Sign the string values of JSON text (also `.webmanifest`, JSON-LD, JSON Lines) in place,
 * each by the string rules (a whole reference, markup, CSS). Only those tokens change, so
 * formatting survives byte for byte. Keys are names, never references. Occurrences outside
 * strings (text that is not JSON) are problems.
 */
export function scanJson(scan: Scan, text: string): void {
  if (!mayHoldReference(text)) return
  scanJsonTokens(scan, text, 0, true)
}

/**
 * The JSON scanner over a document given in chunks (see `createTokenStream`): segments hold
 * what `scanJson` finds in the whole document.
 */
export function createJsonStream(options: ScanOptions): TextStream {
  return createTokenStream(options, scanJsonTokens)
}

/**
 * Scan the string tokens of `text`, written at `base` of the document, and the text between
 * them. A string is whole once the character after it (past whitespace) is read, which tells
 * a key; the text after the last whole string waits for the next string or the end. Returns
 * where the first token not held whole starts (see `TokenScanner`).
 */
function scanJsonTokens(scan: Scan, text: string, base: number, final: boolean): number {
  let last = 0
  for (const token of jsonStrings(text, final)) {
    reportBetween(scan, text, base, last, token.start)
    last = token.end
    if (!mayHoldReference(token.raw)) continue
    if (token.key) continue
    let value: string
    try {
      value = JSON.parse(text.slice(token.start, token.end)) as string
    } catch {
      report(scan, misplaced(scan, base + token.start, base + token.end, 'in a JSON string that does not parse'))
      continue
    }
    scanString(scan, value, token.raw, base + token.start + 1, { kind: 'json-string' }, 'in a JSON string')
  }
  if (!final) return last
  reportBetween(scan, text, base, last, text.length)
  return text.length
}

function reportBetween(scan: Scan, text: string, base: number, start: number, end: number): void {
  if (end > start) reportLeftovers(scan, text.slice(start, end), base + start, 'outside a JSON string')
}

interface JsonString {
  /** Offset of the opening quote. */
  start: number
  /** Offset after the closing quote. */
  end: number
  /** The text between the quotes, as written. */
  raw: string
  /** Whether a `:` follows: an object key. */
  key: boolean
}

/**
 * The string tokens of JSON text, in order, up to the last one held whole unless `final`.
 * Linear; tolerant of what is not JSON.
 */
function* jsonStrings(text: string, final: boolean): Generator<JsonString> {
  const length = text.length
  let i = text.indexOf('"')
  while (i !== -1 && i < length) {
    let j = i + 1
    while (j < length && text.charCodeAt(j) !== 34 /* " */) j += text.charCodeAt(j) === 92 /* \ */ ? 2 : 1
    const end = Math.min(j + 1, length)
    let k = end
    while (k < length && /\s/.test(text.charAt(k))) k++
    // Unclosed, or what follows (a `:` of a key?) not read yet.
    if (!final && k >= length) return
    yield { start: i, end, raw: text.slice(i + 1, Math.max(i + 1, end - 1)), key: text.charAt(k) === ':' }
    i = text.indexOf('"', end)
  }
}
