import { createHmac, hash } from 'node:crypto'

/**
 * The `bossToken` of a path: lowercase hex HMAC-SHA256 of `path`, keyed with the UTF-8 bytes
 * of `secret` (never hex-decoded).
 *
 * @param secret The source's secret.
 * @param path Everything from `/SOURCE` to the end of the image path, exactly as emitted.
 */
export function signPath(secret: string, path: string): string {
  return createHmac('sha256', secret).update(path, 'utf8').digest('hex')
}

/** Signs paths with one secret: `signPath` with the key's work done once. */
export type PathSigner = (path: string) => string

const BLOCK = 64

/**
 * A signer for one secret. HMAC is H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m)) (RFC 2104): the two
 * padded keys are made once, and each path is written after the inner one in a buffer kept
 * for the signer, so a URL costs two hashes and no HMAC object (0.8× a `createHmac`,
 * bench/RESULTS.md). The buffers stay in this closure; nothing of them is returned.
 */
export function createPathSigner(secret: string): PathSigner {
  let key = Buffer.from(secret, 'utf8')
  if (key.length > BLOCK) key = hash('sha256', key, 'buffer')
  const pad = (fill: number, room: number): Buffer => {
    const padded = Buffer.alloc(BLOCK + room)
    for (let i = 0; i < BLOCK; i++) padded.writeUInt8((key[i] ?? 0) ^ fill, i)
    return padded
  }
  let inner = pad(0x36, 1024)
  const outer = pad(0x5c, 32)
  // Per length of a path, a view of the inner pad and that many bytes after it: signed paths
  // have a few hundred lengths at most, and a view kept beats a `Buffer` made per path.
  let views: Buffer[] = []
  return (path) => {
    // A UTF-8 character takes at most three bytes per UTF-16 code unit.
    if (path.length * 3 > inner.length - BLOCK) {
      const grown = Buffer.alloc(BLOCK + path.length * 3)
      inner.copy(grown, 0, 0, BLOCK)
      inner = grown
      views = []
    }
    const length = inner.write(path, BLOCK)
    const view = (views[length] ??= inner.subarray(0, BLOCK + length))
    hash('sha256', view, 'buffer').copy(outer, BLOCK)
    return hash('sha256', outer, 'hex')
  }
}
