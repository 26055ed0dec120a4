import MagicString from 'magic-string'
import { rewriteHtml } from '../core/html.js'
import type { Context } from './context.js'
import { createProblemsError, locateProblems } from './problems.js'

/**
 * Rewrite references in an HTML entry. Runs as `transformIndexHtml` with `order: 'pre'`,
 * before Vite's asset pass, in build and dev (in dev HTML never reaches `transform`).
 * Only value ranges change, so the author's formatting survives byte for byte.
 */
export function transformHtml(context: Context, html: string, filename: string): string | undefined {
  if (!html.includes('imageboss:')) return undefined
  const { edits, problems } = rewriteHtml(html, (reference) => context.imageboss.url(reference))
  if (problems.length > 0) {
    const located = locateProblems(
      { id: filename, file: filename, text: html },
      problems.map((problem) => ({ ruleId: problem.ruleId, reason: problem.reason, offset: problem.start }))
    )
    // `transformIndexHtml` has no `this.error`: throw the shaped error ourselves.
    throw createProblemsError(filename, located, context.root)
  }
  if (edits.length === 0) return undefined
  const s = new MagicString(html)
  for (const edit of edits) s.update(edit.start, edit.end, edit.text)
  return s.toString()
}
