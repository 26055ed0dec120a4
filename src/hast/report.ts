import type { Node } from 'unist'
import type { VFile } from 'vfile'
import type { VFileMessage } from 'vfile-message'
import { ruleUrl } from '../core/errors.js'
import type { Problem } from '../core/problems.js'

/** A place in a file, as `file.message` takes it. */
export type Place = Node['position'] | { line: number; column: number; offset?: number | undefined }

/** A problem found while visiting a tree, reported when the whole tree has been visited. */
export interface Report {
  problem: Pick<Problem, 'ruleId' | 'reason'>
  place: Place
  ancestors: Node[]
}

/** Report one problem on `file` as a vfile message; in production it is an error (`fatal`). */
export function reportProblem(file: VFile, report: Report, fatal: boolean): VFileMessage {
  const message = file.message(report.problem.reason, {
    place: report.place,
    ruleId: report.problem.ruleId,
    source: 'imageboss-build',
    ancestors: report.ancestors
  })
  message.url = ruleUrl(report.problem.ruleId)
  if (fatal) message.fatal = true
  return message
}

/** The start of a place, for a problem's line and column. */
export function startOf(place: Place): { line: number; column: number } | undefined {
  if (!place) return undefined
  return 'start' in place ? place.start : place
}
