import MagicString from 'magic-string'
import { rewriteHtml } from '../core/html.js'
import type { Context } from './context.js'
import { applyEditsTo } from './edits.js'
import type { TransformResult } from './css.js'
import { cleanId } from './filters.js'
import { throwProblems } from './problems.js'

const FRONTMATTER_RE = /^\s*---[^\n]*\n(?:[\s\S]*?\n)?---[^\S\n]*(?:\n|$)/

/** Where the template of an Astro component starts: after its `---` frontmatter fence. */
function templateStart(code: string): number {
  return FRONTMATTER_RE.exec(code)?.[0].length ?? 0
}

/**
 * Rewrite references in the markup of a raw Vue, Svelte or Astro component, before its compiler
 * runs. Compilers treat `src="imageboss:/a.jpg"` as a relative asset (Vue turns it into
 * `import … from '/a.jpg'`) or fold it into a string of static markup, so the value must be
 * a URL by then. `<script>` is raw text and left to the script transform, and so are
 * component props (`<Image src="imageboss:…">`): compiled, they are string literals that the
 * script transform signs, after the component's own handling had its chance (an image
 * service recovers the reference with `referenceOf`).
 */
export function transformMarkup(context: Context, code: string, id: string): TransformResult | null {
  if (!code.includes('imageboss:')) return null
  // An Astro component's frontmatter is code, signed once compiled like any script.
  const start = id.endsWith('.astro') ? templateStart(code) : 0
  const { edits, problems } = rewriteHtml(code.slice(start), (reference) => context.imageboss.url(reference), {
    fragment: true,
    skipComponents: true,
    image: (reference) => context.imageboss.image(reference)
  })
  throwProblems(id, cleanId(id), code, problems.map((p) => ({ ...p, start: p.start + start, end: p.end + start })), context.root)
  if (edits.length === 0) return null
  const s = new MagicString(code)
  applyEditsTo(s, edits, start)
  return { code: s.toString(), map: s.generateMap({ hires: 'boundary' }) }
}
