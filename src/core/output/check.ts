import { closeSync, openSync, readFileSync, readSync } from 'node:fs'
import { StringDecoder } from 'node:string_decoder'
import { createLocator } from '../location.js'
import type { Problem } from '../problems.js'
import { tokenMatches, type VerifyKeys } from '../verify-urls.js'
import { decodeView, type DecodedView, type DecodeKinds } from './decode.js'
import { findSchemes } from './references.js'
import { compiledSampleRanges, cssCommentRanges, createInside, sampleRanges, type Range } from './samples.js'
import { findSecretBytes, MIN_SECRET_LENGTH, secretForms, type SecretForm } from './secrets.js'
import { findUrls, hostKey } from './urls.js'

/**
 * The last check of what a build ships, on the bytes of each emitted file and nothing else.
 * It shares nothing with the scanners that wrote the output: it knows the spellings of a
 * secret, of an `imageboss:` reference and of an ImageBoss URL, and looks for them.
 */

/** One file the build wrote. */
export interface EmittedFile {
  /** Its name as shown in messages (relative to the output or the project). */
  name: string
  bytes: Uint8Array
  /**
   * Whether browsers are served it (client assets, pages, `public/` files): then references
   * and unsigned URLs are looked for too. Server bundles are searched for secrets only.
   */
  served: boolean
}

export interface OutputCheck {
  /** The problems of one file, located in it (`place.file` is its name). */
  check(file: EmittedFile): Problem[]
  /**
   * The problems of a file on disk, as `check` finds them. A text file larger than a window
   * (1 MiB) is read in windows first, each with a margin past its end longer than anything the
   * check looks for, so that memory is a window's, not the file's; only a file in which a
   * window finds something (a reference, a URL that fails, a secret) is read whole, to tell
   * code samples and locate each problem.
   */
  checkPath(file: DiskFile): Problem[]
  /** Warnings about the check itself (a secret too short to search for), made once. */
  readonly warnings: readonly Problem[]
  /** Whether a problem `check` returned is a warning (an unknown source, by default), not a failure. */
  isWarning(problem: Problem): boolean
  /** How many ImageBoss URLs the files checked so far held (each verified, or reported). */
  readonly urls: number
}

/** A file the build wrote, on disk. */
export interface DiskFile {
  name: string
  path: string
  /** Its size in bytes. */
  size: number
  served: boolean
}

/** How `checkPath` reads large files: the defaults, but in tests. */
export interface OutputCheckOptions {
  /** Characters of text a window holds (default: 1 MiB); a file up to this many bytes is read whole. */
  window?: number | undefined
  /** Characters a window reads past its end (default: 64 KiB). */
  margin?: number | undefined
  /** Told of each file `checkPath` reads whole. */
  onWhole?: ((name: string) => void) | undefined
}

/** The most a compressed file may hold once decompressed: a bomb is reported, not expanded. */
const MAX_DECOMPRESSED = 512 * 1024 * 1024
const DEFAULT_HOST = 'img.imageboss.me'
const SOURCE_MAP_RE = /\.map$/i
const CSS_RE = /\.css$/i
const SCRIPT_RE = /\.[cm]?js$/i
const LINE_COMMENT_RE = /^[ \t]*\/\/.*$/gm
const HEX_ESCAPE_RE = /\\[0-9a-fA-F]/
const URL_READINGS: readonly DecodeKinds[] = [{ entities: true, backslash: 'js' }, { entities: true }]
const UTF16LE_BOM = [0xff, 0xfe]
const UTF16BE_BOM = [0xfe, 0xff]

interface Secret {
  source: string
  secret: string
  forms: SecretForm[]
}

/** Characters read at a time by `checkPath`; files up to this size are read whole. */
const WINDOW = 1024 * 1024
/**
 * What a window reads past its end: longer than an escaped reference or secret and than any
 * URL a page holds. A longer URL is cut at the margin, and a cut URL does not verify: the file
 * is then read whole, which decides.
 */
const MARGIN = 64 * 1024
/**
 * The least margin: an escaped reference (`imageboss:` with each character escaped, 34
 * characters at most each) and a URL's authority (512 characters once decoded, 12 a character
 * escaped at most) that start in a window end in its margin. Escaped secrets get 40 characters
 * a character of the secret.
 */
const MIN_MARGIN = 16 * 1024
/** What a window reads before its start: the context a reference or a URL is told by (`.imageboss:hover`, `https:`). */
const LOOKBEHIND = 1024

