import path from 'node:path'
import type { Edit } from '../core/edits.js'
import type { ImageAttributes } from '../core/imageboss.js'
import { createLocator } from '../core/location.js'
import type { RuleId } from '../core/errors.js'
import type { Problem } from '../core/problems.js'
import type { TextSegment } from '../core/scan/segments.js'
import type { Signer, TextKind } from '../core/scan/index.js'
import { kindOfFile } from '../core/scan/kinds.js'
import { encodedLength, encodingName } from './encoding.js'
import type { Interrupt } from './interrupt.js'
import { reclaimGarbageEarly } from './memory.js'
import { FileWriter, WriteFailure } from './file-writer.js'
import type { Settings } from './settings.js'
import { closeSource, DecodeError, findNeedles, isValidText, openSource, readText, type TextPart, type Source, type SpecialType } from './source.js'

/** One located message about a file. */
export interface Reported {
  line: number
  column: number
  /** A rule id: every one is in `RULES` and docs/messages.md, the CLI's file-system errors included. */
  rule: RuleId
  message: string
  /** The reference or URL concerned (optional). */
  value?: string
}

/** Why a file was not read through: counted by reason in the summary line. */
export type SkipReason = 'symbolic link' | 'special file' | 'too large' | 'unsupported encoding' | 'unreadable' | 'removed during the run'

/** What happened to one file; plain data, sent back by worker threads. */
export interface FileReport {
  file: string
  /** References rewritten (or that would be), or URLs checked by `verify`. */
  count: number
  /** Whether the file was (or would be) rewritten. */
  changed: boolean
  /** Problems (`rewrite`) or findings (`verify`). */
  reports: Reported[]
  /** Whether the file failed: `rewrite` left it untouched. */
  failed: boolean
  /** Why the file was not read through, if it was not. */
  skipped?: SkipReason
  /** Whether a stop request (a signal) came first: the file was left as it was. */
  interrupted?: boolean
}

export type Command = 'rewrite' | 'verify'

export interface FileOptions {
  command: Command
  dryRun: boolean
  /** Larger files are not read (`--max-file-size`). */
  maxFileSize: number
  /** Larger files are read in chunks of this many bytes: scripts are joined, other kinds streamed. */
  chunkSize: number
  /** Whether to have V8 reclaim memory early once a file is read in chunks (`reclaimGarbageEarly`). */
  reclaimEarly: boolean
}

/** Rewrite or verify one file. Never throws: every failure is in the report. */
export async function processFile(file: string, settings: Settings, options: FileOptions, interrupt: Interrupt): Promise<FileReport> {
  const report: FileReport = { file, count: 0, changed: false, reports: [], failed: false }
  const kind = kindOfFile(file)
  if (!kind) return report
  if (interrupt.requested) return { ...report, interrupted: true }
  const source = await openSource(path.resolve(settings.cwd, file), options.chunkSize)
  if ('failure' in source) {
    if (source.failure === 'removed') return { ...report, skipped: 'removed during the run' }
    if (source.failure === 'symbolic link') return { ...report, skipped: 'symbolic link' }
    if (source.failure === 'special file')
      return { ...report, reports: [{ line: 1, column: 1, rule: 'special-file', message: specialMessage(source.type) }], skipped: 'special file' }
    return fail(report, 'unreadable', 'read-error', `Unexpected error reading the file (${source.code})`)
  }
  if (!source.whole && options.reclaimEarly) reclaimGarbageEarly()
  try {
    return await processSource({ report, source, kind, settings, options, interrupt })
  } finally {
    closeSource(source)
  }
}

/** One open file of a run, and what the run is. */
interface FileJob {
  report: FileReport
  source: Source
  kind: TextKind
  settings: Settings
  options: FileOptions
  interrupt: Interrupt
}

