import { withoutFrames, type ImageBossError } from '../core/errors.js'
import { formatProblem, prefixed, presentProblems, type Problem } from '../core/problems.js'
import { shown } from './locate.js'

/** How the plugin tells Eleventy's user about problems: lines on the terminal, or the error that fails a build. */
export interface Reporter {
  /** A new build: nothing collected, nothing reported yet. */
  reset(): void
  /** A warning of the core (a missing secret in development). */
  warn(warning: ImageBossError): void
  /** A note about the configuration. */
  note(message: string): void
  /** Keep problems of a production build, to fail it when it ends. */
  collect(problems: readonly Problem[]): void
  /** Show problems now (`--serve`, `--watch`): the server goes on. */
  show(problems: readonly Problem[]): void
  /** The error that fails the build, if anything was collected; `removed` lists the files taken out of the output. */
  failure(removed: readonly string[]): (ImageBossError & { problems: Problem[] }) | undefined
}

export function createReporter(cwd: string): Reporter {
  const collected: Problem[] = []
  // A layout's problem shows in every page made with it: once per place is enough.
  const seen = new Set<string>()
  const fresh = (problems: readonly Problem[]) =>
    problems.filter((problem) => {
      const key = `${problem.place?.file ?? ''}:${problem.place?.line ?? 0}:${problem.place?.column ?? 0}:${problem.ruleId}:${problem.reference ?? ''}`
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })
  return {
    reset() {
      collected.length = 0
      seen.clear()
    },
    warn(warning) {
      console.warn(prefixed(formatProblem(warning)))
    },
    note(message) {
      console.warn(prefixed(message))
    },
    collect(problems) {
      collected.push(...fresh(problems))
    },
    show(problems) {
      presentProblems(fresh(problems), { production: false, root: cwd, warn: (line) => console.warn(prefixed(line)) })
    },
    failure(removed) {
      if (collected.length === 0) return undefined
      const problems = collected.splice(0)
      const error = presentProblems(problems, { production: true, root: cwd, warn() {} }) as ImageBossError & { problems: Problem[] }
      const files = removed.map((file) => shown(file, cwd))
      if (files.length > 0) error.message += `\nRemoved from the output, so that nothing unsigned is deployed: ${files.join(', ')}`
      // A problem in the author's files, not a crash: Eleventy shows no stack trace for it.
      withoutFrames(error)
      Object.assign(error, { skipOriginalStack: true })
      return error
    }
  }
}
