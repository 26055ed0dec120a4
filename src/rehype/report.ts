import type { Node } from 'unist'
import type { VFile } from 'vfile'
import type { VFileMessage } from 'vfile-message'
import { ImageBossError } from '../core/errors.js'

/** A place in a file, as `file.message` takes it. */
export type Place = Node['position'] | { line: number; column: number; offset?: number | undefined }

/** A problem found while visiting a tree, reported when the whole tree has been visited. */
export interface Report {
  error: ImageBossError
  place: Place
  ancestors: Node[]
}

/** Report one problem on `file`; in production it is an error (`fatal`). */
export function reportProblem(file: VFile, report: Report, fatal: boolean): VFileMessage {
  const message = file.message(report.error.reason, {
    place: report.place,
    ruleId: report.error.ruleId,
    source: 'imageboss-build',
    ancestors: report.ancestors
  })
  message.url = report.error.url
  if (fatal) message.fatal = true
  return message
}

/** The error behind a dynamic (runtime) reference that cannot be signed at build time. */
export function dynamicReference(attribute: string | undefined): ImageBossError {
  const where = attribute === undefined ? 'a spread attribute' : `\`${attribute}\``
  return new ImageBossError(
    'dynamic-reference',
    `Unexpected dynamic \`imageboss:\` reference in ${where}, expected a string literal that can be signed at build time`
  )
}