async function processSource(job: FileJob): Promise<FileReport> {
  const { report, source, settings, options } = job
  const verify = options.command === 'verify'
  const needles = verify ? ['imageboss', settings.project.keys.baseUrl + '/'] : ['imageboss']
  let found
  try {
    found = await findNeedles(source, needles)
  } catch (error) {
    return fail(report, 'unreadable', 'read-error', `Unexpected error reading the file (${codeOf(error)})`)
  }
  if (found === 'absent') return report
  const size = source.stats.size
  if (size > options.maxFileSize) {
    const what = verify ? 'checked' : 'rewritten'
    return fail(
      report,
      'too large',
      'file-too-large',
      `Unexpected file of ${formatSize(size)}, larger than the limit of ${formatSize(options.maxFileSize)}: it is not ${what} and is left as it is; raise \`--max-file-size\` to have it ${what}`
    )
  }
  if (found === 'utf-16 without a byte order mark') {
    return fail(
      report,
      'unsupported encoding',
      'unsupported-encoding',
      'Unexpected UTF-16 text without a byte order mark, expected UTF-8, or UTF-16 with a byte order mark; the file is left as it is'
    )
  }
  if (found === 'invalid') return fail(report, 'unsupported encoding', 'unsupported-encoding', notValid(source))
  // `verify` is the output check alone (run over the whole site afterwards): what is said here
  // is only why a file could not be read.
  if (verify) return (await isValidText(source)) ? report : fail(report, 'unsupported encoding', 'unsupported-encoding', notValid(source))
  return scanSource(job)
}

/**
 * Scan the file, writing each rewritten part to the temporary file as it comes (a streamed
 * file part by part, a script at once). A problem anywhere leaves the file as it
 * was (the temporary file is removed), but the rest is still scanned, so that every problem of
 * the file is reported in one run.
 */
async function scanSource({ report, source, kind, settings, options, interrupt }: FileJob): Promise<FileReport> {
  const target = path.resolve(settings.cwd, report.file)
  // A streamed page whose `priority` images come after its `<head>` is read twice: the second
  // pass, told of them, preloads them from the `<head>` (a page read whole needs one pass).
  let preloads: readonly ImageAttributes[] | undefined
  for (;;) {
    const writer = options.command === 'rewrite' && !options.dryRun ? new FileWriter(source, target, interrupt) : undefined
    const place = new Place()
    const pass: FileReport = { ...report, count: 0, changed: false, reports: [], failed: false }
    let found: readonly ImageAttributes[]
    try {
      const parts = scanParts(source, kind, settings, preloads)
      let next
      while (!(next = await parts.next()).done) {
        const part = next.value
        if (interrupt.requested) return discard({ ...pass, interrupted: true }, writer)
        place.report(pass, part.piece.text, part.problems)
        pass.count += part.count
        if (options.command === 'rewrite' && !pass.failed) {
          const text = applyEdits(part.piece.text, part.edits)
          pass.changed ||= text !== part.piece.text
          await writer?.write(part.piece, text)
        }
        place.advance(part.piece.text)
      }
      found = next.value
      place.finish(pass)
    } catch (error) {
      return discard(failure(pass, source, error), writer)
    }
    if (pass.failed && options.command === 'rewrite') return discard({ ...pass, count: 0, changed: false }, writer)
    if (found.length > 0 && options.command === 'rewrite' && preloads === undefined) {
      const left = await discard(pass, writer)
      if (left.failed) return left
      preloads = found
      continue
    }
    return writer ? commit(pass, writer) : pass
  }
}

/** A part of the file with its edits and problems (offsets in the part). */
interface ScannedPart {
  piece: TextPart
  edits: Edit[]
  problems: Problem[]
  count: number
}

/** Segments of a streamed file signed by one instance, whose memoised URLs are then let go. */
const SEGMENTS_PER_SIGNER = 16

/**
 * The file through the core: a large file streamed through its tokenizer, segment by
 * segment as it settles; a script whole, in one part.
 */
async function* scanParts(
  source: Source,
  kind: TextKind,
  settings: Settings,
  preloads: readonly ImageAttributes[] | undefined
): AsyncGenerator<ScannedPart, readonly ImageAttributes[]> {
  const { encoding, bomLength } = source.sniffed
  let byteStart = bomLength
  const piece = (text: string, start: number): TextPart => {
    const made = { text, start, byteStart }
    byteStart += encodedLength(text, encoding)
    return made
  }
  // The scanners (and parse5, acorn) load with the first file that needs them: `verify` and a
  // site without references never do.
  const { streams, scanText } = await loadScanners()
  const createStream = kind === 'script' ? undefined : streams[kind]
  if (createStream && !source.whole) {
    let signer: Signer = settings.project.createImageBoss()
    let signed = 0
    const options = {
      signer: { url: (reference: string) => signer.url(reference), image: (reference: string) => (signer.image as NonNullable<Signer['image']>)(reference) }
    }
    const stream = createStream(kind === 'html' ? { ...options, preloads } : options)
    const part = (segment: TextSegment): ScannedPart => {
      if (++signed % SEGMENTS_PER_SIGNER === 0) signer = settings.project.createImageBoss()
      return { piece: piece(segment.text, segment.start), edits: segment.edits, problems: segment.problems, count: segment.count }
    }
    for await (const chunk of readText(source)) {
      const segment = stream.write(chunk)
      if (segment) yield part(segment)
    }
    yield part(stream.end())
    return stream.preloadsFound?.() ?? []
  }
  let text = ''
  for await (const chunk of readText(source)) text += chunk
  const result = scanText(kind, text, { signer: settings.project.imageboss })
  yield { piece: piece(text, 0), edits: result.edits, problems: result.problems, count: result.count }
  return []
}

