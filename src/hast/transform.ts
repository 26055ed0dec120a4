import type { Root } from 'hast'
import type { Node } from 'unist'
import type { VFile } from 'vfile'
import type { ImageBoss } from '../core/imageboss.js'
import { formatProblems } from '../core/problems.js'
import type { Signer } from '../core/scan/index.js'
import { reportProblem, startOf, type Place, type Report } from './report.js'
import { visit, type VisitState } from './visit.js'

/** The file and node being processed, for warnings the core raises while resolving. */
export interface Current {
  file: VFile
  place: Place
  ancestors: Node[]
}

/**
 * The transform with a resolver made elsewhere (the Astro integration shares one between
 * its layers); `track` is told which file and node are being processed. With `failAlways`
 * (a dev server whose host prints no file messages, as `@mdx-js/rollup` in Vite), a file
 * with problems fails outside production too, so that they reach the terminal and overlay.
 */
export function createTransform(
  imageboss: ImageBoss,
  track: (current: Current | undefined) => void = () => {},
  failAlways = false
): (tree: Root, file: VFile) => undefined {
  const production = imageboss.production
  const signer: Signer = imageboss
  return function transform(tree, file) {
    const state: VisitState = { file, reports: [], signer, source: typeof file.value === 'string' ? file.value : undefined, track }

    try {
      visit(state, tree, [])
    } finally {
      track(undefined)
    }

    const reports = state.reports
    if (reports.length === 0) return
    for (const report of reports) reportProblem(file, report, production)
    if (production || failAlways) failFile(file, reports, production)
  }
}

/**
 * Fail `file` (in a production build, or always when asked). Every problem's reason and
 * place, in the message itself: a plain script prints only that.
 */
function failFile(file: VFile, reports: Report[], production: boolean): never {
  const count = reports.length
  const list = formatProblems(
    reports.map((r) => ({ ...r.problem, start: 0, end: 0, place: { file: file.path || undefined, ...(startOf(r.place) ?? { line: 1, column: 1 }) } })),
    file.cwd
  )
  const first = reports[0] as Report
  const message = file.message(
    `Cannot sign ${count} image reference${count === 1 ? '' : 's'}${production ? ' in a production build' : ''}, expected valid \`imageboss:\` references:\n${list.replace(/^/gm, '  ')}`,
    { place: first.place, ruleId: first.problem.ruleId, source: 'imageboss-build' }
  )
  message.fatal = true
  throw message
}
