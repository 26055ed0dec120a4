// The middleware the integration adds to `astro build` (`order: 'post'`): each prerendered
// page's HTML is checked as it renders, so a page holding an unsigned `imageboss:` value fails
// the build while it is generated, before Astro writes it to `dist/`.
import type { MiddlewareHandler } from 'astro'
import { checkText } from '../core/check.js'
import { createLocator } from '../core/location.js'
import { errorFromProblems, PREFIX, type Problem } from '../core/problems.js'
import { definedInstance, getSharedState } from './shared.js'

/** What the error adds to its problems: the ways to sign a value known only when the page renders. */
export const WAY_OUT =
  'A value known only when the page renders is signed with `imagebossUrl(…)` from `imageboss-build/astro/runtime`; an `imageboss:` reference in a content collection’s data, with `imagebossImage()` from `imageboss-build/astro/content` in the collection’s schema.'

export const onRequest: MiddlewareHandler = async (context, next) => {
  const response = await next()
  const pages = getSharedState(definedInstance())?.pages
  // Only in `astro build` (the integration shares `pages` then), and only pages written to `dist/`.
  if (!pages || !context.isPrerendered || !/^text\/html\b/i.test(response.headers.get('content-type') ?? '')) return response
  // A copy of the body: the response goes on to Astro as it came.
  const html = await response.clone().text()
  const problems = checkPage(html, pageName(context.url.pathname, pages.get(context.routePattern)))
  if (problems.length > 0) throw pageError(problems)
  return response
}

/** The page as messages name it: its path, and the component that rendered it when known. */
export function pageName(pathname: string, component: string | undefined): string {
  return component === undefined ? pathname : `${pathname} (rendered by ${component})`
}

/** The references left unsigned in a page's HTML (code samples aside), located in it. */
export function checkPage(html: string, page: string): Problem[] {
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
