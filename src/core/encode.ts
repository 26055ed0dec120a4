// Bytes kept as they are in a path segment: the set of Go's `url.PathEscape`,
// the encoder of the official Go client, so paths sign exactly as that client signs them.
const KEEP = new Uint8Array(128)
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~:@&=+$') {
  KEEP[c.charCodeAt(0)] = 1
}
const HEX = '0123456789ABCDEF'
const encoder = new TextEncoder()
const SAFE_SEGMENT_RE = /^[\w.~:@&=+$-]*$/

/** What `encodeURIComponent` writes differently from Go's `PathEscape`: kept there, escaped here, or the reverse. */
const URI_COMPONENT_DIFFERENCE_RE = /%(?:3A|40|26|3D|2B|24)|[!'()*]/g

/** Percent-encode one path segment (UTF-8, uppercase hex), keeping Go's `PathEscape` set. */
export function encodeSegment(segment: string): string {
  if (SAFE_SEGMENT_RE.test(segment)) return segment
  let encoded: string | undefined
  try {
    // Native UTF-8 percent-encoding is several times faster than encoding byte by byte.
    encoded = encodeURIComponent(segment)
  } catch {
    // A lone surrogate: written as U+FFFD below, as `TextEncoder` does.
    encoded = undefined
  }
  if (encoded !== undefined) return encoded.replace(URI_COMPONENT_DIFFERENCE_RE, swapEscape)
  let out = ''
  for (const byte of encoder.encode(segment)) {
    out += byte < 128 && KEEP[byte] === 1 ? String.fromCharCode(byte) : '%' + HEX[byte >> 4] + HEX[byte & 15]
  }
  return out
}

function swapEscape(match: string): string {
  return match.length === 3 ? String.fromCharCode(parseInt(match.slice(1), 16)) : '%' + match.charCodeAt(0).toString(16).toUpperCase()
}

const PERCENT_RE = /%(?![\dA-Fa-f]{2})/

/**
 * Percent-decode once, strictly: a `%` without two hex digits, or bytes that are not UTF-8,
 * give the offset of the problem instead of a string.
 */
export function decodeStrict(value: string): string | { offset: number; reason: string } {
  if (!value.includes('%')) return value
  const bad = PERCENT_RE.exec(value)
  if (bad) {
    return { offset: bad.index, reason: `Unexpected \`%\` not followed by two hex digits, expected \`%25\` for a literal \`%\`` }
  }
  try {
    return decodeURIComponent(value)
  } catch {
    return { offset: value.indexOf('%'), reason: 'Unexpected percent-encoded bytes that are not UTF-8, expected UTF-8' }
  }
}

/** Decode a query component as `URLSearchParams` does: `+` is a space, lenient percent-decoding. */
export function decodeForm(value: string): string {
  const spaced = value.includes('+') ? value.replaceAll('+', ' ') : value
  if (!spaced.includes('%')) return spaced
  try {
    return decodeURIComponent(spaced)
  } catch {
    return new URLSearchParams('k=' + value).get('k') ?? ''
  }
}
