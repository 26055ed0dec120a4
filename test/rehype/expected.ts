// The expected URLs of the rehype tests, from the one independent oracle (test/helpers/expected.ts:
// node:crypto and Go's PathEscape, sharing no code with `src/`).
import { expectedUrl, goPathEscape } from '../helpers/expected.js'

/**
 * Encode one path segment the way Go's `url.PathEscape` does: unreserved characters and
 * `:@&=+$` stay, every other byte is `%XX` (uppercase).
 */
export const encodeSegment = goPathEscape

/** Encode a decoded image path (`img/my photo.png`) segment by segment. */
export function encodePath(path: string): string {
  return path
    .split('/')
    .filter((segment) => segment !== '')
    .map(goPathEscape)
    .join('/')
}

/** The signed URL of a hand-written signed path (`/SOURCE/…/PATH`). */
export function signedUrl(signedPath: string, secret: string, base = 'https://img.imageboss.me'): string {
  return expectedUrl(signedPath, secret, base)
}

/** The same URL without a token (a source without a secret, in development). */
export function unsignedUrl(signedPath: string, base = 'https://img.imageboss.me'): string {
  return expectedUrl(signedPath, undefined, base)
}

export const SOURCE = 'demo-images'
export const SECRET = 'test-secret-do-not-leak'
export const OPTIONS = { source: SOURCE, secret: SECRET, env: {} }
/** The same in development (`production: false`): problems are warnings on the file, and it passes. */
export const DEV_OPTIONS = { ...OPTIONS, production: false }
