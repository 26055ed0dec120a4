import { closeSync, constants, fstatSync, openSync, readFileSync, readSync, type Stats } from 'node:fs'
import type { TextKind } from '../core/scan/index.js'
import { createDecoder, encodedLength, sniffEncoding, UTF16_MARKERS, type Sniffed } from './encoding.js'
import { HtmlSplitter } from './split-html.js'
import { scriptCuts } from './split-script.js'
import { createTextSplitter, type Cut, type Splitter } from './split-text.js'

/** Bytes read at a time from a large file. */
const CHUNK = 256 * 1024

/** A file opened for reading: its state when opened, its encoding, and its bytes or its descriptor. */
export interface Source {
  /** The open file, for one larger than a piece (read in chunks; `closeSource` closes it); `undefined` for one read whole. */
  fd: number | undefined
  stats: Stats
  sniffed: Sniffed
  /** The whole file, for one no larger than a piece; `undefined` for a larger one, read in chunks. */
  whole: Buffer | undefined
}

/** Why a file could not be opened: gone, a symbolic link or a special file swapped in since it was listed, or an error. */
export type OpenFailure = { failure: 'removed' } | { failure: 'symbolic link' } | { failure: 'special file'; type: SpecialType } | { failure: 'error'; code: string }

/** A file that is no regular file nor directory: reading it would wait (a FIFO) or never end (a device). */
export type SpecialType = 'FIFO' | 'socket' | 'character device' | 'block device'

/** What kind of special file `stats` (or a directory entry) describes, if any. */
export function specialType(stats: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): SpecialType | undefined {
  if (stats.isFIFO()) return 'FIFO'
  if (stats.isSocket()) return 'socket'
  if (stats.isCharacterDevice()) return 'character device'
  if (stats.isBlockDevice()) return 'block device'
  return undefined
}

/**
 * Open `file` without following a symbolic link, and read it whole if it is no larger than
 * `pieceSize` (closing it then), or only its first bytes (the byte order mark) otherwise.
 * Synchronous calls: a site is thousands of small files, and each asynchronous call costs
 * more than the read it waits for (most of `imageboss verify`'s time was spent in them).
 */
export async function openSource(file: string, pieceSize: number): Promise<Source | OpenFailure> {
  let fd: number
  try {
    // Without waiting: a FIFO swapped in since the listing would hold the open until a writer came.
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0))
  } catch (error) {
    const code = codeOf(error)
    // ENXIO: a socket, which cannot be opened.
    return code === 'ENOENT' ? { failure: 'removed' } : code === 'ELOOP' ? { failure: 'symbolic link' } : code === 'ENXIO' ? { failure: 'special file', type: 'socket' } : { failure: 'error', code }
  }
  try {
    const stats = fstatSync(fd)
    const special = specialType(stats)
    if (special) {
      closeSync(fd)
      return { failure: 'special file', type: special }
    }
    if (!stats.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' })
    if (stats.size <= pieceSize) {
      const whole = readFileSync(fd)
      closeSync(fd)
      return { fd: undefined, stats, sniffed: sniffEncoding(whole), whole }
    }
    const head = Buffer.alloc(3)
    readSync(fd, head, 0, 3, 0)
    return { fd, stats, sniffed: sniffEncoding(head), whole: undefined }
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
  const buffer = Buffer.allocUnsafe(CHUNK)
  for (let position = from; position < to; ) {
    const bytesRead = readSync(source.fd as number, buffer, 0, Math.min(CHUNK, to - position), position)
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
    const longest = Math.max(...[...wanted, ...UTF16_MARKERS].map((needle) => needle.length))
    const markers = bomLength === 0 ? UTF16_MARKERS : []
    let utf16 = false
    // The end of the previous chunk, then the start of this one: a needle across the two.
    const seam = Buffer.alloc(2 * longest)
    let kept = 0
    for await (const chunk of readBytes(source, bomLength)) {
      const joined = chunk.copy(seam, kept, 0, Math.min(chunk.length, longest)) + kept
      const within = (needle: Buffer) => chunk.includes(needle) || seam.subarray(0, joined).includes(needle)
      if (wanted.some(within)) return 'found'
      utf16 ||= markers.some(within)
      kept = Math.min(longest, chunk.length)
      chunk.copy(seam, 0, chunk.length - kept)
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

/** A piece of a file's text: where it starts, in characters (of the text without its byte order mark) and in bytes (of the file). */
export interface Piece {
  text: string
  start: number
  byteStart: number
  /** What the scanner reads before the piece, to read it as it reads the whole file (see `Cut`). */
  prefix: string
  /** A piece of a script cut at top-level statements (see `split-script.ts`), to be parsed with `parseScriptPiece`. */
  statements?: true
}

/** How a text of `kind` may be cut as it is read; scripts are cut once read (see `scriptPieces`). */
function splitterFor(kind: TextKind): Splitter | undefined {
  return kind === 'html' ? new HtmlSplitter() : kind === 'script' ? undefined : createTextSplitter(kind)
}

/**
 * The pieces of a large script, read whole: the tokenizer needs all of it, but keeps nothing
 * of it, unlike a parse (see `scriptCuts`).
 */
async function* scriptPieces(source: Source, pieceSize: number): AsyncGenerator<Piece> {
  const { encoding, bomLength } = source.sniffed
  const decoder = createDecoder(encoding)
  let text = ''
  for await (const chunk of readBytes(source, bomLength)) text += decode(decoder, chunk)
  text += decode(decoder)
  const cuts = scriptCuts(text, pieceSize) ?? []
  let start = 0
  let byteStart = bomLength
  for (const end of [...cuts, text.length]) {
    const piece = text.slice(start, end)
    yield { text: piece, start, byteStart, prefix: '', ...(cuts.length > 0 ? { statements: true as const } : {}) }
    byteStart += encodedLength(piece, encoding)
    start = end
  }
}

/**
 * The text of the file, decoded, in pieces of at least `pieceSize` characters where it may
 * be cut (see `split-text.ts`), else whole. Throws a `TypeError` on bytes that are not
 * valid in the file's encoding.
 */
export async function* readPieces(source: Source, kind: TextKind, pieceSize: number): AsyncGenerator<Piece> {
  if (kind === 'script' && !source.whole) {
    yield* scriptPieces(source, pieceSize)
    return
  }
  const { encoding, bomLength } = source.sniffed
  const splitter = source.whole ? undefined : splitterFor(kind)
  const decoder = createDecoder(encoding)
  // The text from `start` on, decoded and not yet in a piece.
  let pending = ''
  let start = 0
  let byteStart = bomLength
  let prefix = splitter?.first ?? ''
  const take = (cut: Cut): Piece => {
    const piece = { text: pending.slice(0, cut.at - start), start, byteStart, prefix }
    pending = pending.slice(cut.at - start)
    start = cut.at
    byteStart += encodedLength(piece.text, encoding)
    prefix = cut.prefix
    return piece
  }
  for await (const chunk of readBytes(source, bomLength)) {
    const text = decode(decoder, chunk)
    if (text.length === 0) continue
    pending += text
    for (const cut of splitter?.feed(text) ?? []) if (cut.at - start >= pieceSize) yield take(cut)
  }
  pending += decode(decoder)
  if (pending.length > 0 || start === 0) yield take({ at: start + pending.length, prefix: '' })
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
