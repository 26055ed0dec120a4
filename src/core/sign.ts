import { createHmac, createSecretKey, type KeyObject } from 'node:crypto'

/**
 * The `bossToken` of a path: lowercase hex HMAC-SHA256 of `path`, keyed with the UTF-8 bytes
 * of `secret` (never hex-decoded).
 *
 * @param secret The source's secret, or a key made once with `createSigningKey`.
 * @param path Everything from `/SOURCE` to the end of the image path, exactly as emitted.
 */
export function signPath(secret: string | KeyObject, path: string): string {
  return createHmac('sha256', secret).update(path, 'utf8').digest('hex')
}

/** A reusable HMAC key, so a build does not re-import the secret for every URL. */
export function createSigningKey(secret: string): KeyObject {
  return createSecretKey(Buffer.from(secret, 'utf8'))
}
