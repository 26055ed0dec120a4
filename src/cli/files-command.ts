import path from 'node:path'
import type { ImageBossError } from '../core/errors.js'
import { createOutputCheck } from '../core/output/index.js'
import { formatProblem } from '../core/problems.js'
import { checkTree } from '../site/check.js'
import { line, safeJson } from './escape.js'
import { exitCodeOf, Interrupt, trapSignals } from '../site/interrupt.js'
import { listFiles, removeTemporary, type Listing, type Temporary } from '../site/list-files.js'
import type { Io } from './main.js'
import { CHUNK_SIZE } from '../site/limits.js'
import { specialMessage, type FileReport, type Reported, type SkipReason } from '../site/process-file.js'
import { runFiles, threadCount } from '../site/run-files.js'
import type { Settings, SettingsInput } from '../site/settings.js'
import { parseTempName, syncToDisk } from '../site/temp-file.js'

/** `imageboss rewrite` and `imageboss verify`, their arguments checked. */
export interface FilesCommand {
  command: 'rewrite' | 'verify'
  /** The site, as given (paths are shown relative to it), and resolved. */
  directory: string
  absolute: string
  threads: number | undefined
  dryRun: boolean
  json: boolean
  maxFileSize: number
  input: SettingsInput
  onWarning: (warning: ImageBossError) => void
}

/** Skip reasons, in the order the summary line counts them. */
const SKIP_REASONS: readonly SkipReason[] = ['symbolic link', 'special file', 'too large', 'unsupported encoding', 'unreadable', 'removed during the run']

/** A report found with `file` made relative to the current directory, as the user wrote the site's path. */
interface Finding extends Reported {
  file: string
}

export async function runFilesCommand(options: FilesCommand, settings: Settings, io: Io): Promise<number> {
  const started = performance.now()
  const { command, directory, absolute } = options
  const listing = await listFiles(absolute)
  // Paths are shown as given (`public/index.html`), relative to the current directory.
  const shown = (file: string) => path.join(directory, path.relative(absolute, file))
  const list = listing.files.map(shown)
  const links = linkReports(listing, shown)
  const interrupt = new Interrupt()
  const untrap = io.ownsProcess === true && command === 'rewrite' ? trapSignals(interrupt, io.stderr) : () => undefined
  let reports: Array<FileReport | undefined>
  let temporaries: Finding[]
  let done: FileReport[]
  let output: ReturnType<typeof outputFindings> | undefined
  const threads = threadCount(list.length, options.threads)
  try {
    temporaries = await handleTemporaries(listing.temporaries, options, shown, io)
    const bar = progressBar(list.length, io.stderr.isTTY === true && !options.json, io)
    reports = await runFiles(list, settings, {
      command,
      input: options.input,
      dryRun: options.dryRun,
      maxFileSize: options.maxFileSize,
      chunkSize: CHUNK_SIZE,
      reclaimEarly: io.ownsProcess === true,
      threads,
      interrupt,
      onWarning: options.onWarning,
      onProgress: bar.update
    })
    bar.clear()
    if (command === 'rewrite' && !options.dryRun && reports.some((report) => report?.changed === true)) await syncToDisk()
    done = [...links, ...specialReports(listing, shown), ...reports.filter((report) => report !== undefined)]
    // The last word on what ships: the output check (all of `verify`), also after a rewrite;
    // a signal during it is still the run's to handle (said, and the run reported as stopped).
    output =
      !interrupt.signal && !(command === 'rewrite' && options.dryRun) ? outputFindings(absolute, shown, settings, options.maxFileSize, done, io) : undefined
    // One turn of the event loop: a signal that came during the (synchronous) check reaches its handler.
    await new Promise((resolve) => setImmediate(resolve))
    if (output) temporaries.push(...output.findings)
    const summary = {
      files: list.length + links.length + listing.specials.length,
      urls: output?.urls ?? 0,
      seconds: ((performance.now() - started) / 1000).toFixed(2),
      threads
    }
    printSkipped(done, io)
    if (command === 'verify') return printVerify(done, temporaries, summary, options.json, io)
    const signal = interrupt.signal
    if (signal) {
      printStopped(done, temporaries, summary, signal, io)
      return exitCodeOf(signal)
    }
    return printRewrite(done, temporaries, summary, options.dryRun, io)
  } finally {
    // Only once the report is printed: a signal while it is printed is the run's too.
    untrap()
  }
}

/**
 * What the output check (independent of the scanners that read and rewrote the files) finds in
 * the site, less what the run reported already at the same place: a secret in any encoding in
 * any file, a reference or an ImageBoss URL in any spelling. Temporary files are not the site's.
 */