export function createOutputCheck(keys: VerifyKeys, options: OutputCheckOptions = {}): OutputCheck {
  const warnings: Problem[] = []
  const secrets: Secret[] = []
  for (const { source, secret } of keys.secrets ?? []) {
    if (secret.length < MIN_SECRET_LENGTH) {
      warnings.push({
        ruleId: 'short-secret',
        reason: `The secret of source \`${source}\` is shorter than ${MIN_SECRET_LENGTH} characters: the output check cannot tell it from ordinary text, so it cannot vouch that no emitted file holds it; use a longer secret (ImageBoss makes 64-character ones)`,
        start: 0,
        end: 0
      })
      continue
    }
    secrets.push({ source, secret, forms: secretForms(secret) })
  }
  const base = new URL(keys.baseUrl)
  const basePath = base.pathname.replace(/\/+$/, '')
  const hosts = new Set([DEFAULT_HOST, hostKey(base.hostname)])
  const urlOf: UrlKeys = { keys, base, basePath, seen: { urls: 0 } }
  return {
    warnings,
    get urls() {
      return urlOf.seen.urls
    },
    isWarning: (problem) => problem.ruleId === 'unknown-source' && keys.unknownSources !== 'error',
    check(file) {
      return checkFile(file, secrets, hosts, urlOf)
    },
    checkPath(file) {
      const window = options.window ?? WINDOW
      if (file.size > window && !/\.(gz|br)$/i.test(file.name)) {
        const margin = Math.max(options.margin ?? MARGIN, MIN_MARGIN, ...secrets.map((secret) => 40 * secret.secret.length))
        const urls = cleanInWindows(file, { window, margin }, secrets, hosts, urlOf)
        if (urls !== undefined) {
          urlOf.seen.urls += urls
          return []
        }
      }
      options.onWhole?.(file.name)
      return checkFile({ name: file.name, bytes: readFileSync(file.path), served: file.served }, secrets, hosts, urlOf)
    }
  }
}

/**
 * Whether a large file is clean, read window by window: the number of ImageBoss URLs it holds
 * (each verified), or `undefined` as soon as a window finds a secret, a reference or a URL
 * that does not verify (in a code sample or not: the caller reads the file whole then). Each
 * window's readings are made as `checkBytes` makes the whole file's; a URL is counted by the
 * window its start falls in.
 */
function cleanInWindows(
  file: DiskFile,
  { window, margin }: { window: number; margin: number },
  secrets: readonly Secret[],
  hosts: ReadonlySet<string>,
  urlKeys: UrlKeys
): number | undefined {
  const served = file.served && !SOURCE_MAP_RE.test(file.name)
  // Bytes searched for secrets keep the end of the chunk before, longer than any form.
  const overlap = Math.max(margin, ...secrets.flatMap((secret) => secret.forms.map((form) => form.bytes.length)))
  const chunk = Buffer.allocUnsafe(window)
  const fd = openSync(file.path, 'r')
  try {
    let tail = Buffer.alloc(0)
    let decoder: Decoder | undefined
    let text = ''
    let textStart = 0
    let own = 0
    let urls = 0
    for (let first = true; ; first = false) {
      const read = readSync(fd, chunk, 0, chunk.length, null)
      const bytes = chunk.subarray(0, read)
      const searched = tail.length > 0 ? Buffer.concat([tail, bytes]) : bytes
      if (secrets.some((secret) => findSecretBytes(searched, secret.forms))) return undefined
      tail = Buffer.from(searched.subarray(Math.max(0, searched.length - overlap)))
      if (first) decoder = decoderOf(bytes)
      if (decoder) {
        text += read > 0 ? decoder.write(bytes) : decoder.end()
        const end = read === 0
        // Each window once the margin after it is read (at the end, what is left).
        while (end ? own < textStart + text.length : textStart + text.length >= own + window + margin) {
          const ownEnd = Math.min(own + window, textStart + text.length)
          const from = Math.max(textStart, own - LOOKBEHIND)
          const slice = text.slice(from - textStart, ownEnd + margin - textStart)
          const cut = !end || from + slice.length < textStart + text.length
          const found = windowUrls(slice, from, own, ownEnd, cut, served, secrets, hosts, urlKeys)
          if (found === undefined) return undefined
          urls += found
          own = ownEnd
          const keep = Math.max(textStart, own - LOOKBEHIND)
          text = text.slice(keep - textStart)
          textStart = keep
        }
      }
      if (read === 0) return urls
    }
  } finally {
    closeSync(fd)
  }
}

interface Decoder {
  write(bytes: Buffer): string
  end(): string
}

