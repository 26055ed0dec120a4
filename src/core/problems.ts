import path from 'node:path'
import { ImageBossError, PREFIX, type RuleId } from './errors.js'

export { PREFIX }

/** Where a problem is, once an adapter has located it: 1-based line and column. */
export interface Place {
  /** The file (absolute, or as the host names it), when known. */
  file?: string | undefined
  line: number
  column: number
}

/**
 * The one shape of a problem: what every scanner returns and every adapter converts to its
 * host's form (an `ImageBossError` for Vite, a vfile message, a logger line, a CLI line).
 */
export interface Problem {
  ruleId: RuleId
  /** The sentence shown to the user; never contains a secret. */
  reason: string
  /** Offset in the text that was scanned, where the problem starts. */
  start: number
  /** Offset where it ends. */
  end: number
  /** The reference (or URL) concerned, when there is one. */
  reference?: string | undefined
  /** Set once an adapter located the offsets in a file. */
  place?: Place | undefined
}

/** The problem behind an error thrown while resolving the reference at `[start, end)`. */
export function problemFromError(error: unknown, start: number, end: number, exact = true): Problem {
  if (!(error instanceof ImageBossError)) throw error
  const at = exact && error.offset !== undefined ? Math.min(start + error.offset, end) : start
  return { ruleId: error.ruleId, reason: error.reason, start: at, end, reference: error.reference }
}

/** One string per `where`: hostile input can hold a million problems of a few kinds. */
function memo(make: (where: string) => string): (where?: string) => string {
  const made = new Map<string, string>()
  return (where = '') => {
    let text = made.get(where)
    if (text === undefined) {
      text = make(where)
      if (made.size < 1000) made.set(where, text)
    }
    return text
  }
}

/** The sentences of the rules that scanners raise themselves (the core's parser raises the rest). */
export const REASONS = {
  dynamicReference: memo(
    (where) =>
      `Unexpected dynamic reference${where ? ` in ${where}` : ''}, built at run time so it cannot be signed at build time; expected a whole reference in one string, such as a lookup object of full references (\`{ small: 'imageboss:/a.jpg?w=400', large: 'imageboss:/a.jpg?w=800' }\`)`
  ),
  unsupportedPosition: memo(
    (where) =>
      `Unexpected \`imageboss:\` reference ${where}, where nothing signs it; expected it as a whole URL value (an \`src\`, \`href\` or \`srcset\` attribute, a CSS \`url()\`, a string of its own), or inside \`<code>\` to show it as text`
  ),
  leftover: memo(
    (where) =>
      `Unexpected \`imageboss:\` reference left in the output ${where}, expected it signed; it reached the output without passing through imageboss-build`
  ),
  clientSigning: (name: string) =>
    `Unexpected \`${name}\` of imageboss-build imported into code that runs in the browser, where it cannot sign: signing needs the secret, which never reaches the browser; expected it in code that runs on the server or at build time (an Astro page's frontmatter, an endpoint), or a static \`imageboss:\` reference`,
  syntaxError: (message: string) => `Unexpected script that cannot be parsed (${message}), expected JavaScript to find its \`imageboss:\` references`,
  /** `option` names the option that can hold the secret, where the entry point takes options (not the CLI: its config file holds no secret). */
  missingSecret: (source: string, variable: string, option: string | undefined) =>
    `Missing secret for source \`${source}\`, expected the \`${variable}\` variable${option === undefined ? '' : ` or the ${option} option`} (or \`signed: false\` for a source without signed URLs)`
} as const

/** `text` as this package prints it: `[imageboss] text`, each line prefixed. */
export function prefixed(text: string): string {
  return text.replace(/^/gm, PREFIX + ' ')
}

/** `file:line:column`, with `file` relative to `root` when inside it. */
function formatPlace(place: Place | undefined, root?: string): string {
  if (!place) return ''
  let file = place.file
  if (file !== undefined && root !== undefined && path.isAbsolute(file)) {
    const relative = path.relative(root, file)
    if (relative && !relative.startsWith('..') && !path.isAbsolute(relative)) file = relative.split(path.sep).join('/')
  }
  return `${file === undefined ? '' : file + ':'}${place.line}:${place.column}`
}

/** Rules about something found in built output, whose reason does not say which item: the line shows it. */
const SHOWS_ITEM: ReadonlySet<string> = new Set(['leftover-reference', 'unsigned-url', 'invalid-token'])

