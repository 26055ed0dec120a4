// An independent implementation of the ImageBoss URL, written from the spec
// (reference-syntax.md, imageboss-url-api.md). It shares no code with `src/`.
import { createHmac } from 'node:crypto'

/**
 * Encode one path segment the way Go's `url.PathEscape` does: unreserved characters and
 * `:@&=+$` stay, every other byte is `%XX` (uppercase).
 */
export function encodeSegment(segment: string): string {
  return encodeURIComponent(segment)
    .replace(/%(3A|40|26|3D|2B|24)/g, (escaped) => decodeURIComponent(escaped))
    .replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
}

/** Encode a decoded image path (`img/my photo.png`) segment by segment. */
export function encodePath(path: string): string {
  return path
    .split('/')
    .filter((segment) => segment !== '')
    .map(encodeSegment)
    .join('/')
}

/** The signed URL of a hand-written signed path (`/SOURCE/…/PATH`). */
export function signedUrl(signedPath: string, secret: string, base = 'https://img.imageboss.me'): string {
  const token = createHmac('sha256', Buffer.from(secret, 'utf8')).update(signedPath, 'utf8').digest('hex')
  return `${base}${signedPath}?bossToken=${token}`
}

/** The same URL without a token (a source without a secret, in development). */
export function unsignedUrl(signedPath: string, base = 'https://img.imageboss.me'): string {
  return base + signedPath
}

export const SOURCE = 'demo-images'
export const SECRET = 'test-secret-do-not-leak'
export const OPTIONS = { source: SOURCE, secret: SECRET, env: {} }
