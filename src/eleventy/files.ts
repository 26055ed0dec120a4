import { readFile } from 'node:fs/promises'
import { ImageBossError, type RuleId } from '../core/errors.js'
import { createOutputCheck } from '../core/output/index.js'
import type { Problem } from '../core/problems.js'
import { Interrupt } from '../cli/interrupt.js'
import { DEFAULT_MAX_FILE_SIZE } from '../cli/main.js'
import { CHUNK_SIZE, type Command, type FileReport } from '../cli/process-file.js'
import { runFiles } from '../cli/run-files.js'
import { syncToDisk } from '../cli/temp-file.js'
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
  const result: FilesResult = { failed: [], problems: [], count: 0 }
  // The output check, on each written file's own bytes: independent of the scanners that wrote them.
  const check = createOutputCheck(settings.keys)
  for (const warning of check.warnings) onWarning(new ImageBossError(warning.ruleId, warning.reason))
  for (const file of files) {
    let bytes: Buffer
    try {
      bytes = await readFile(file.output)
    } catch {
      continue
    }
    let failed = false
    for (const problem of check.check({ name: file.output, bytes, served: true })) {
      if (check.isWarning(problem)) {
        onWarning(
          new ImageBossError(
            problem.ruleId,
            `${problem.reason} (${shown(file.output, settings.cwd)}:${problem.place?.line ?? 1}:${problem.place?.column ?? 1})`
          )
        )
        continue
      }
      failed = true
      const value =
        problem.reference === undefined ? '' : ` (\`${problem.reference.length > 120 ? problem.reference.slice(0, 117) + '…' : problem.reference}\`)`
      result.problems.push({ ...problem, reason: `${problem.reason}${value}, in the output of \`${shown(file.input, settings.cwd)}\`` })
    }
    if (failed) result.failed.push(file.output)
    result.count++
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
      input: { cwd: settings.cwd },
      interrupt: new Interrupt(),
      onWarning,
      onProgress: () => undefined
    }
  )
  const count = reports.reduce((total, report) => total + (report?.count ?? 0), 0)
  return { reports, result: { problems: [], failed: [], count } }
}
