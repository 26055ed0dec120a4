import { decodeHTML } from 'entities'

/**
 * One reading of a text with its escapes undone, and the way back to the text's offsets.
 * The output check searches this reading, so that a reference, an ImageBoss URL or a secret
 * is found however a page, a stylesheet, a script or a serializer spelled it.
 */
export interface DecodedView {
  /** The text with every escape of the chosen kinds replaced by what it stands for. */
  text: string
  /** The offset in the original text of an offset in `text`. */
  originOf(offset: number): number
}

export interface DecodeKinds {
  /** `&#105;`, `&#x2F;`, `&colon;`, `&amp;` (HTML and XML character references). */
  entities?: boolean
  /** `\u0069`, `\u{69}`, `\x69`, `\/`, `\"` (JavaScript and JSON), or with `css` CSS's `\69 ` and `\/`. */
  backslash?: 'js' | 'css' | undefined
  /** `%69`, `%3A`, runs of UTF-8 bytes (`%C3%A9`). */
  percent?: boolean
}

// Numeric references may end without `;` as browsers read them; named ones are taken with their `;`.
const ENTITY_RE = /&(?:#[xX][0-9a-fA-F]{1,8};?|#[0-9]{1,10};?|[A-Za-z][A-Za-z0-9]{0,31};)/y
const JS_ESCAPE_RE = /\\(?:u\{([0-9a-fA-F]{1,8})\}|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|(\r\n|[\s\S]))/y
const CSS_ESCAPE_RE = /\\(?:([0-9a-fA-F]{1,6})(?:\r\n|[ \t\n\r\f])?|(\r\n|[\s\S]))/y
const PERCENT_RUN_RE = /(?:%[0-9a-fA-F]{2})+/y
const LINE_CONTINUATION_RE = /^(?:\r\n|[\n\r\u2028\u2029])$/
const utf8 = new TextDecoder('utf-8')

/** The character for a code point, or U+FFFD for one that is not a scalar value. */
function fromCodePoint(code: number): string {
  return code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ? '\ufffd' : String.fromCodePoint(code)
}

/**
 * Undo, in one left-to-right pass, every escape of `kinds` in `text`. One pass means one
 * layer: `&amp;#105;` reads `&#105;`, as a browser shows it, not `i`. Linear in the text; a
 * text without `&`, `\` or `%` is returned as it is.
 */
export function decodeView(text: string, kinds: DecodeKinds): DecodedView {
  const starts = (kinds.entities ? '&' : '') + (kinds.backslash ? '\\' : '') + (kinds.percent ? '%' : '')
  const startRe = starts ? new RegExp(`[${starts.replace(/[\\\]]/g, '\\$&')}]`, 'g') : undefined
  if (!startRe || !startRe.test(text)) return { text, originOf: (offset) => offset }
  startRe.lastIndex = 0
  const parts: string[] = []
  // Where the distance between the two texts changes: decoded offset → original offset.
  const decodedAt: number[] = [0]
  const originAt: number[] = [0]
  let length = 0
  let copied = 0
  for (let match = startRe.exec(text); match; match = startRe.exec(text)) {
    const at = match.index
    const found = decodeAt(text, at, kinds)
    if (!found) continue
    parts.push(text.slice(copied, at), found.value)
    length += at - copied + found.value.length
    copied = found.end
    decodedAt.push(length)
    originAt.push(found.end)
    startRe.lastIndex = found.end
  }
  parts.push(text.slice(copied))
  return {
    text: parts.join(''),
    originOf(offset) {
      // The last anchor at or before `offset`; inside a decoded escape, its start.
      let low = 0
      let high = decodedAt.length - 1
      while (low < high) {
        const middle = (low + high + 1) >> 1
        if ((decodedAt[middle] as number) <= offset) low = middle
        else high = middle - 1
      }
      return (originAt[low] as number) + (offset - (decodedAt[low] as number))
    }
  }
}

function decodeAt(text: string, at: number, kinds: DecodeKinds): { value: string; end: number } | undefined {
  const char = text[at]
  if (char === '&') {
    ENTITY_RE.lastIndex = at
    const match = ENTITY_RE.exec(text)
    if (!match) return undefined
    const value = decodeHTML(match[0])
    return value === match[0] ? undefined : { value, end: at + match[0].length }
  }
  if (char === '\\') return kinds.backslash === 'css' ? decodeCss(text, at) : decodeJs(text, at)
  PERCENT_RUN_RE.lastIndex = at
  const match = PERCENT_RUN_RE.exec(text)
  if (!match) return undefined
  const bytes = Buffer.from(match[0].replace(/%/g, ''), 'hex')
  return { value: utf8.decode(bytes), end: at + match[0].length }
}

function decodeJs(text: string, at: number): { value: string; end: number } | undefined {
  JS_ESCAPE_RE.lastIndex = at
  const match = JS_ESCAPE_RE.exec(text)
  if (!match) return undefined
  const [whole, braced, four, two, other] = match
  const end = at + whole.length
  if (braced !== undefined) return { value: fromCodePoint(Number.parseInt(braced, 16)), end }
  if (four !== undefined) return { value: String.fromCharCode(Number.parseInt(four, 16)), end }
  if (two !== undefined) return { value: String.fromCharCode(Number.parseInt(two, 16)), end }
  const value = other as string
  if (LINE_CONTINUATION_RE.test(value)) return { value: '', end }
  const named: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', '0': '\0' }
  return { value: named[value] ?? value, end }
}

function decodeCss(text: string, at: number): { value: string; end: number } | undefined {
  CSS_ESCAPE_RE.lastIndex = at
  const match = CSS_ESCAPE_RE.exec(text)
  if (!match) return undefined
  const [whole, hex, other] = match
  const end = at + whole.length
  if (hex !== undefined) {
    const code = Number.parseInt(hex, 16)
    return { value: code === 0 ? '\ufffd' : fromCodePoint(code), end }
  }
  return { value: LINE_CONTINUATION_RE.test(other as string) || other === '\f' ? '' : (other as string), end }
}
