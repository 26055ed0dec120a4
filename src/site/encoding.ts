/**
 * Text encodings of built files. A byte order mark decides, as in browsers: UTF-8 (with or
 * without one) or UTF-16 in either byte order. A file is written back in the encoding it was
 * read in, its byte order mark included, so a rewrite changes only the URLs.
 */
export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be'

export interface Sniffed {
  encoding: Encoding
  /** Bytes of the byte order mark (0 without one): kept as they are, never scanned. */
  bomLength: number
}

/** The encoding of a file from its first bytes (at least 3 of them when the file has them). */
export function sniffEncoding(head: Uint8Array): Sniffed {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 }
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 }
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 }
  return { encoding: 'utf-8', bomLength: 0 }
}

/** A decoder that throws on bytes that are not valid in `encoding` and keeps any U+FEFF it meets. */
export function createDecoder(encoding: Encoding): TextDecoder {
  return new TextDecoder(encoding, { fatal: true, ignoreBOM: true })
}

export function encode(text: string, encoding: Encoding): Buffer {
  if (encoding === 'utf-8') return Buffer.from(text, 'utf8')
  const bytes = Buffer.from(text, 'utf16le')
  return encoding === 'utf-16be' ? bytes.swap16() : bytes
}

/** How many bytes `text` takes in `encoding`. */
export function encodedLength(text: string, encoding: Encoding): number {
  return encoding === 'utf-8' ? Buffer.byteLength(text, 'utf8') : 2 * text.length
}

/** `imageboss` as UTF-16 without a byte order mark would hold it: a file that needs one to be read. */
export const UTF16_MARKERS: readonly Buffer[] = [encode('imageboss', 'utf-16le'), encode('imageboss', 'utf-16be')]

/** A description of `encoding` for messages. */
export function encodingName(sniffed: Sniffed): string {
  const name = sniffed.encoding === 'utf-8' ? 'UTF-8' : sniffed.encoding === 'utf-16le' ? 'UTF-16LE' : 'UTF-16BE'
  return sniffed.bomLength > 0 ? `${name} with a byte order mark` : name
}