interface Scanners {
  /** The kinds read as a stream of tokens. */
  streams: {
    html: typeof import('../core/scan/html-stream.js').createHtmlStream
    xml: typeof import('../core/scan/xml.js').createXmlStream
    json: typeof import('../core/scan/json.js').createJsonStream
    css: typeof import('../core/scan/values.js').createCssStream
    text: typeof import('../core/scan/dispatch.js').createTextStream
  }
  scanText: typeof import('../core/scan/index.js').scanText
}

let scanners: Promise<Scanners> | undefined

function loadScanners(): Promise<Scanners> {
  scanners ??= Promise.all([
    import('../core/scan/html-stream.js'),
    import('../core/scan/xml.js'),
    import('../core/scan/json.js'),
    import('../core/scan/values.js'),
    import('../core/scan/dispatch.js'),
    import('../core/scan/index.js')
  ]).then(([html, xml, json, values, dispatch, index]) => ({
    streams: {
      html: html.createHtmlStream,
      xml: xml.createXmlStream,
      json: json.createJsonStream,
      css: values.createCssStream,
      text: dispatch.createTextStream
    },
    scanText: index.scanText
  }))
  return scanners
}

/** The report of a file whose scan stopped on `error`. What earlier parts found does not stand: the file is reported for what stopped it, as when read whole. */
function failure(report: FileReport, source: Source, error: unknown): FileReport {
  const none = { ...report, count: 0, changed: false, reports: [], failed: false }
  if (error instanceof WriteFailure) return writeFailed(none, error.code)
  if (error instanceof OverlapError) return fail(none, undefined, 'write-error', error.message)
  if (error instanceof DecodeError) return fail(none, 'unsupported encoding', 'unsupported-encoding', notValid(source))
  if ((error as NodeJS.ErrnoException).code !== undefined) return fail(none, 'unreadable', 'read-error', `Unexpected error reading the file (${codeOf(error)})`)
  // A bug: said as such, with the file left as it was, rather than ending the run.
  return fail(
    none,
    undefined,
    'internal-error',
    `Unexpected error scanning the file (${error instanceof Error ? error.message : String(error)}); the file is left as it is. Please report it`
  )
}

/** Remove the temporary file of a file left as it was; a temporary file that cannot be removed is an error, since it would be deployed. */
async function discard(report: FileReport, writer: FileWriter | undefined): Promise<FileReport> {
  const left = await writer?.discard()
  if (left === undefined) return report
  return fail(
    report,
    undefined,
    'write-error',
    `Unexpected error removing the temporary file \`${path.basename(left)}\`: remove it before deploying (a later \`imageboss rewrite\` removes it)`
  )
}

async function commit(report: FileReport, writer: FileWriter): Promise<FileReport> {
  let committed
  try {
    committed = await writer.commit()
  } catch (error) {
    return writeFailed(report, error instanceof WriteFailure ? error.code : codeOf(error))
  }
  if (committed === 'interrupted') return { ...report, count: 0, changed: false, interrupted: true }
  if (committed === 'removed') return { ...report, count: 0, changed: false, skipped: 'removed during the run' }
  if (committed === 'changed') {
    return fail(
      { ...report, count: 0, changed: false },
      undefined,
      'write-error',
      'Unexpected change to the file while it was rewritten: the newer file is left as it is; run `imageboss rewrite` again'
    )
  }
  return report
}

/** Edits that overlap would corrupt the file: a bug, reported rather than written. */
class OverlapError extends Error {}