function outputFindings(
  absolute: string,
  shown: (file: string) => string,
  settings: Settings,
  maxFileSize: number,
  done: readonly FileReport[],
  io: Io
): { findings: Finding[]; urls: number } {
  const check = createOutputCheck(settings.project.keys)
  for (const warning of check.warnings) io.stderr.write(line(`imageboss: warning: ${warning.ruleId}: ${warning.reason}`))
  // A file reported already (left as it was, skipped, unreadable) is not reported again, but for a secret.
  const reported = new Set(done.filter((report) => report.failed || report.skipped).map((report) => report.file))
  // Temporary files are not the site's; files above `--max-file-size` are not read whole.
  const found = checkTree(absolute, check, { show: shown, maxSize: maxFileSize, skip: (relative) => parseTempName(path.basename(relative)) !== undefined })
  for (const warning of found.warnings)
    io.stderr.write(
      line(`${warning.place?.file ?? ''}:${warning.place?.line ?? 1}:${warning.place?.column ?? 1}: warning: ${warning.ruleId}: ${warning.reason}`)
    )
  // A file this run rewrote past the limit (signed URLs are longer than references) is said to be unchecked.
  const rewritten = new Set(done.filter((report) => report.changed).map((report) => report.file))
  for (const file of found.tooLarge) {
    if (rewritten.has(shown(file)))
      io.stderr.write(
        line(`${shown(file)}: warning: rewritten, but larger than --max-file-size now, so not checked by the output check; raise the limit to have it checked`)
      )
  }
  const findings: Finding[] = []
  for (const problem of found.problems) {
    const file = problem.place?.file ?? ''
    const line = problem.place?.line ?? 1
    const column = problem.place?.column ?? 1
    if (reported.has(file) && problem.ruleId !== 'secret-in-output') continue
    findings.push({
      file,
      line,
      column,
      rule: problem.ruleId,
      message: problem.reason,
      ...(problem.reference === undefined ? {} : { value: problem.reference })
    })
  }
  return { findings, urls: check.urls }
}

function linkReports(listing: Listing, shown: (file: string) => string): FileReport[] {
  return listing.links.map((link) => {
    const what = link.directory ? 'the files of the directory it points to are' : 'the file it points to is'
    const message = `Unexpected symbolic link to \`${link.target}\`, not followed: ${what} neither rewritten nor checked through it; copy ${link.directory ? 'them' : 'it'} into the site, or run the command on ${link.directory ? 'that directory' : 'its directory'} too`
    return {
      file: shown(link.file),
      count: 0,
      changed: false,
      reports: [{ line: 1, column: 1, rule: 'symbolic-link', message }],
      failed: false,
      skipped: 'symbolic link'
    }
  })
}

function specialReports(listing: Listing, shown: (file: string) => string): FileReport[] {
  return listing.specials.map((special) => ({
    file: shown(special.file),
    count: 0,
    changed: false,
    reports: [{ line: 1, column: 1, rule: 'special-file', message: specialMessage(special.type) }],
    failed: false,
    skipped: 'special file'
  }))
}

/**
 * Temporary files of an earlier rewrite. `rewrite` removes those whose process is gone (it
 * was killed before it could: SIGKILL, a crash, a power loss), so they are never deployed;
 * `verify` reports every one.
 */
async function handleTemporaries(temporaries: readonly Temporary[], options: FilesCommand, shown: (file: string) => string, io: Io): Promise<Finding[]> {
  const findings: Finding[] = []
  for (const temporary of temporaries) {
    const file = shown(temporary.file)
    const whose = temporary.running
      ? `of a rewrite that is running (process ${temporary.pid})`
      : `left by a rewrite that was stopped before it could remove it (process ${temporary.pid})`
    if (options.command === 'verify') {
      const message = `Unexpected temporary file ${whose}, expected none: it holds a part of a rewritten file and must not be deployed; \`imageboss rewrite\` removes it`
      findings.push({ file, line: 1, column: 1, rule: 'temporary-file', message })
    } else if (temporary.running) {
      io.stderr.write(line(`${file}: left alone: a temporary file ${whose}`))
    } else if (options.dryRun) {
      io.stderr.write(line(`${file}: would remove a temporary file ${whose}`))
    } else {
      const failure = await removeTemporary(temporary)
      if (failure === undefined) io.stderr.write(line(`${file}: removed a temporary file ${whose}`))
      else
        findings.push({
          file,
          line: 1,
          column: 1,
          rule: 'write-error',
          message: `Unexpected error removing a temporary file ${whose} (${failure}): remove it before deploying`
        })
    }
  }
  return findings
}

interface Summary {
  files: number
  /** ImageBoss URLs the output check verified. */
  urls: number
  seconds: string
  threads: number
}

/** Files skipped without an error (symbolic links, files removed meanwhile): said on stderr, as warnings. */
function printSkipped(reports: readonly FileReport[], io: Io): void {
  for (const report of reports) {
    if (!report.skipped || report.failed) continue
    if (report.reports.length === 0) io.stderr.write(line(`${report.file}: skipped: ${report.skipped}, not recreated`))
    for (const reported of report.reports) io.stderr.write(line(problemLine(report.file, reported)))
  }
}

