// An independent oracle for expected URLs: node:crypto only, sharing no code with src/.
import { createHmac } from 'node:crypto'

/** Hex HMAC-SHA256 of `path` keyed with the UTF-8 bytes of `secret`. */
export function hmac(secret: string, path: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(Buffer.from(path, 'utf8')).digest('hex')
}

/** The URL for a hand-written signed path (`/source/…/path`). */
export function expectedUrl(signedPath: string, secret?: string, base = 'https://img.imageboss.me'): string {
  return base + signedPath + (secret === undefined ? '' : '?bossToken=' + hmac(secret, signedPath))
}

/**
 * Go's `url.PathEscape`, written from its definition: keep `A-Z a-z 0-9 - _ . ~` and
 * `$ & + : = @`, percent-encode every other UTF-8 byte with uppercase hex.
 */
export function goPathEscape(segment: string): string {
  const keep = /[A-Za-z0-9\-_.~$&+:=@]/
  let out = ''
  for (const byte of Buffer.from(segment, 'utf8')) {
    const char = String.fromCharCode(byte)
    out += byte < 0x80 && keep.test(char) ? char : '%' + byte.toString(16).toUpperCase().padStart(2, '0')
  }
  return out
}
