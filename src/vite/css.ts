import MagicString from 'magic-string'
import { findCssReferences } from '../core/css.js'
import { toProblem, type Problem } from '../core/slots.js'
import type { Context } from './context.js'
import { cleanId, hasLineComments } from './filters.js'
import { throwProblems } from './problems.js'

export interface TransformResult {
  code: string
  map: ReturnType<MagicString['generateMap']>
}

/**
 * Rewrite `url()` and `image-set()` references in a stylesheet, before Vite's CSS plugin
 * (and Sass, Less, Stylus) see it.
 */
export function transformCss(context: Context, code: string, id: string): TransformResult | null {
  if (!code.includes('imageboss:')) return null
  let s: MagicString | undefined
  const problems: Problem[] = []
  for (const found of findCssReferences(code, { lineComments: hasLineComments(id) })) {
    try {
      const url = context.imageboss.url(found.reference)
      s ??= new MagicString(code)
      s.update(found.start, found.end, url)
    } catch (error) {
      problems.push(toProblem(error, found.start, found.end))
    }
  }
  throwProblems(id, cleanId(id), code, problems, context.root)
  if (!s) return null
  return { code: s.toString(), map: s.generateMap({ hires: 'boundary' }) }
}