/**
 * Apply edits to a part of a file. The same edit twice is applied once; edits that overlap
 * otherwise stop the file.
 */
function applyEdits(text: string, edits: readonly Edit[]): string {
  if (edits.length === 0) return text
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end)
  const parts: string[] = []
  let last = 0
  let previous: Edit | undefined
  for (const edit of sorted) {
    if (previous && edit.start === previous.start && edit.end === previous.end && edit.text === previous.text) continue
    if (edit.start < last)
      throw new OverlapError('Unexpected overlapping rewrites in the file (a bug of imageboss-build; please report it): the file is left as it is')
    parts.push(text.slice(last, edit.start), edit.text)
    last = edit.end
    previous = edit
  }
  parts.push(text.slice(last))
  return parts.join('')
}

/**
 * Problems listed per file: past this many, the file has failed anyway, and listing a
 * hundred thousand more (a site that was never rewritten, hostile input) would only cost
 * memory and output. The rest are counted in one last line.
 */
const MAX_LISTED = 1000

/** Where a part starts in the file, in lines and columns, so problems are located in the whole file. */
class Place {
  private line = 1
  private column = 1
  private locate: ((offset: number) => { line: number; column: number }) | undefined
  private text = ''
  private unlisted = 0

  report(report: FileReport, text: string, problems: readonly Problem[]): void {
    if (problems.length === 0) return
    for (const problem of problems) {
      if (report.reports.length >= MAX_LISTED) {
        this.unlisted++
        continue
      }
      const point = this.point(text, problem.start)
      report.reports.push({ ...point, rule: problem.ruleId, message: problem.reason, ...(problem.reference === undefined ? {} : { value: problem.reference }) })
    }
    report.failed = true
  }

  /** The line that counts the problems not listed, if any. */
  finish(report: FileReport): void {
    const last = report.reports.at(-1)
    if (this.unlisted === 0 || !last) return
    const message = `${this.unlisted.toLocaleString('en-US')} more problems in this file are not listed (the first ${MAX_LISTED.toLocaleString('en-US')} are)`
    report.reports.push({ line: last.line, column: last.column, rule: last.rule, message })
  }

  advance(text: string): void {
    const end = this.point(text, text.length)
    this.line = end.line
    this.column = end.column
    this.locate = undefined
  }

  private point(text: string, offset: number): { line: number; column: number } {
    if (!this.locate || this.text !== text) {
      this.locate = createLocator(text)
      this.text = text
    }
    const point = this.locate(offset)
    return { line: this.line + point.line - 1, column: point.line === 1 ? this.column + point.column - 1 : point.column }
  }
}

function fail(report: FileReport, skipped: SkipReason | undefined, rule: RuleId, message: string): FileReport {
  return { ...report, reports: [...report.reports, { line: 1, column: 1, rule, message }], failed: true, ...(skipped ? { skipped } : {}) }
}

function writeFailed(report: FileReport, code: string): FileReport {
  return fail({ ...report, count: 0, changed: false }, undefined, 'write-error', `Unexpected error writing the file (${code}), left unchanged`)
}

function notValid(source: Source): string {
  const name = encodingName(source.sniffed)
  return source.sniffed.encoding === 'utf-8'
    ? `Unexpected bytes that are not UTF-8, expected a UTF-8 text file (or UTF-16 with a byte order mark); the file is left as it is`
    : `Unexpected bytes that are not valid ${name.replace(' with a byte order mark', '')}, though the file starts with its byte order mark; the file is left as it is`
}

/** The warning for a special file: never opened, so neither rewritten nor checked. */
export function specialMessage(type: SpecialType): string {
  const what = type === 'FIFO' ? 'FIFO (named pipe)' : type
  return `Unexpected ${what}, not a regular file: it is never opened (reading it would wait or never end), so neither rewritten nor checked; a built site holds regular files only`
}

/** `52,428,800 bytes (50 MiB)`: exact, and readable. */
export function formatSize(bytes: number): string {
  const mib = bytes / (1024 * 1024)
  const readable = mib >= 1 ? `${Number(mib.toFixed(1))} MiB` : `${Number((bytes / 1024).toFixed(1))} KiB`
  return `${bytes.toLocaleString('en-US')} bytes (${readable})`
}

function codeOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return typeof code === 'string' ? code : error instanceof Error ? error.message : 'error'
}
