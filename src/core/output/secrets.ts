/**
 * The spellings of a secret that a bundler, a serializer or an encoder can write, as bytes to
 * search for in any emitted file, text or not. Escaped forms (JSON, JavaScript, CSS, HTML,
 * percent-encoding) are found by searching the plain secret in a decoded reading of the text
 * instead (see `decode.ts`): escaping can mix forms character by character.
 */

/** A secret shorter than this could be any word of a page: the check cannot tell it from text. */
export const MIN_SECRET_LENGTH = 12

export interface SecretForm {
  /** What the bytes are, for the message (never the value). */
  encoding: string
  bytes: Buffer
}

/** The characters of `base64` (no padding) that depend on the secret's bytes alone, written after `skip` other bytes. */
function base64Inside(secret: Buffer, skip: number, alphabet: 'base64' | 'base64url'): Buffer {
  const written = Buffer.concat([Buffer.alloc(skip), secret, Buffer.alloc(2)])
    .toString(alphabet)
    .replace(/=+$/, '')
  // Character k holds bits [6k, 6k + 6); the secret's bits are [8·skip, 8·(skip + n)).
  const first = Math.ceil((8 * skip) / 6)
  const last = Math.floor((8 * (skip + secret.length)) / 6)
  return Buffer.from(written.slice(first, last), 'latin1')
}

/** Every byte form of `secret` searched for in emitted files. */
export function secretForms(secret: string): SecretForm[] {
  const utf8 = Buffer.from(secret, 'utf8')
  const forms: SecretForm[] = [
    { encoding: 'plain', bytes: utf8 },
    { encoding: 'UTF-16LE', bytes: Buffer.from(secret, 'utf16le') },
    { encoding: 'UTF-16BE', bytes: Buffer.from(secret, 'utf16le').swap16() },
    { encoding: 'hex', bytes: Buffer.from(utf8.toString('hex'), 'latin1') },
    { encoding: 'hex', bytes: Buffer.from(utf8.toString('hex').toUpperCase(), 'latin1') }
  ]
  // Inside a longer encoded text the secret starts at any of three byte positions of a group.
  for (const skip of [0, 1, 2]) {
    forms.push({ encoding: 'base64', bytes: base64Inside(utf8, skip, 'base64') })
    forms.push({ encoding: 'base64url', bytes: base64Inside(utf8, skip, 'base64url') })
  }
  // A form equal to another (hex of digits only, base64 without `+` or `/`) is searched once.
  const seen = new Set<string>()
  return forms.filter((form) => form.bytes.length > 0 && !seen.has(form.bytes.toString('latin1')) && Boolean(seen.add(form.bytes.toString('latin1'))))
}

/** The first place in `bytes` where any of `forms` occurs, and which. Linear in the bytes for each form. */
export function findSecretBytes(bytes: Uint8Array, forms: readonly SecretForm[]): { offset: number; encoding: string } | undefined {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let found: { offset: number; encoding: string } | undefined
  for (const form of forms) {
    const offset = buffer.indexOf(form.bytes)
    if (offset !== -1 && (found === undefined || offset < found.offset)) found = { offset, encoding: form.encoding }
  }
  return found
}