/**
 * A streaming decoder for a file's text, as `textOf` reads it; `undefined` for a binary file.
 * Node's `StringDecoder` where it can (its strings of Latin-1 text take a byte a character and
 * are searched faster; `TextDecoder`'s take two).
 */
function decoderOf(bytes: Uint8Array): Decoder | undefined {
  if (startsWith(bytes, UTF16LE_BOM)) return new StringDecoder('utf16le')
  if (startsWith(bytes, UTF16BE_BOM)) {
    const decoder = new TextDecoder('utf-16be')
    return { write: (chunk) => decoder.decode(chunk, { stream: true }), end: () => decoder.decode() }
  }
  if (bytes.subarray(0, 8192).includes(0)) return undefined
  return new StringDecoder('utf8')
}

/**
 * The URLs whose start falls in `[own, ownEnd)` of a window `text` that starts at `from`, each
 * verified; `undefined` if the window holds a secret, a reference or a URL that fails, or a
 * URL that runs to its end when the file goes on (`cut`: the URL may be longer).
 */
function windowUrls(
  text: string,
  from: number,
  own: number,
  ownEnd: number,
  cut: boolean,
  served: boolean,
  secrets: readonly Secret[],
  hosts: ReadonlySet<string>,
  urlKeys: UrlKeys
): number | undefined {
  const readings = [decodeView(text, { entities: true, backslash: 'js', percent: true })]
  if (HEX_ESCAPE_RE.test(text)) readings.push(decodeView(text, { entities: true, backslash: 'css', percent: true }))
  if (secrets.some((secret) => readings.some((view) => view.text.includes(secret.secret)))) return undefined
  if (!served) return 0
  if (readings.some((view) => findSchemes(view.text).length > 0)) return undefined
  const seen = new Set<number>()
  for (const kinds of URL_READINGS) {
    const view = decodeView(text, kinds)
    for (const found of findUrls(view.text, hosts)) {
      const start = from + view.originOf(found.start)
      if (start < own || start >= ownEnd || seen.has(start)) continue
      seen.add(start)
      if ((cut && found.end >= view.text.length) || checkUrl(found.url, urlKeys)) return undefined
    }
  }
  return seen.size
}

interface UrlKeys {
  keys: VerifyKeys
  base: URL
  basePath: string
  /** A count kept across files. */
  seen: { urls: number }
}

/** A locator made when a problem first needs one: a clean file (the usual case) builds no line index nor copy. */
function lazyLocator(textOf: () => string): (offset: number) => { line: number; column: number } {
  let locate: ((offset: number) => { line: number; column: number }) | undefined
  return (offset) => (locate ??= createLocator(textOf()))(offset)
}

function place(problem: Omit<Problem, 'place'>, file: string, locate: (offset: number) => { line: number; column: number }): Problem {
  const point = locate(problem.start)
  return { ...problem, place: { file, line: point.line, column: point.column } }
}

function checkFile(file: EmittedFile, secrets: readonly Secret[], hosts: ReadonlySet<string>, urlKeys: UrlKeys): Problem[] {
  const compressed = /\.(gz|br)$/i.exec(file.name)
  if (compressed) {
    let bytes: Buffer
    try {
      const options = { maxOutputLength: MAX_DECOMPRESSED }
      // Loaded with the first compressed file: most sites ship none, and every check of one pays it.
      const zlib = process.getBuiltinModule('node:zlib')
      bytes = compressed[1]?.toLowerCase() === 'gz' ? zlib.gunzipSync(file.bytes, options) : zlib.brotliDecompressSync(file.bytes, options)
    } catch {
      // Not compressed after all (or beyond the limit): its own bytes are still searched.
      return checkBytes(file, secrets, hosts, urlKeys)
    }
    const inner = checkBytes({ ...file, name: file.name.slice(0, -compressed[0].length), bytes }, secrets, hosts, urlKeys)
    const own = checkBytes({ ...file, served: false }, secrets, hosts, urlKeys)
    return [
      ...own,
      ...inner.map((problem) => ({
        ...problem,
        reason: `${problem.reason} (once decompressed)`,
        place: { ...problem.place, file: file.name, line: problem.place?.line ?? 1, column: problem.place?.column ?? 1 }
      }))
    ]
  }
  return checkBytes(file, secrets, hosts, urlKeys)
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((byte, i) => bytes[i] === byte)
}

/** The text of a file, or `undefined` for a binary one (a NUL in its first 8 KiB, no UTF-16 mark). */
function textOf(bytes: Uint8Array): string | undefined {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (startsWith(bytes, UTF16LE_BOM)) return buffer.subarray(2).toString('utf16le')
  if (startsWith(bytes, UTF16BE_BOM)) return Buffer.from(buffer.subarray(2)).swap16().toString('utf16le')
  if (buffer.subarray(0, 8192).includes(0)) return undefined
  return buffer.toString('utf8')
}