/** The reason, and for findings in built output the item found (cut short). */
function describeReason(problem: Pick<Problem, 'ruleId' | 'reason' | 'reference'>): string {
  const item = problem.reference
  if (item === undefined || !SHOWS_ITEM.has(problem.ruleId)) return problem.reason
  return `${problem.reason}: ${item.length > 80 ? item.slice(0, 77) + '…' : item}`
}

/**
 * The one line format of every problem, in every host: `file:line:column: rule-id: reason`
 * (`rule-id: reason` where there is no place), which editors and CI problem matchers read.
 */
export function formatProblem(problem: Pick<Problem, 'ruleId' | 'reason' | 'reference' | 'place'>, root?: string): string {
  const place = formatPlace(problem.place, root)
  return `${place ? place + ': ' : ''}${problem.ruleId}: ${describeReason(problem)}`
}

const MAX_PLACES = 10
const MAX_LINES = 50

/**
 * Every problem, one line each, in the order given; identical problems (same rule and
 * reason, such as one missing secret behind every reference) are one line with their count
 * and places. At most 50 lines: enough to find the causes, where a whole site of them would
 * bury them.
 */
export function formatProblems(problems: readonly Problem[], root?: string): string {
  const groups = new Map<string, Problem[]>()
  for (const problem of problems) {
    const key = problem.ruleId + '\0' + describeReason(problem)
    const group = groups.get(key)
    if (group) group.push(problem)
    else groups.set(key, [problem])
  }
  const lines: string[] = []
  for (const group of groups.values()) {
    const first = group[0] as Problem
    if (group.length === 1) {
      lines.push(formatProblem(first, root))
      continue
    }
    const places = group.slice(0, MAX_PLACES).map((p) => formatPlace(p.place, root))
    if (group.length > MAX_PLACES) places.push(`… ${group.length - MAX_PLACES} more`)
    lines.push(`${places[0] ? places[0] + ': ' : ''}${first.ruleId}: ${describeReason(first)} (${group.length} times: ${places.join(', ')})`)
  }
  if (lines.length > MAX_LINES) {
    const rest = lines.length - MAX_LINES
    lines.length = MAX_LINES
    lines.push(`… and ${rest} more`)
  }
  return lines.join('\n')
}

/** The headline and list of a failure: `rule-id: N problems with imageboss: references:` and the lines. */
export function describeProblems(problems: readonly Problem[], root?: string): string {
  const first = problems[0]
  if (!first) return ''
  if (problems.length === 1) return formatProblem(first, root)
  const files = new Set(problems.map((p) => p.place?.file))
  const where = files.size === 1 && first.place?.file !== undefined ? ` in ${formatPlace(first.place, root).replace(/:\d+:\d+$/, '')}` : ''
  // A secret in the output is no problem of a reference.
  const what = problems.some((p) => p.ruleId === 'secret-in-output') ? 'problems' : 'problems with `imageboss:` references'
  return `${first.ruleId}: ${problems.length} ${what}${where}:\n` + formatProblems(problems, root).replace(/^/gm, '  ')
}

/** What a host does with problems: print a line (development), or throw the error it is given (production). */
export interface ProblemHost {
  /** Whether problems fail the build. */
  production: boolean
  /** The folder file names are shown relative to. */
  root?: string | undefined
  /** Print one warning line (development): a host that prints it itself adds {@link prefixed}; a logger that labels its lines (Astro's) needs none. */
  warn(line: string): void
}

/**
 * The one policy of every entry point: in development each problem is a warning, one line
 * each, and the reference is left as written; in production every problem fails the build,
 * as one error whose message lists them all (its rule is the first one's). Returns that
 * error for the host to throw in its own form, or `undefined` once the warnings are out.
 */
export function presentProblems(problems: readonly Problem[], host: ProblemHost): (ImageBossError & { problems: Problem[] }) | undefined {
  if (problems.length === 0) return undefined
  if (host.production) {
    const error = errorFromProblems(problems, host.root)
    error.message = `${PREFIX} ${error.message}`
    return error
  }
  for (const line of formatProblems(problems, host.root).split('\n')) host.warn(line)
  return undefined
}

/** The `ImageBossError` for a set of located problems: the first one's rule, the whole list in the message. */
export function errorFromProblems(problems: readonly Problem[], root?: string): ImageBossError & { problems: Problem[] } {
  const first = problems[0]
  if (!first) throw new Error('Expected at least one problem')
  const error = new ImageBossError(first.ruleId, first.reason, { reference: first.reference }) as ImageBossError & { problems: Problem[] }
  error.message = describeProblems(problems, root)
  error.problems = [...problems]
  return error
}