function printVerify(reports: readonly FileReport[], temporaries: readonly Finding[], summary: Summary, json: boolean, io: Io): number {
  const checked = reports.filter((report) => report.failed)
  const findings = [...temporaries, ...checked.flatMap((report) => report.reports.map((reported) => ({ file: report.file, ...reported })))]
  const urls = summary.urls
  if (json) {
    const skipped = reports.filter((report) => report.skipped).map((report) => ({ file: report.file, reason: report.skipped }))
    io.stdout.write(safeJson(JSON.stringify({ files: summary.files, urls, findings, skipped }, null, 2)) + '\n')
  } else {
    for (const finding of findings) {
      const value = finding.value === undefined ? '' : ` (\`${finding.value.length > 160 ? finding.value.slice(0, 157) + '…' : finding.value}\`)`
      io.stdout.write(line(problemLine(finding.file, finding) + value))
    }
    io.stdout.write(
      `imageboss verify: ${plural(summary.files, 'file')}, ${plural(urls, 'URL')} checked, ${plural(findings.length, 'finding')}${skippedNote(reports)} in ${summary.seconds}s${threadNote(summary.threads)}\n`
    )
  }
  return findings.length > 0 ? 1 : 0
}

function printRewrite(reports: readonly FileReport[], temporaries: readonly Finding[], summary: Summary, dryRun: boolean, io: Io): number {
  const failed = printErrors(reports, temporaries, io)
  const changed = reports.filter((report) => report.changed)
  if (dryRun) for (const report of changed) io.stdout.write(line(`${report.file}: would rewrite ${plural(report.count, 'reference')}`))
  const errors = temporaries.length + sum(failed.map((report) => report.reports.length))
  const unchanged = failed.filter((report) => !report.skipped).length
  io.stdout.write(
    `imageboss rewrite${dryRun ? ' --dry-run' : ''}: ${plural(summary.files, 'file')}, ${changed.length} ${dryRun ? 'to rewrite' : 'rewritten'}, ` +
      `${plural(sum(changed.map((report) => report.count)), 'reference')}, ${plural(errors, 'error')}` +
      `${unchanged > 0 ? ` (${plural(unchanged, 'file')} left unchanged)` : ''}${skippedNote(reports)} in ${summary.seconds}s${threadNote(summary.threads)}\n`
  )
  return errors > 0 ? 1 : 0
}

function printStopped(reports: readonly FileReport[], temporaries: readonly Finding[], summary: Summary, signal: string, io: Io): void {
  printErrors(reports, temporaries, io)
  const rewritten = reports.filter((report) => report.changed).length
  io.stdout.write(
    `imageboss rewrite: stopped by ${signal}: ${rewritten} of ${plural(summary.files, 'file')} rewritten, the others left as they were; ` +
      `its temporary files removed, in ${summary.seconds}s${threadNote(summary.threads)}\n`
  )
}

/** Problems and errors on stderr; returns the files that failed. */
function printErrors(reports: readonly FileReport[], temporaries: readonly Finding[], io: Io): FileReport[] {
  for (const finding of temporaries) io.stderr.write(line(problemLine(finding.file, finding)))
  const failed = reports.filter((report) => report.failed)
  for (const report of failed) {
    for (const reported of report.reports) io.stderr.write(line(problemLine(report.file, reported)))
  }
  return failed
}

/** `, 3 skipped (1 symbolic link, 2 too large)`, or nothing. */
function skippedNote(reports: readonly FileReport[]): string {
  const counts = SKIP_REASONS.map((reason) => [reason, reports.filter((report) => report.skipped === reason).length] as const).filter(([, count]) => count > 0)
  if (counts.length === 0) return ''
  const label = (reason: SkipReason, count: number) => (reason === 'symbolic link' || reason === 'special file' ? plural(count, reason) : `${count} ${reason}`)
  return `, ${sum(counts.map(([, count]) => count))} skipped (${counts.map(([reason, count]) => label(reason, count)).join(', ')})`
}

function progressBar(total: number, enabled: boolean, io: Io) {
  let last = 0
  return {
    update(done: number) {
      if (!enabled) return
      const now = Date.now()
      if (now - last < 80 && done < total) return
      last = now
      const width = 30
      const filled = total === 0 ? width : Math.round((width * done) / total)
      io.stderr.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} files`)
    },
    clear() {
      if (enabled) io.stderr.write('\r\x1b[K')
    }
  }
}

function threadNote(threads: number): string {
  return threads > 1 ? ` (${threads} threads)` : ''
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`
}

function sum(numbers: readonly number[]): number {
  return numbers.reduce((total, n) => total + n, 0)
}

/** A problem as every host prints it (`file:line:column: rule-id: reason`), from the CLI's report of it. */
function problemLine(file: string, reported: Pick<Reported, 'line' | 'column' | 'rule' | 'message'>): string {
  return formatProblem({ ruleId: reported.rule, reason: reported.message, place: { file, line: reported.line, column: reported.column } })
}
