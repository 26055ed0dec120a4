import { misplaced, report, reportLeftovers, type Scan } from './context.js'
import { scanString } from './embedded.js'
import { mayHoldReference } from './leftovers.js'

/**
 * Sign the string values of JSON text (also `.webmanifest`, JSON-LD, JSON Lines) in place,
 * each by the string rules (a whole reference, markup, CSS). Only those tokens change, so
 * formatting survives byte for byte. Keys are names, never references. Occurrences outside
 * strings (text that is not JSON) are problems.
 */
export function scanJson(scan: Scan, text: string): void {
  if (!mayHoldReference(text)) return
  let last = 0
  for (const token of jsonStrings(text)) {
    reportBetween(scan, text, last, token.start)
    last = token.end
    if (!mayHoldReference(token.raw)) continue
    if (token.key) continue
    let value: string
    try {
      value = JSON.parse(text.slice(token.start, token.end)) as string
    } catch {
      report(scan, misplaced(scan, token.start, token.end, 'in a JSON string that does not parse'))
      continue
    }
    scanString(scan, value, token.raw, token.start + 1, { kind: 'json-string' }, 'in a JSON string')
  }
  reportBetween(scan, text, last, text.length)
}

function reportBetween(scan: Scan, text: string, start: number, end: number): void {
  if (end > start) reportLeftovers(scan, text.slice(start, end), start, 'outside a JSON string')
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

/** The string tokens of JSON text, in order. Linear; tolerant of what is not JSON. */
function* jsonStrings(text: string): Generator<JsonString> {
  const length = text.length
  let i = text.indexOf('"')
  while (i !== -1 && i < length) {
    let j = i + 1
    while (j < length && text.charCodeAt(j) !== 34 /* " */) j += text.charCodeAt(j) === 92 /* \ */ ? 2 : 1
    const end = Math.min(j + 1, length)
    let k = end
    while (k < length && /\s/.test(text.charAt(k))) k++
    yield { start: i, end, raw: text.slice(i + 1, Math.max(i + 1, end - 1)), key: text.charAt(k) === ':' }
    i = text.indexOf('"', end)
  }
}
