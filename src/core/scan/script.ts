import { parse as acornParse, type Options as AcornOptions } from 'acorn'
import type { Node, Program, TemplateLiteral } from 'estree'
import { CODE_ELEMENTS } from '../attributes.js'
import { escapeJsString } from '../escape.js'
import { REASONS, type Problem } from '../problems.js'
import { report, signReference, type Scan } from './context.js'
import { scanString } from './embedded.js'
import { hasLeftover, leftovers } from './leftovers.js'
import { runtimeSigners, type RuntimeSigners } from './runtime-signers.js'
import { scanTaggedTemplate } from './tagged.js'
import { walk } from './walk.js'

/** ESTree nodes as Rollup, Rolldown and acorn give them: with offsets. */
type Located<T = Node> = T & { start: number; end: number }

export interface ScanScriptOptions {
  /** The parsed program, when the host parsed it already (optional). */
  program?: Program | undefined
}

/** How the scanner parses with acorn (and a host that cuts a script into statements tokenizes). */
const ACORN_OPTIONS: AcornOptions = {
  ecmaVersion: 'latest',
  allowHashBang: true,
  allowReturnOutsideFunction: true,
  allowAwaitOutsideFunction: true,
  allowImportExportEverywhere: true
}

/** Parse with acorn: as a module, then as a classic script. Throws acorn's `SyntaxError` (with `pos`). */
function parseWithAcorn(code: string): Program {
  try {
    return acornParse(code, { ...ACORN_OPTIONS, sourceType: 'module' }) as unknown as Program
  } catch {
    return acornParse(code, { ...ACORN_OPTIONS, sourceType: 'script' }) as unknown as Program
  }
}

