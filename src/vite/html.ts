import MagicString from 'magic-string'
import { rewriteHtml } from '../core/html.js'
import type { Context } from './context.js'
import { applyEditsTo } from './edits.js'
import { throwProblems } from './problems.js'

/**
 * Rewrite references in an HTML entry. Runs as `transformIndexHtml` with `order: 'pre'`,
 * before Vite's asset pass, in build and dev (in dev HTML never reaches `transform`).
 * Only value ranges change, so the author's formatting survives byte for byte.
 */
export function transformHtml(context: Context, html: string, filename: string): string | undefined {
  // `imageboss`, not `imageboss:`: the colon may be an entity (`imageboss&#58;/a.jpg`).
  if (!html.includes('imageboss')) return undefined
  const { edits, problems } = rewriteHtml(html, (reference) => context.imageboss.url(reference), {
    image: (reference) => context.imageboss.image(reference)
  })
  // `transformIndexHtml` has no `this.error`: the shaped error is thrown here.
  throwProblems(filename, filename, html, problems, context.root)
  if (edits.length === 0) return undefined
  const s = new MagicString(html)
  applyEditsTo(s, edits)
  return s.toString()
}
