import MagicString from 'magic-string'
import { rewriteHtml } from '../core/html.js'
import type { Context } from './context.js'
import type { TransformResult } from './css.js'
import { cleanId } from './filters.js'
import { throwProblems } from './problems.js'

/**
 * Rewrite references in the markup of a raw Vue or Svelte component, before its compiler
 * runs. Compilers treat `src="imageboss:/a.jpg"` as a relative asset (Vue turns it into
 * `import … from '/a.jpg'`) or fold it into a string of static markup, so the value must be
 * a URL by then. `<script>` is raw text and left to the script transform.
 */
export function transformMarkup(context: Context, code: string, id: string): TransformResult | null {
  if (!code.includes('imageboss:')) return null
  const { edits, problems } = rewriteHtml(code, (reference) => context.imageboss.url(reference), { fragment: true })
  throwProblems(id, cleanId(id), code, problems, context.root)
  if (edits.length === 0) return null
  const s = new MagicString(code)
  for (const edit of edits) s.update(edit.start, edit.end, edit.text)
  return { code: s.toString(), map: s.generateMap({ hires: 'boundary' }) }
}
