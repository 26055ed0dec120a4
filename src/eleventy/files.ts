import { ImageBossError, type RuleId } from '../core/errors.js'
import { createOutputCheck } from '../core/output/index.js'
import { checkFiles } from '../site/check.js'
import type { Problem } from '../core/problems.js'
import { Interrupt } from '../site/interrupt.js'
import { CHUNK_SIZE, DEFAULT_MAX_FILE_SIZE } from '../site/limits.js'
import type { Command, FileReport } from '../site/process-file.js'
import { runFiles } from '../site/run-files.js'
import { syncToDisk } from '../site/temp-file.js'
import { shown } from './locate.js'
import type { EleventySettings } from './settings.js'

/** An output file and the input it came from. */
export interface OutputFile {
  output: string
  input: string
}

/** What a run of the CLI's file machinery found. */
export interface FilesResult {
  problems: Problem[]
  /** Output files that failed: left as they were by `rewrite`, or holding a finding of `verify`. */
  failed: string[]
  /** References signed (`rewrite`), or URLs checked (`verify`). */
  count: number
}

/**
 * Sign passthrough copies in place with `imageboss rewrite`'s own machinery: each file is
 * written whole to a temporary file beside it and renamed over it, or left as it was when it
 * has a problem. A copy holds the bytes of its input, so a problem's line and column are
 * those of the input file, which is what it is reported against.
 */
export async function signCopies(
  settings: EleventySettings,
  copies: readonly OutputFile[],
  onWarning: (warning: ImageBossError) => void
): Promise<FilesResult> {
  const { reports, result } = await run(settings, 'rewrite', copies, onWarning)
  if (reports.some((report) => report?.changed === true)) await syncToDisk()
  for (const [index, report] of reports.entries()) {
    if (!report?.failed) continue
    const copy = copies[index] as OutputFile
    result.failed.push(copy.output)
    for (const reported of report.reports) {
      result.problems.push({
        ruleId: reported.rule as RuleId,
        reason: `${reported.message} (in the passthrough copy \`${shown(copy.output, settings.cwd)}\`)`,
        start: 0,
        end: 0,
        reference: reported.value,
        place: { file: copy.input, line: reported.line, column: reported.column }
      })
    }
  }
  return result
}

/**
 * The output check of `imageboss verify` over written files: every reference left, and every
 * ImageBoss URL whose token is missing or does not verify, located in the output file, with
 * the input it was written from.
 */
export async function verifyOutputs(
  settings: EleventySettings,
  files: readonly OutputFile[],
  onWarning: (warning: ImageBossError) => void
): Promise<FilesResult> {
  // The output check, on each written file's own bytes: independent of the scanners that wrote them.
  const check = createOutputCheck(settings.project.keys)
  for (const warning of check.warnings) onWarning(new ImageBossError(warning.ruleId, warning.reason))
  const inputs = new Map(files.map((file) => [file.output, file.input]))
  const found = checkFiles(
    files.map((file) => ({ path: file.output, name: file.output, served: true })),
    check
  )
  for (const problem of found.warnings) {
    onWarning(
      new ImageBossError(
        problem.ruleId,
        `${problem.reason} (${shown(problem.place?.file ?? '', settings.cwd)}:${problem.place?.line ?? 1}:${problem.place?.column ?? 1})`
      )
    )
  }
  const result: FilesResult = { failed: found.flagged, problems: [], count: files.length }
  for (const problem of found.problems) {
    const value = problem.reference === undefined ? '' : ` (\`${problem.reference.length > 120 ? problem.reference.slice(0, 117) + '…' : problem.reference}\`)`
    const input = inputs.get(problem.place?.file ?? '') ?? ''
    result.problems.push({ ...problem, reason: `${problem.reason}${value}, in the output of \`${shown(input, settings.cwd)}\`` })
  }
  return result
}

async function run(
  settings: EleventySettings,
  command: Command,
  files: readonly OutputFile[],
  onWarning: (warning: ImageBossError) => void
): Promise<{ reports: Array<FileReport | undefined>; result: FilesResult }> {
  // One thread: the resolver of this build signs, with its options and `onWarning`, which a
  // worker thread (made from plain settings) could not share.
  const reports = await runFiles(
    files.map((file) => file.output),
    settings,
    {
      command,
      dryRun: false,
      maxFileSize: DEFAULT_MAX_FILE_SIZE,
      chunkSize: CHUNK_SIZE,
      reclaimEarly: false,
      threads: 1,
      input: { root: settings.cwd, production: settings.project.production },
      interrupt: new Interrupt(),
      onWarning,
      onProgress: () => undefined
    }
  )
  const count = reports.reduce((total, report) => total + (report?.count ?? 0), 0)
  return { reports, result: { problems: [], failed: [], count } }
}