function checkBytes(file: EmittedFile, secrets: readonly Secret[], hosts: ReadonlySet<string>, urlKeys: UrlKeys): Problem[] {
  const problems: Problem[] = []
  const text = textOf(file.bytes)
  // Offsets of byte finds are shown as lines of the bytes read as Latin-1 (one character a byte).
  const bytesLocate = lazyLocator(() => Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength).toString('latin1'))
  for (const secret of secrets) {
    const found = findSecretBytes(file.bytes, secret.forms)
    if (found) problems.push(place(secretProblem(secret, found.encoding, found.offset), file.name, bytesLocate))
  }
  if (text === undefined) return problems
  const locate = lazyLocator(() => text)
  // One reading at a time where they can be: a large file holds one decoded copy, not four.
  // Character references, JavaScript and JSON escapes, percent-encoding; and CSS escapes (`\69 `), where a text may hold them.
  let decoded: DecodedView[] | undefined = [decodeView(text, { entities: true, backslash: 'js', percent: true })]
  if (HEX_ESCAPE_RE.test(text)) decoded.push(decodeView(text, { entities: true, backslash: 'css', percent: true }))
  for (const secret of secrets) {
    // Found in its bytes already, or searched in the readings that undo escapes.
    if (problems.some((problem) => problem.ruleId === 'secret-in-output' && problem.reason.includes(`\`${secret.source}\``))) continue
    for (const view of decoded) {
      const at = view.text.indexOf(secret.secret)
      if (at === -1) continue
      problems.push(place(secretProblem(secret, 'escaped', view.originOf(at)), file.name, locate))
      break
    }
  }
  if (!file.served || SOURCE_MAP_RE.test(file.name)) return problems
  const samples = sampleRangesOf(text, CSS_RE.test(file.name), SCRIPT_RE.test(file.name))
  const seen = new Set<number>()
  for (const view of decoded) {
    const inSample = createInside(samples)
    for (const found of findSchemes(view.text)) {
      const start = view.originOf(found.start)
      if (inSample(start) || seen.has(start)) continue
      seen.add(start)
      const written = text.slice(start, view.originOf(found.end) + 1)
      const spelled = written.toLowerCase().startsWith('imageboss:') ? '' : ' (spelled with escapes or another case)'
      const reason = `Unexpected \`imageboss:\` reference left in the output${whereOf(view.text, found.start)}${spelled}, expected it signed; it reached the output without passing through imageboss-build`
      problems.push(
        place({ ruleId: 'leftover-reference', reason, start, end: start + written.length, reference: referenceAt(view.text, found) }, file.name, locate)
      )
    }
  }
  decoded = undefined
  // Backslashes are kept in markup (a browser reads `\` as `/` in a URL) and undone in scripts:
  // both readings, without percent-decoding (URLs are compared as the browser requests them).
  const seenUrls = new Set<number>()
  for (const kinds of URL_READINGS) {
    const view = decodeView(text, kinds)
    const inSample = createInside(samples)
    for (const found of findUrls(view.text, hosts)) {
      const start = view.originOf(found.start)
      if (inSample(start) || seenUrls.has(start)) continue
      seenUrls.add(start)
      urlKeys.seen.urls++
      const problem = checkUrl(found.url, urlKeys)
      if (problem)
        problems.push(place({ ...problem, start, end: view.originOf(found.end), reference: view.text.slice(found.start, found.end) }, file.name, locate))
    }
  }
  return problems.sort((a, b) => (a.place?.line ?? 0) - (b.place?.line ?? 0) || (a.place?.column ?? 0) - (b.place?.column ?? 0))
}

/** Where a reference sits, as far as a look at the text before it tells: an attribute or a CSS `url()`. */
function whereOf(text: string, at: number): string {
  const before = text.slice(Math.max(0, at - 300), at)
  if (CSS_URL_BEFORE_RE.test(before)) return ' in a CSS `url()`'
  const attribute = ATTRIBUTE_BEFORE_RE.exec(before)?.[1]
  return attribute ? ` in \`${attribute.toLowerCase()}\`` : ''
}

