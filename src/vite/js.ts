import type { Node, Program } from 'estree'
import { walk } from 'estree-walker'
import MagicString from 'magic-string'
import { rewriteHtml } from '../core/html.js'
import { applyEdits, toProblem } from '../core/slots.js'
import type { Context } from './context.js'
import { applyEditsTo } from './edits.js'
import type { PendingProblem } from './problems.js'
import type { TransformResult } from './css.js'

/** Rollup and Rolldown both add offsets to ESTree nodes. */
type Located<T> = T & { start: number; end: number }

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
  const skip = new Set<Node>()
  const urlArguments = new Set<Node>()

  const rewrite = (node: Located<Node>, value: string, quote: '"' | '`') => {
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
      s.update(node.start, node.end, urlArguments.has(node) ? '/* @vite-ignore */ ' + literal : literal)
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

  walk(program as Node, {
    enter(node, parent, key) {
      if (skip.has(node)) return this.skip()
      switch (node.type) {
        case 'ImportDeclaration':
        case 'ExportNamedDeclaration':
        case 'ExportAllDeclaration':
        case 'ImportExpression':
          // `import x from 'imageboss:…'` is a module, handled by `resolveId` and `load`.
          if (node.source) skip.add(node.source)
          return
        case 'NewExpression':
          if (isImportMetaUrlBase(node) && node.arguments[0]) urlArguments.add(node.arguments[0])
          return
        case 'CallExpression': {
          // `boss.url(…)`, `imagebossUrl(…)`: the core signs this argument when the code runs.
          if (isRuntimeSigner(node.callee) && node.arguments[0]) skip.add(node.arguments[0])
          const src = options.keepSrcOf ? keptSrc(node, options.keepSrcOf) : undefined
          if (src) skip.add(src)
          return
        }
        case 'Property':
          if (!node.computed && key === 'properties' && parent?.type === 'ObjectExpression') skip.add(node.key)
          return
        case 'Literal':
          if (typeof node.value === 'string') rewrite(node as Located<Node>, node.value, '"')
          return
        case 'TemplateLiteral': {
          const head = node.quasis[0]?.value.cooked
          if (typeof head !== 'string' || !head.includes('imageboss:')) return
          if (node.expressions.length === 0) {
            // A tag gets the raw strings: leave tagged templates to their tag.
            if (parent?.type !== 'TaggedTemplateExpression') rewrite(node as Located<Node>, head, '`')
          } else if (head.startsWith('imageboss:')) {
            dynamic.push({ ruleId: 'dynamic-reference', reason: DYNAMIC_REASON, offset: (node as Located<Node>).start })
            return this.skip()
          }
          return
        }
        case 'BinaryExpression': {
          if (node.operator !== '+') return
          let left: Node = node.left
          while (left.type === 'BinaryExpression' && left.operator === '+') left = left.left
          if (left.type === 'Literal' && typeof left.value === 'string' && left.value.startsWith('imageboss:')) {
            dynamic.push({ ruleId: 'dynamic-reference', reason: DYNAMIC_REASON, offset: (node as Located<Node>).start })
            return this.skip()
          }
          return
        }
        default:
          return
      }
    }
  })

  return { result: s ? { code: s.toString(), map: s.generateMap({ hires: 'boundary' }) } : null, problems, dynamic }
}

const RUNTIME_SIGNERS = new Set(['imagebossUrl', 'imagebossResolve'])
const RUNTIME_SIGNER_METHODS = new Set(['url', 'resolve'])

/** A call that signs its argument at run time: the core's `url`/`resolve`, or the Astro helpers. */
function isRuntimeSigner(callee: Node): boolean {
  if (callee.type === 'Identifier') return RUNTIME_SIGNERS.has(callee.name)
  return (
    callee.type === 'MemberExpression' &&
    !callee.computed &&
    callee.property.type === 'Identifier' &&
    RUNTIME_SIGNER_METHODS.has(callee.property.name)
  )
}

/** In `$$renderComponent($$result, "Image", $$Image, { "src": "imageboss:…" })`, the `src` value. */
function keptSrc(node: Node & { type: 'CallExpression' }, names: readonly string[]): Node | undefined {
  const [, name, , props] = node.arguments
  if (node.callee.type !== 'Identifier' || node.callee.name !== '$$renderComponent') return undefined
  if (name?.type !== 'Literal' || typeof name.value !== 'string' || !names.includes(name.value)) return undefined
  if (props?.type !== 'ObjectExpression') return undefined
  for (const property of props.properties) {
    if (property.type !== 'Property') continue
    const key = property.key.type === 'Identifier' ? property.key.name : property.key.type === 'Literal' ? property.key.value : undefined
    if (key === 'src') return property.value
  }
  return undefined
}

/** `new URL(x, import.meta.url)` */
function isImportMetaUrlBase(node: Node & { type: 'NewExpression' }): boolean {
  const base = node.arguments[1]
  return (
    node.callee.type === 'Identifier' &&
    node.callee.name === 'URL' &&
    base?.type === 'MemberExpression' &&
    base.object.type === 'MetaProperty' &&
    base.object.meta.name === 'import' &&
    base.property.type === 'Identifier' &&
    base.property.name === 'url'
  )
}

/** A whole reference: the scheme and something after it. */
function isReference(value: string): boolean {
  return value.length > 'imageboss:'.length && value.startsWith('imageboss:')
}