/** A reference that runs to the end of `value`: the rest of it comes from an expression. */
function endsInReference(value: string): boolean {
  // The last occurrence, found without keeping a list of them all.
  let end = -1
  for (const found of leftovers(value)) end = found.end
  return end !== -1 && !/[\s"'<>()`,;]/.test(value.slice(end))
}

/**
 * Sign the references of a script (JS/TS after compilation). Every string that mentions a
 * reference is read by the string rules (`scanString`): a whole reference, markup, CSS, or
 * a problem; a tagged template's text as markup or CSS (`scanTaggedTemplate`). Left out:
 * import specifiers when signing (the bundler resolves them), object keys (names), the argument of a
 * call to this package's own runtime signers (an import you can trace), and the `src` of
 * the components in `keepSrcOf`. References assembled when the code runs are
 * `dynamic-reference` problems.
 */
export function scanScript(scan: Scan, code: string, options: ScanScriptOptions = {}): void {
  if (!hasLeftover(code)) return
  let program = options.program
  if (!program) {
    try {
      program = parseWithAcorn(code)
    } catch (error) {
      report(scan, syntaxProblem(error))
      return
    }
  }
  walkScript(scan, code, program, runtimeSigners(program))
}

/** The `syntax-error` problem of what acorn threw, at its offset. */
function syntaxProblem(error: unknown): Problem {
  const pos = (error as { pos?: number }).pos ?? 0
  const message = error instanceof Error ? error.message.replace(/ \(\d+:\d+\)$/, '') : String(error)
  return { ruleId: 'syntax-error', reason: REASONS.syntaxError(message), start: pos, end: pos }
}

function walkScript(scan: Scan, code: string, program: Program, signers: RuntimeSigners): void {
  const skip = new Set<Node>()
  const urlArguments = new Set<Node>()
  const keepSrcOf = scan.options.keepSrcOf

  walk(program as Node, (node, parent, key) => {
    if (skip.has(node)) return false
    switch (node.type) {
      case 'ImportDeclaration':
      case 'ExportNamedDeclaration':
      case 'ExportAllDeclaration':
      case 'ImportExpression':
        // The bundler resolves specifiers (`import url from 'imageboss:…'`); in its output one is a leftover.
        if (node.source && !scan.check) skip.add(node.source)
        return
      case 'NewExpression':
        if (isImportMetaUrlBase(node) && node.arguments[0]) urlArguments.add(node.arguments[0])
        return
      case 'CallExpression': {
        if (node.arguments[0] && signers.isSigner(node.callee)) skip.add(node.arguments[0])
        const src = keepSrcOf ? keptSrc(node, keepSrcOf) : undefined
        if (src) skip.add(src)
        if (CODE_ELEMENTS.has(tagName(node.arguments[0]) ?? '')) {
          for (const sample of codeText(node)) {
            skip.add(sample)
            scan.samples.push({ start: (sample as Located).start, end: (sample as Located).end })
          }
        }
        return
      }
      case 'Property':
      case 'PropertyDefinition':
      case 'MethodDefinition':
        if (!node.computed && (node.type !== 'Property' || (key === 'properties' && parent?.type === 'ObjectExpression'))) skip.add(node.key)
        return
      case 'Literal':
        if (typeof node.value === 'string') scanLiteral(scan, code, node as Located, node.value, urlArguments.has(node))
        return
      case 'TemplateLiteral':
        // A tagged template's tag reads its text as written: markup or CSS; its expressions are code like any other.
        if (parent?.type === 'TaggedTemplateExpression' && key === 'quasi') {
          scanTaggedTemplate(scan, code, node as Located<TemplateLiteral>, parent.tag as Node)
          return
        }
        scanTemplate(scan, code, node as Located<TemplateLiteral>, urlArguments.has(node))
        return
      case 'BinaryExpression': {
        // Only the outermost `+` of a chain: an inner one's operands but its last are operands
        // but the last of the outer one, already checked (each `a + b + …` level checking
        // the whole chain again was quadratic).
        if (node.operator !== '+' || (parent?.type === 'BinaryExpression' && parent.operator === '+')) return
        if (concatenated(node).some((operand) => operand.type === 'Literal' && typeof operand.value === 'string' && endsInReference(operand.value))) {
          report(scan, { ruleId: 'dynamic-reference', reason: REASONS.dynamicReference(), start: (node as Located).start, end: (node as Located).end })
          return false
        }
        return
      }
      default:
        return
    }
  })
}

/**
 * The operands of `a + b + c`, left to right, but the last (what follows it ends a reference
 * at run time). A loop with a stack: copying arrays at each level of the (left-nested) chain
 * was quadratic, and recursion overflows on a long one.
 */
function concatenated(node: Node): Node[] {
  const operands: Node[] = []
  const pending: Node[] = [node]
  while (pending.length > 0) {
    const next = pending.pop() as Node
    if (next.type === 'BinaryExpression' && next.operator === '+') pending.push(next.right, next.left as Node)
    else operands.push(next)
  }
  operands.pop()
  return operands
}

function scanLiteral(scan: Scan, code: string, node: Located, value: string, urlArgument: boolean): void {
  if (!hasLeftover(value)) return
  const quote = code.charAt(node.start) as '"' | "'"
  if (urlArgument && !scan.check && value.startsWith('imageboss:')) {
    // `new URL(absolute, import.meta.url)` is the absolute URL; Vite would still look for it
    // as a file and warn, unless told not to.
    const prefix = scan.options.viteIgnore ? '/* @vite-ignore */ ' : ''
    signReference(scan, value, node.start, node.end, 'in `new URL()`', (url) => prefix + quote + escapeJsString(url, quote) + quote, false)
    return
  }
  scanString(scan, value, code.slice(node.start + 1, node.end - 1), node.start + 1, { kind: 'js-string', quote }, 'in a string')
}

function scanTemplate(scan: Scan, code: string, node: Located<TemplateLiteral>, urlArgument: boolean): void {
  const quasis = node.quasis
  if (node.expressions.length === 0) {
    const cooked = quasis[0]?.value.cooked
    if (typeof cooked !== 'string') return
    if (urlArgument && !scan.check && cooked.startsWith('imageboss:') && hasLeftover(cooked)) {
      const prefix = scan.options.viteIgnore ? '/* @vite-ignore */ ' : ''
      signReference(scan, cooked, node.start, node.end, 'in `new URL()`', (url) => prefix + '`' + escapeJsString(url, '`') + '`', false)
      return
    }
    scanString(scan, cooked, code.slice(node.start + 1, node.end - 1), node.start + 1, { kind: 'js-string', quote: '`' }, 'in a template literal')
    return
  }
  for (const [index, quasi] of quasis.entries()) {
    const cooked = quasi.value.cooked
    if (typeof cooked !== 'string' || !hasLeftover(cooked)) continue
    const located = quasi as Located<typeof quasi>
    const raw = code.slice(located.start, located.end)
    if ((index < quasis.length - 1 && endsInReference(cooked)) || raw !== quasi.value.raw) {
      report(scan, { ruleId: 'dynamic-reference', reason: REASONS.dynamicReference('a template literal'), start: node.start, end: node.end })
      return
    }
    scanString(scan, cooked, raw, located.start, { kind: 'js-string', quote: '`' }, 'in a template literal')
  }
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

/**
 * The text of a code element made by a compiled template: `h('code', props, children)`,
 * Vue's `createElementVNode("code", null, "…")` (minified to any name), `jsx("pre", { children })`,
 * and MDX's `jsx(_components.code, { children })` (the tag looked up in its components).
 * What a template shows as text in `<code>` or `<pre>` is a sample, as it is in HTML; the
 * elements in it (`createElementVNode("img", { src })`, also deeper down) are real, their
 * props read as usual, their own children text of the sample. Anything else among the
 * children (a string, an expression) is text.
 */
function codeText(element: Node & { type: 'CallExpression' }): Node[] {
  const text: Node[] = []
  const pending: Node[] = [...elementChildren(element)]
  while (pending.length > 0) {
    const child = pending.pop() as Node
    if (child.type === 'ArrayExpression') {
      for (const item of child.elements) if (item) pending.push(item)
    } else if (child.type === 'CallExpression' && isElementCall(child)) {
      pending.push(...elementChildren(child))
    } else {
      text.push(child)
    }
  }
  return text
}

/** The children of a compiled template's element call: `h(tag, props, ...children)`, `jsx(tag, { children })`. */
function elementChildren(node: Node & { type: 'CallExpression' }): Node[] {
  const [tag, props, ...rest] = node.arguments
  if (!tag || !props) return []
  if (props.type === 'ObjectExpression') {
    const children = props.properties.find(
      (p) =>
        p.type === 'Property' &&
        !p.computed &&
        ((p.key.type === 'Identifier' && p.key.name === 'children') || (p.key.type === 'Literal' && p.key.value === 'children'))
    )
    return [...(children?.type === 'Property' ? [children.value] : []), ...rest] as Node[]
  }
  if (props.type === 'Literal' && props.value === null) return rest as Node[]
  // `h('code', 'text')`: no props, the children second. Not with a looked-up tag, where
  // `response.code(404, 'imageboss:…')` is a method like any other.
  return (tag.type === 'Literal' ? [props, ...rest] : []) as Node[]
}

/** An element inside a code element's children: a tag name, component or looked-up tag, then props (an object or `null`). */
function isElementCall(node: Node & { type: 'CallExpression' }): boolean {
  const [tag, props] = node.arguments
  if (!tag || !props || !((props.type === 'Literal' && props.value === null) || props.type === 'ObjectExpression')) return false
  if (tag.type === 'Literal') return typeof tag.value === 'string' && TAG_NAME_RE.test(tag.value)
  return tag.type === 'Identifier' || tag.type === 'MemberExpression'
}

const TAG_NAME_RE = /^[a-zA-Z][\w:-]*$/

/** The element name of a compiled template's call: `"code"`, or `components.code`. */
function tagName(tag: Node | undefined): string | undefined {
  if (!tag) return undefined
  if (tag.type === 'Literal') return typeof tag.value === 'string' ? tag.value : undefined
  if (tag.type === 'MemberExpression' && !tag.computed && tag.property.type === 'Identifier') return tag.property.name
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