const CSS_URL_BEFORE_RE = /url\(\s*["']?$/i
// Inside a start tag, `name="…`, `name='…` or `name=` right before the reference (a `srcset` list's later candidates too).
const ATTRIBUTE_BEFORE_RE = /<[a-z][^<>]*?[\s"'/]([a-z][\w:-]*)\s*=\s*(?:"[^"<>]*|'[^'<>]*|)$/i

/**
 * What the syntax leaves alone, as ranges of the file's text: code-sample text and comments of
 * markup, read with JavaScript escapes undone (markup in a script's strings is markup) but not
 * character references (`&lt;img …&gt;` in a sample is text); comments of a stylesheet;
 * whole-line `//` comments of a script (a bundler's `//#region imageboss:…` markers) and the
 * text children of its compiled code elements.
 */
function sampleRangesOf(text: string, css: boolean, script: boolean): Range[] {
  if (css) return cssCommentRanges(text)
  const view = decodeView(text, { backslash: 'js' })
  const ranges = sampleRanges(view.text).map((range) => ({ start: view.originOf(range.start), end: view.originOf(range.end) }))
  if (!script) {
    // A page's (or a payload's) React Server Components data, its escapes undone: code elements' text.
    for (const range of compiledSampleRanges(view.text)) ranges.push({ start: view.originOf(range.start), end: view.originOf(range.end) })
    return ranges.sort((a, b) => a.start - b.start)
  }
  for (const match of text.matchAll(LINE_COMMENT_RE)) ranges.push({ start: match.index, end: match.index + match[0].length })
  for (const range of compiledSampleRanges(text)) ranges.push(range)
  return ranges.sort((a, b) => a.start - b.start)
}

function secretProblem(secret: Secret, encoding: string, start: number): Omit<Problem, 'place'> {
  const how = encoding === 'plain' ? '' : encoding === 'escaped' ? ' (escaped)' : ` (as ${encoding})`
  return {
    ruleId: 'secret-in-output',
    reason: `Unexpected secret of source \`${secret.source}\`${how} in an emitted file, which anyone it is served to can read; expected it only in the build's environment (check \`define\`, \`import.meta.env\` and \`process.env\` uses, and data passed to pages)`,
    start,
    end: start
  }
}

/** The reference written at `found`, up to where a value ends, for the message. */
function referenceAt(text: string, found: Range): string {
  const end = text.slice(found.start, found.start + 200).search(/[\s"'<>`(){},\\]|$/)
  return text.slice(found.start, found.start + end)
}

/** The problem of an ImageBoss URL as the browser requests it, if any. */
function checkUrl(url: URL, urlKeys: UrlKeys): Omit<Problem, 'start' | 'end' | 'place'> | undefined {
  const { keys, base, basePath } = urlKeys
  let path = url.pathname
  if (url.host === base.host && basePath) {
    if (!path.startsWith(basePath + '/')) return undefined
    path = path.slice(basePath.length)
  } else if (hostKey(url.hostname) !== DEFAULT_HOST && url.host !== base.host) {
    // The base URL's host on another port: another server.
    return undefined
  }
  // `/source/operation…/file`: a source, and a `/` after the segment that follows it.
  const afterSource = path.indexOf('/', 1)
  if (afterSource === -1 || path.indexOf('/', afterSource + 1) === -1) return undefined
  let source = path.slice(1, afterSource)
  try {
    source = decodeURIComponent(source)
  } catch {
    // Kept as written: no configured source has such a name.
  }
  const key = keys.keyOf(source)
  const tokens = url.searchParams.getAll('bossToken')
  const shown = url.href
  if (!key.known) {
    return {
      ruleId: 'unknown-source',
      reason: `Unexpected ImageBoss URL of source \`${source}\`, which is not configured, so the output check cannot verify it; expected a configured source (\`sources\`, \`IMAGEBOSS_SOURCE\`) or \`unknownSources: 'warn'\``,
      reference: shown
    }
  }
  if (tokens.length === 0) {
    if (!key.signed) return undefined
    return {
      ruleId: 'unsigned-url',
      reason: `Unexpected unsigned URL of source \`${source}\`, which demands signed URLs; expected a \`bossToken\``,
      reference: shown
    }
  }
  if (!key.signed) return undefined
  if (key.sign !== undefined && tokens.length === 1 && (keys.made?.(shown) || tokenMatches(key.sign, path, tokens[0] as string))) return undefined
  const why =
    key.sign === undefined
      ? `no secret is configured for source \`${source}\``
      : tokens.length > 1
        ? 'it is given more than once'
        : `it does not verify with the secret of source \`${source}\` for the path the browser requests (tampered, made with an old secret, for another source, or the URL spelled differently)`
  return { ruleId: 'invalid-token', reason: `Unexpected \`bossToken\`: ${why}`, reference: shown }
}
