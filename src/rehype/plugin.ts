import type { Root } from 'hast'
import type { Node } from 'unist'
import type { VFile } from 'vfile'
import { loadOptionsSync } from '../core/config-file.js'
import { createImageBoss, type ImageBoss, type ImageBossOptions } from '../core/imageboss.js'
import { formatProblems } from '../core/problems.js'
import type { Signer } from '../core/scan/index.js'
import { reportProblem, startOf, type Place, type Report } from './report.js'
import { visit, type VisitState } from './visit.js'

/**
 * Configuration: the options shared by every entry point of `imageboss-build`
 * (`source`, `secret`, `sources`, `baseUrl`, `defaults`, `presets`, `extraOptions`, `env`,
 * `production`, `onWarning`), which win over those of the nearest
 * `imageboss.config.{js,mjs,json}` from the current directory, key by key.
 *
 * Any problem fails the file (a fatal message; a missing secret too), unless told it runs in
 * development (`production: false`, or `NODE_ENV === 'development'`): then problems are
 * warnings on the file being processed (a missing secret is passed to `onWarning` too, when
 * given). A plain script must not write unsigned references and end well.
 */
export type Options = ImageBossOptions

const emptyOptions: Options = {}

/** The file and node being processed, for warnings the core raises while resolving. */
export interface Current {
  file: VFile
  place: Place
  ancestors: Node[]
}

/**
 * Turn `imageboss:` references into signed ImageBoss URLs: in hast elements (the core
 * attribute table: `src`, `srcSet`, `style`, …), in `raw` HTML nodes (`remark-rehype` with
 * `allowDangerousHtml`), and in MDX JSX attributes. Code (`<code>`, `<pre>`, …) is left alone.
 *
 * @param options
 *   Configuration (optional).
 * @returns
 *   Transform.
 * @throws {ImageBossError}
 *   `invalid-option` or `exposed-secret` for a configuration mistake (also in the config
 *   file, which is read at once: a module of it may not wait, with top-level `await` or an
 *   `async` function, as unified calls plugins synchronously).
 */
export function rehypeImageBoss(options?: Options | null): (tree: Root, file: VFile) => undefined {
  const settings = loadOptionsSync(options ?? emptyOptions, process.cwd(), '`rehypeImageBoss`').options
  let current: Current | undefined
  const imageboss = createImageBoss({
    ...settings,
    onWarning(warning) {
      settings.onWarning?.(warning)
      if (current) {
        reportProblem(current.file, { problem: warning, place: current.place, ancestors: [...current.ancestors] }, false)
      } else if (!settings.onWarning) {
        console.warn(`[imageboss] ${warning.reason}`)
      }
    }
  })
  return createTransform(imageboss, (next) => {
    current = next
  })
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
