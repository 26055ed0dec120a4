import { closeSync, constants, fstatSync, openSync, readFileSync, readSync, type Stats } from 'node:fs'
import { createDecoder, sniffEncoding, UTF16_MARKERS, type Sniffed } from './encoding.js'

/** Bytes read at a time from a large file, at most. */
const CHUNK = 256 * 1024

/** A file opened for reading: its state when opened, its encoding, and its bytes or its descriptor. */
export interface Source {
  /** The open file, for one larger than a chunk (read in chunks; `closeSource` closes it); `undefined` for one read whole. */
  fd: number | undefined
  stats: Stats
  sniffed: Sniffed
  /** The whole file, for one no larger than a chunk; `undefined` for a larger one, read in chunks. */
  whole: Buffer | undefined
  /** Bytes read at a time from a file read in chunks. */
  chunk: number
}

/** Why a file could not be opened: gone, a symbolic link or a special file swapped in since it was listed, or an error. */
export type OpenFailure =
  { failure: 'removed' } | { failure: 'symbolic link' } | { failure: 'special file'; type: SpecialType } | { failure: 'error'; code: string }

/** A file that is no regular file nor directory: reading it would wait (a FIFO) or never end (a device). */
export type SpecialType = 'FIFO' | 'socket' | 'character device' | 'block device'

/** What kind of special file `stats` (or a directory entry) describes, if any. */
export function specialType(stats: {
  isFIFO(): boolean
  isSocket(): boolean
  isCharacterDevice(): boolean
  isBlockDevice(): boolean
}): SpecialType | undefined {
  if (stats.isFIFO()) return 'FIFO'
  if (stats.isSocket()) return 'socket'
  if (stats.isCharacterDevice()) return 'character device'
  if (stats.isBlockDevice()) return 'block device'
  return undefined
}

/**
 * Open `file` without following a symbolic link, and read it whole if it is no larger than
 * `chunkSize` (closing it then), or only its first bytes (the byte order mark) otherwise.
 * Synchronous calls: a site is thousands of small files, and each asynchronous call costs
 * more than the read it waits for (most of `imageboss verify`'s time was spent in them).
 */
export async function openSource(file: string, chunkSize: number): Promise<Source | OpenFailure> {
  let fd: number
  try {
    // Without waiting: a FIFO swapped in since the listing would hold the open until a writer came.
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0))
  } catch (error) {
    const code = codeOf(error)
    // ENXIO: a socket, which cannot be opened.
    return code === 'ENOENT'
      ? { failure: 'removed' }
      : code === 'ELOOP'
        ? { failure: 'symbolic link' }
        : code === 'ENXIO'
          ? { failure: 'special file', type: 'socket' }
          : { failure: 'error', code }
  }
  try {
    const stats = fstatSync(fd)
    const special = specialType(stats)
    if (special) {
      closeSync(fd)
      return { failure: 'special file', type: special }
    }
    if (!stats.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' })
    if (stats.size <= chunkSize) {
      const whole = readFileSync(fd)
      closeSync(fd)
      return { fd: undefined, stats, sniffed: sniffEncoding(whole), whole, chunk: CHUNK }
    }
    const head = Buffer.alloc(3)
    readSync(fd, head, 0, 3, 0)
    return { fd, stats, sniffed: sniffEncoding(head), whole: undefined, chunk: Math.max(1, Math.min(CHUNK, chunkSize)) }
  } catch (error) {
    closeSync(fd)
    return { failure: 'error', code: codeOf(error) }
  }
}

/** Close a source's file, if it is still open. */
export function closeSource(source: Source): void {
  if (source.fd !== undefined) closeSync(source.fd)
  source.fd = undefined
}

/**
 * The bytes of the file from `from` (up to `to`), in chunks. Each chunk is valid until the
 * next is asked for: one buffer is read into again and again, so that reading a large file
 * leaves no garbage behind (memory outside the JavaScript heap is reclaimed late).
 */
