import { rewriteHtml } from '../core/html.js'
import type { ImageBoss } from '../core/imageboss.js'
import { applyEdits, toProblem, type RewriteResult } from '../core/slots.js'
import { isReference } from '../core/script.js'

/**
 * Rewrite the string values of JSON (and `.webmanifest`) text in place: each string token
 * that is a value (not a key) and whose whole value is a reference becomes its URL; a string
 * holding markup gets its attributes signed. Only those tokens change, so the file's
 * formatting survives byte for byte. Works on any text made of JSON tokens (JSON Lines too).
 */
export function rewriteJson(text: string, boss: ImageBoss, base = 0): RewriteResult {
  const result: RewriteResult = { edits: [], problems: [], count: 0 }
  if (!text.includes('imageboss:')) return result
  for (const token of jsonStrings(text)) {
    if (token.key || !token.raw.includes('imageboss')) continue
    let value: string
    try {
      value = JSON.parse(text.slice(token.start, token.end)) as string
    } catch {
      continue
    }
    const inner = { start: base + token.start + 1, end: base + token.end - 1 }
    const exact = token.raw === value
    if (isReference(value)) {
      try {
        result.edits.push({ ...inner, text: JSON.stringify(boss.url(value)).slice(1, -1) })
        result.count++
      } catch (error) {
        result.problems.push(toProblem(error, inner.start, inner.end, exact))
      }
    } else if (value.includes('<') && value.includes('imageboss:')) {
      const found = rewriteHtml(value, (reference) => boss.url(reference), { fragment: true, image: (reference) => boss.image(reference) })
      for (const problem of found.problems) {
        const at = inner.start + (exact ? problem.start : 0)
        result.problems.push({ ...problem, start: at, end: at })
      }
      if (found.edits.length > 0 && found.problems.length === 0) {
        result.edits.push({ ...inner, text: JSON.stringify(applyEdits(value, found.edits)).slice(1, -1) })
        result.count += found.count
      }
    }
  }
  return result
}

interface JsonString {
  /** Offset of the opening quote. */
  start: number
  /** Offset after the closing quote. */
  end: number
  /** The text between the quotes, escapes undone only if there are none. */
  raw: string
  /** Whether a `:` follows: an object key. */
  key: boolean
}

/** The string tokens of JSON text, in order. Linear; tolerant of what is not JSON. */
export function* jsonStrings(text: string): Generator<JsonString> {
  const length = text.length
  let i = text.indexOf('"')
  while (i !== -1 && i < length) {
    let j = i + 1
    while (j < length && text.charCodeAt(j) !== 34 /* " */) j += text.charCodeAt(j) === 92 /* \ */ ? 2 : 1
    const end = Math.min(j + 1, length)
    let k = end
    while (k < length && /\s/.test(text.charAt(k))) k++
    yield { start: i, end, raw: text.slice(i + 1, end - 1), key: text.charAt(k) === ':' }
    i = text.indexOf('"', end)
  }
}
