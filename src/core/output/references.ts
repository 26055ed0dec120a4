import type { Range } from './samples.js'

/**
 * `imageboss:` followed by what can start a path, in a decoded reading of the text (see
 * `decode.ts`: case, character references, CSS and JavaScript escapes and percent-encoding
 * are undone there). Not a CSS selector or name (`.imageboss:hover`, `my-imageboss:x`) and
 * not a minified object key (`{imageboss:e}`).
 */
const SCHEME_RE = /imageboss:/gi
const PATH_START_RE = /[\w/%.~\-@+=!$&*\u0080-\uffff]/
const NAME_BEFORE_RE = /[\w$.#\-\u0080-\uffff]/
/** An identifier and what can follow an object key's value: `e}`, `e,`, `f(`. */
const KEY_VALUE_RE = /[A-Za-z_$][\w$]*\s*(?:[,})\];(]|$)/y

/** Whether the `imageboss:` at `at` is an object key (`{imageboss:e}`, `,imageboss:e,`). */
function isObjectKey(text: string, at: number): boolean {
  let before = at - 1
  while (before >= 0 && /\s/.test(text[before] as string)) before--
  if (text[before] !== '{' && text[before] !== ',') return false
  KEY_VALUE_RE.lastIndex = at + 'imageboss:'.length
  return KEY_VALUE_RE.test(text)
}

/** Each place in `text` where a reference stands, as ranges of `text`. Linear. */
export function findSchemes(text: string): Range[] {
  const found: Range[] = []
  if (!/imageboss/i.test(text)) return found
  SCHEME_RE.lastIndex = 0
  for (let match = SCHEME_RE.exec(text); match; match = SCHEME_RE.exec(text)) {
    const at = match.index
    const end = at + match[0].length
    const next = text[end]
    if (next === undefined || !PATH_START_RE.test(next)) continue
    if (at > 0 && NAME_BEFORE_RE.test(text[at - 1] as string)) continue
    if (isObjectKey(text, at)) continue
    found.push({ start: at, end })
  }
  return found
}