export async function* readBytes(source: Source, from: number, to = Infinity): AsyncGenerator<Buffer> {
  if (source.whole) {
    yield source.whole.subarray(from, to)
    return
  }
  const buffer = Buffer.allocUnsafe(source.chunk)
  for (let position = from; position < to;) {
    const bytesRead = readSync(source.fd as number, buffer, 0, Math.min(source.chunk, to - position), position)
    if (bytesRead === 0) return
    position += bytesRead
    yield buffer.subarray(0, bytesRead)
  }
}

/** Whether the file's bytes are valid text in the encoding it was sniffed as, read in chunks. */
export async function isValidText(source: Source): Promise<boolean> {
  const decoder = createDecoder(source.sniffed.encoding)
  try {
    for await (const chunk of readBytes(source, source.sniffed.bomLength)) decoder.decode(chunk, { stream: true })
    decoder.decode()
    return true
  } catch {
    return false
  }
}

/** What a file holds of the strings a command looks for. */
export type Found = 'found' | 'absent' | 'utf-16 without a byte order mark' | 'invalid'

/**
 * Whether the file holds any of `needles`, read in chunks (so that a file too large to
 * process still tells whether it matters). UTF-8 is searched as bytes, without decoding, so
 * a file in another ASCII-based encoding that holds no reference is no problem; UTF-16
 * with a byte order mark is decoded. A UTF-8 file that holds `imageboss` only as UTF-16
 * would needs a byte order mark to be read.
 */
export async function findNeedles(source: Source, needles: readonly string[]): Promise<Found> {
  const { encoding, bomLength } = source.sniffed
  if (encoding === 'utf-8') {
    const wanted = needles.map((needle) => Buffer.from(needle, 'utf8'))
    const keep = Math.max(...[...wanted, ...UTF16_MARKERS].map((needle) => needle.length)) - 1
    const markers = bomLength === 0 ? UTF16_MARKERS : []
    let utf16 = false
    // The last bytes of what came before: a needle across two chunks (or several small ones).
    let tail = Buffer.alloc(0)
    for await (const chunk of readBytes(source, bomLength)) {
      const seam = Buffer.concat([tail, chunk.subarray(0, keep)])
      const within = (needle: Buffer) => chunk.includes(needle) || seam.includes(needle)
      if (wanted.some(within)) return 'found'
      utf16 ||= markers.some(within)
      // A copy: the chunk's buffer is read into again.
      tail = Buffer.from(chunk.length >= keep ? chunk.subarray(chunk.length - keep) : Buffer.concat([tail, chunk]).subarray(-keep))
    }
    return utf16 ? 'utf-16 without a byte order mark' : 'absent'
  }
  const decoder = createDecoder(encoding)
  const longest = Math.max(...needles.map((needle) => needle.length))
  let tail = ''
  try {
    for await (const chunk of readBytes(source, bomLength)) {
      const window = tail + decoder.decode(chunk, { stream: true })
      if (needles.some((needle) => window.includes(needle))) return 'found'
      tail = window.slice(-longest)
    }
    return needles.some((needle) => (tail + decoder.decode()).includes(needle)) ? 'found' : 'absent'
  } catch {
    return 'invalid'
  }
}

/** A part of a file's text as it is written out: where it starts, in characters (of the text without its byte order mark) and in bytes (of the file). */
export interface TextPart {
  text: string
  start: number
  byteStart: number
}

/**
 * The text of the file, decoded, in the chunks it is read in (one, for a file read whole).
 * Throws a `DecodeError` on bytes that are not valid in the file's encoding.
 */
export async function* readText(source: Source): AsyncGenerator<string> {
  const { encoding, bomLength } = source.sniffed
  const decoder = createDecoder(encoding)
  for await (const chunk of readBytes(source, bomLength)) {
    const text = decode(decoder, chunk)
    if (text.length > 0) yield text
  }
  const rest = decode(decoder)
  if (rest.length > 0) yield rest
}

/** Bytes that are not valid in the file's encoding. */
export class DecodeError extends Error {}

function decode(decoder: TextDecoder, chunk?: Uint8Array): string {
  try {
    return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode()
  } catch (error) {
    throw new DecodeError(error instanceof Error ? error.message : String(error))
  }
}

function codeOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return typeof code === 'string' ? code : error instanceof Error ? error.message : 'error'
}
