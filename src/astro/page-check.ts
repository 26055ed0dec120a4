// The page check of `astro build` (middleware.ts): the references left unsigned in a page's
// HTML, and the error that fails the page.
import { checkText } from '../core/check.js'
import { createLocator } from '../core/location.js'
import { errorFromProblems, PREFIX, type Problem } from '../core/problems.js'
import { hasLeftover } from '../core/scan/index.js'

/** What the error adds to its problems: the ways to sign a value known only when the page renders. */
export const WAY_OUT =
  'A value known only when the page renders is signed with `imagebossUrl(…)` from `imageboss-build/astro/runtime`; an `imageboss:` reference in a content collection’s data, with `imagebossImage()` from `imageboss-build/astro/content` in the collection’s schema.'

/** The page as messages name it: its path, and the component that rendered it when known. */
export function pageName(pathname: string, component: string | undefined): string {
  return component === undefined ? pathname : `${pathname} (rendered by ${component})`
}

/** The references left unsigned in a page's HTML (code samples aside), located in it. */
export function checkPage(html: string, page: string): Problem[] {
  // Most pages hold none, in any spelling: then no parse (a signed page's URLs name `imageboss.me`).
  if (!hasLeftover(html)) return []
  const { problems } = checkText('html', html)
  if (problems.length === 0) return problems
  const locate = createLocator(html)
  return problems.map((problem) => {
    const { line, column } = locate(problem.start)
    return { ...problem, place: { file: page, line, column } }
  })
}

/**
 * The error that fails the page: one line per problem, `page:line:column: rule-id: reason`.
 * Without a stack, Astro prints the message alone (it would otherwise read a location out of
 * the stack's first line, which holds the message).
 */
export function pageError(problems: readonly Problem[]): Error {
  const error = errorFromProblems(problems)
  error.message = `${PREFIX} ${error.message}\n${WAY_OUT}`
  error.stack = ''
  return error
}
