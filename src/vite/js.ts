import type { Node, Program } from 'estree'
import MagicString from 'magic-string'
import { rewriteHtml } from '../core/html.js'
import { isReference, scanScript, type Located } from '../core/script.js'
import { applyEdits, toProblem } from '../core/slots.js'
import type { Context } from './context.js'
import { applyEditsTo } from './edits.js'
import type { PendingProblem } from './problems.js'
import type { TransformResult } from './css.js'


export interface ScriptResult {
  /** The rewritten module, or `null` when nothing changed. */
  result: TransformResult | null
  /** Invalid references. */
  problems: PendingProblem[]
  /** References built at runtime, which cannot be signed at build time. */
  dynamic: PendingProblem[]
}

export interface ScriptOptions {
  /**
   * Whether strings may hold HTML markup: compiled Svelte and Vue components keep static
   * markup as one string (`from_html(\`<img src="…">\`)`, `createStaticVNode("<img …>")`),
   * where a reference is an attribute value, not the whole string (default: `false`).
   */
  markup?: boolean | undefined
  /**
   * Names of Astro components (`$$renderComponent($$result, "Image", …, { src })`) whose `src`
   * prop stays a reference (optional).
   */
  keepSrcOf?: readonly string[] | undefined
}

const DYNAMIC_REASON =
  'Unexpected dynamic reference, built at runtime so it cannot be signed at build time; expected a whole reference in one string, such as a lookup object of full references (`{ small: \'imageboss:/a.jpg?w=400\', large: \'imageboss:/a.jpg?w=800\' }`)'

/**
 * Rewrite string literals and expression-less template literals whose whole value is a
 * reference, in compiled JavaScript. Import specifiers are left to `resolveId`; references
 * assembled at runtime are reported.
 */
export function transformScript(context: Context, code: string, program: Program, options: ScriptOptions = {}): ScriptResult {
  const problems: PendingProblem[] = []
  const dynamic: PendingProblem[] = []
  let s: MagicString | undefined

  const rewrite = (node: Located<Node>, value: string, quote: '"' | '`', urlArgument: boolean) => {
    if (!isReference(value)) {
      if (options.markup && value.includes('<') && value.includes('imageboss:')) rewriteMarkup(node, value, quote)
      return
    }
    try {
      const url = context.imageboss.url(value)
      s ??= new MagicString(code)
      // Core URLs are percent-encoded: no backslash, backtick or `${` to escape.
      const literal = quote === '`' ? '`' + url + '`' : JSON.stringify(url)
      // `new URL(absolute, import.meta.url)` is the absolute URL; Vite would still look for
      // it as a file and warn, unless told not to.
      s.update(node.start, node.end, urlArgument ? '/* @vite-ignore */ ' + literal : literal)
    } catch (error) {
      const problem = toProblem(error, 0, value.length)
      // The offset inside the value is exact only when the literal has no escapes.
      const raw = code.slice(node.start + 1, node.end - 1)
      problems.push({
        ruleId: problem.ruleId,
        reason: problem.reason,
        offset: node.start + 1 + (raw === value ? problem.start : 0),
        anchor: node.start
      })
    }
  }

  /** Attribute values inside a string of markup. */
  const rewriteMarkup = (node: Located<Node>, value: string, quote: '"' | '`') => {
    const found = rewriteHtml(value, (reference) => context.imageboss.url(reference), {
      fragment: true,
      image: (reference) => context.imageboss.image(reference)
    })
    const raw = code.slice(node.start + 1, node.end - 1)
    const exact = raw === value
    for (const problem of found.problems) {
      problems.push({ ruleId: problem.ruleId, reason: problem.reason, offset: node.start + 1 + (exact ? problem.start : 0), anchor: node.start })
    }
    if (found.edits.length === 0) return
    s ??= new MagicString(code)
    if (exact) {
      // No escapes in the literal: offsets in the value are offsets in the code.
      applyEditsTo(s, found.edits, node.start + 1)
    } else {
      const text = applyEdits(value, found.edits)
      s.update(node.start, node.end, quote === '`' ? '`' + text.replace(/[`\\]|\$\{/g, '\\$&') + '`' : JSON.stringify(text))
    }
  }

  const scan = scanScript(program as Node, { keepSrcOf: options.keepSrcOf })
  for (const string of scan.strings) rewrite(string.node, string.value, string.template ? '`' : '"', string.urlArgument)
  for (const node of scan.dynamic) dynamic.push({ ruleId: 'dynamic-reference', reason: DYNAMIC_REASON, offset: node.start })

  return { result: s ? { code: s.toString(), map: s.generateMap({ hires: 'boundary' }) } : null, problems, dynamic }
}
