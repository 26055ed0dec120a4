import { readFile } from 'node:fs/promises'
import path from 'node:path'
import writeFileAtomic from 'write-file-atomic'
import { checkText } from '../core/check.js'
import { applyEdits } from '../core/edits.js'
import { createLocator } from '../core/location.js'
import type { Problem } from '../core/problems.js'
import { kindOfFile, scanText } from '../core/scan/index.js'
import type { Settings } from './settings.js'

/** One located message about a file. */
export interface Reported {
  line: number
  column: number
  /** A rule id (`RuleId`), or `read-error`, `write-error` for the file itself. */
  rule: string
  message: string
  /** The reference or URL concerned (optional). */
  value?: string
}

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
}

export type Command = 'rewrite' | 'verify'

const MARKER = Buffer.from('imageboss')
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** Rewrite or verify one file. Never throws: every failure is in the report. */
export async function processFile(file: string, command: Command, settings: Settings, dryRun: boolean): Promise<FileReport> {
  const report: FileReport = { file, count: 0, changed: false, reports: [], failed: false }
  const kind = kindOfFile(file)
  if (!kind) return report
  const fail = (rule: string, message: string, line = 1, column = 1) => {
    report.reports.push({ line, column, rule, message })
    report.failed = true
    return report
  }

  let buffer: Buffer
  try {
    buffer = await readFile(path.resolve(settings.cwd, file))
  } catch (error) {
    return fail('read-error', `Unexpected error reading the file (${codeOf(error)})`)
  }
  const base = settings.keys.baseUrl
  if (!buffer.includes(MARKER) && (command === 'rewrite' || !buffer.includes(base))) return report
  let text: string
  try {
    text = decoder.decode(buffer)
  } catch {
    return fail('read-error', 'Unexpected bytes that are not UTF-8, expected a UTF-8 text file')
  }

  if (command === 'verify') {
    const { problems, urls } = checkText(kind, text, settings.keys)
    report.count = urls
    addProblems(report, text, problems)
    return report
  }

  const result = scanText(kind, text, { signer: settings.boss })
  // A file with any invalid reference is left as it is: never half-rewritten.
  if (addProblems(report, text, result.problems)) return report
  if (result.edits.length === 0) return report
  report.count = result.count
  report.changed = true
  if (dryRun) return report
  try {
    // A temporary file beside it, then a rename: readers see the old file or the new one.
    await writeFileAtomic(path.resolve(settings.cwd, file), applyEdits(text, result.edits))
  } catch (error) {
    report.changed = false
    return fail('write-error', `Unexpected error writing the file (${codeOf(error)}), left unchanged`)
  }
  return report
}

/** The problems of a file as reports, located; returns whether there were any (the file failed). */
function addProblems(report: FileReport, text: string, problems: readonly Problem[]): boolean {
  if (problems.length === 0) return false
  const locate = createLocator(text)
  for (const problem of problems) {
    const { line, column } = locate(problem.start)
    report.reports.push({ line, column, rule: problem.ruleId, message: problem.reason, ...(problem.reference === undefined ? {} : { value: problem.reference }) })
  }
  report.failed = true
  return true
}

function codeOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return typeof code === 'string' ? code : error instanceof Error ? error.message : 'error'
}
