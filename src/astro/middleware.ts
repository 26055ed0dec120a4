// The middleware the integration adds to `astro build` (`order: 'post'`): each prerendered
// page's HTML is checked as it renders, so a page holding an unsigned `imageboss:` value fails
// the build while it is generated, before Astro writes it to `dist/`.
import type { MiddlewareHandler } from 'astro'
import { definedInstance, getSharedState } from './shared.js'

export const onRequest: MiddlewareHandler = async (context, next) => {
  const response = await next()
  const pages = getSharedState(definedInstance())?.pages
  // Only in `astro build` (the integration shares `pages` then), and only pages written to `dist/`.
  if (!pages || !context.isPrerendered || !/^text\/html\b/i.test(response.headers.get('content-type') ?? '')) return response
  // Loaded here: a server that renders pages on demand never runs the check, nor loads it.
  const { checkPage, pageError, pageName } = await import('./page-check.js')
  // A copy of the body: the response goes on to Astro as it came.
  const html = await response.clone().text()
  const problems = checkPage(html, pageName(context.url.pathname, pages.get(context.routePattern)))
  if (problems.length > 0) throw pageError(problems)
  return response
}
