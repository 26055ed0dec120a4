import * as crypto from 'node:crypto'

/**
 * The `bossToken` of a path: lowercase hex HMAC-SHA256 of `path`, keyed with the UTF-8 bytes
 * of `secret` (never hex-decoded).
 *
 * @param secret The source's secret (or a `KeyObject` of its UTF-8 bytes).
 * @param path Everything from `/SOURCE` to the end of the image path, exactly as emitted.
 */
export function signPath(secret: string | crypto.KeyObject, path: string): string {
  return crypto.createHmac('sha256', secret).update(path, 'utf8').digest('hex')
}

/** SHA-256's block size, in bytes: the length of HMAC's padded keys. */
const BLOCK = 64
const DIGEST = 32

/**
 * A secret made ready to sign many paths (RFC 2104): HMAC(K, m) = H((K ⊕ opad) ‖ H((K ⊕ ipad)
 * ‖ m)), with both padded keys computed once, so that each token costs two one-shot hashes
 * and no HMAC object. (A `KeyObject` with `createHmac` makes an object, and hashes both
 * padded keys again, for every path.)
 */
export interface SigningKey {
  /** K ⊕ ipad, as a string when each of its bytes is ASCII (hashed as UTF-8, it is the same bytes), else bytes. */
  readonly inner: string | Buffer
  /** K ⊕ opad, then room for the inner digest. */
  readonly outer: Buffer
  /** The key for `createHmac`, on a host without `crypto.hash`. */
  readonly object: crypto.KeyObject
}

/** Make a secret ready to sign. */
export function createSigningKey(secret: string): SigningKey {
  const bytes = Buffer.from(secret, 'utf8')
  let key = bytes
  if (key.length > BLOCK) key = crypto.createHash('sha256').update(key).digest()
  const inner = Buffer.alloc(BLOCK, 0x36)
  const outer = Buffer.alloc(BLOCK + DIGEST, 0x5c)
  for (let index = 0; index < key.length; index++) {
    inner[index] = (inner[index] as number) ^ (key[index] as number)
    outer[index] = (outer[index] as number) ^ (key[index] as number)
  }
  return { inner: inner.every((byte) => byte < 0x80) ? inner.toString('latin1') : inner, outer, object: crypto.createSecretKey(bytes) }
}

/** `crypto.hash` (Node 20.12 and later); hosts without it sign with `createHmac`. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string | Buffer, encoding: string) => string | Buffer }).hash

/** The `bossToken` of `path` (see `signPath`), with a key made by `createSigningKey`. */
export function signWithKey(key: SigningKey, path: string): string {
  if (oneShot === undefined) return signPath(key.object, path)
  const data = typeof key.inner === 'string' ? key.inner + path : Buffer.concat([key.inner, Buffer.from(path, 'utf8')])
  ;(oneShot('sha256', data, 'buffer') as Buffer).copy(key.outer, BLOCK)
  return oneShot('sha256', key.outer, 'hex') as string
}
