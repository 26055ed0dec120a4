import { parse as acornParse, type Options as AcornOptions } from 'acorn'
import type { Node, Program, TemplateLiteral } from 'estree'
import { CODE_ELEMENTS } from '../attributes.js'
import { escapeJsString } from '../escape.js'
import { imageModuleExports, moduleValueCode } from '../image-module.js'
import type { ImageAttributes } from '../imageboss.js'
import { problemFromError, REASONS, type Problem } from '../problems.js'
import { report, reportLeftovers, signReference, type Scan } from './context.js'
import { scanString } from './embedded.js'
import { hasLeftover, leftovers } from './leftovers.js'
import { runtimeSigners, type RuntimeSigners } from './runtime-signers.js'
import { parseAuthored, type ScriptSyntax } from './script-syntax.js'
import { scanTaggedTemplate } from './tagged.js'
import { walk } from './walk.js'

/** ESTree nodes as Rollup, Rolldown and acorn give them: with offsets. */
type Located<T = Node> = T & { start: number; end: number }

export interface ScanScriptOptions {
  /** The parsed program, when the host parsed it already (optional). */
  program?: Program | undefined
  /**
   * How the module is written (default: `js`, compiled JavaScript). `ts`, `tsx` and `jsx`
   * read the author's file as written: JSX attribute strings are strings, JSX text is text
   * (a code element's a sample), and types are no values.
   */
  syntax?: ScriptSyntax | undefined
  /**
   * Write each `import … from 'imageboss:…'` as constants of its signed attributes, for a
   * host that resolves no such module (Turbopack) (default: `false`).
   */
  inlineImports?: boolean | undefined
  /**
   * JSX components, imported as the default export of `from`, that get the boolean
   * `attribute` where their `src` is a reference and the author wrote no such attribute
   * (`next/image`'s `unoptimized`: the signed URL is served as it is) (optional).
   */
  flagComponents?: ReadonlyArray<{ from: string; attribute: string }> | undefined
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
      program = !options.syntax || options.syntax === 'js' ? parseWithAcorn(code) : parseAuthored(code, options.syntax)
    } catch (error) {
      report(scan, syntaxProblem(error))
      return
    }
  }
  walkScript(scan, code, program, runtimeSigners(program), {
    inlineImports: options.inlineImports === true,
    flagged: flaggedComponents(program, options.flagComponents)
  })
}

/** What only an author's module (or a host that resolves no `imageboss:` module) asks of the walk. */
interface AuthoredOptions {
  inlineImports: boolean
  /** Local names of the flagged components, with the attribute each gets. */
  flagged: ReadonlyMap<string, string>
}

/** The `syntax-error` problem of what acorn threw, at its offset. */
function syntaxProblem(error: unknown): Problem {
  const pos = (error as { pos?: number }).pos ?? 0
  const message = error instanceof Error ? error.message.replace(/ \(\d+:\d+\)$/, '') : String(error)
  return { ruleId: 'syntax-error', reason: REASONS.syntaxError(message), start: pos, end: pos }
}

function walkScript(scan: Scan, code: string, program: Program, signers: RuntimeSigners, authored: AuthoredOptions): void {
  const skip = new Set<Node>()
  const urlArguments = new Set<Node>()
  const keepSrcOf = scan.options.keepSrcOf

  walk(program as Node, (node, parent, key) => {
    if (skip.has(node)) return false
    // Only an author's module holds these: `T` and `J` first, tested before anything else.
    const type = node.type as string
    const first = type.charCodeAt(0)
    // Types are erased: nothing in them ships (`declare module 'imageboss:*'`, `as 'imageboss:…'`).
    if (first === 84 && TYPE_NODE_RE.test(type)) return false
    if (first === 74 && type.startsWith('JSX')) return walkJsx(scan, code, node as unknown as JsxNode, skip, authored.flagged)
    switch (node.type) {
      case 'ImportDeclaration':
        if ((node as { importKind?: string }).importKind === 'type') return false
        if (authored.inlineImports && !scan.check && typeof node.source.value === 'string' && node.source.value.startsWith('imageboss:')) {
          inlineImport(scan, code, node as Located<typeof node>)
          return false
        }
        if (!scan.check) skip.add(node.source)
        return
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

/** TypeScript's type nodes (and declarations of nothing but types): erased by the compiler. */
const TYPE_NODE_RE =
  /^TS(?:.*Type|TypeAnnotation|TypeAliasDeclaration|InterfaceDeclaration|ModuleDeclaration|TypeParameter(?:Instantiation|Declaration)|DeclareFunction)$/

/** The JSX nodes the walk reads, with offsets. */
interface JsxNode {
  type: string
  start: number
  end: number
  /** An element's name node, or an identifier's name. */
  name?: JsxNode | string
  openingElement?: JsxNode
  attributes?: JsxNode[]
  children?: JsxNode[]
  value?: unknown
}

/**
 * JSX of an author's module: text is text (a reference there is a problem, as in HTML); the
 * text and expressions inside a code element (`<code>`, `<pre>`) are a sample; a flagged
 * component with a reference as its `src` gets its attribute. Attribute strings are
 * `Literal`s, read as any string.
 */
function walkJsx(scan: Scan, code: string, node: JsxNode, skip: Set<Node>, flagged: ReadonlyMap<string, string>): void {
  if (node.type === 'JSXText') {
    reportLeftovers(scan, code.slice(node.start, node.end), node.start, 'JSX text')
    return
  }
  if (node.type === 'JSXOpeningElement') {
    const name = typeof node.name === 'object' ? node.name : undefined
    const attribute = flagged.get(identifierName(name) ?? '')
    if (attribute && name && !scan.check && hasReferenceSrc(node) && !hasAttribute(node, attribute))
      scan.result.edits.push({ start: name.end, end: name.end, text: ` ${attribute}` })
    return
  }
  if (node.type !== 'JSXElement' || typeof node.openingElement?.name !== 'object') return
  if (!CODE_ELEMENTS.has(identifierName(node.openingElement.name) ?? '')) return
  const pending = [...(node.children ?? [])]
  while (pending.length > 0) {
    const child = pending.pop() as JsxNode
    if (child.type === 'JSXElement' || child.type === 'JSXFragment') pending.push(...(child.children ?? []))
    else {
      skip.add(child as unknown as Node)
      scan.samples.push({ start: child.start, end: child.end })
    }
  }
}

/** The name of a `JSXIdentifier` (`img`, `Image`); `undefined` for a member or namespaced name. */
function identifierName(node: JsxNode | undefined): string | undefined {
  return node?.type === 'JSXIdentifier' && typeof node.name === 'string' ? node.name : undefined
}

/** Whether a JSX element's `src` is a string holding a whole reference. */
function hasReferenceSrc(element: JsxNode): boolean {
  return (element.attributes ?? []).some((attribute) => {
    if (attribute.type !== 'JSXAttribute' || typeof attribute.name !== 'object' || identifierName(attribute.name) !== 'src') return false
    const value = attribute.value as { type?: string; value?: unknown; expression?: { type?: string; value?: unknown } } | null
    const literal = value?.type === 'JSXExpressionContainer' ? value.expression : value
    return literal?.type === 'Literal' && typeof literal.value === 'string' && literal.value.startsWith('imageboss:')
  })
}

function hasAttribute(element: JsxNode, name: string): boolean {
  return (element.attributes ?? []).some(
    (attribute) => attribute.type === 'JSXAttribute' && typeof attribute.name === 'object' && identifierName(attribute.name) === name
  )
}

/** Local names of the components of `flagComponents`, from the module's default imports. */
function flaggedComponents(program: Program, components: ScanScriptOptions['flagComponents']): Map<string, string> {
  const flagged = new Map<string, string>()
  if (!components || components.length === 0) return flagged
  for (const statement of program.body) {
    if (statement.type !== 'ImportDeclaration') continue
    const component = components.find((c) => c.from === statement.source.value)
    if (!component) continue
    for (const specifier of statement.specifiers) {
      const isDefault =
        specifier.type === 'ImportDefaultSpecifier' ||
        (specifier.type === 'ImportSpecifier' && specifier.imported.type === 'Identifier' && specifier.imported.name === 'default')
      if (isDefault) flagged.set(specifier.local.name, component.attribute)
    }
  }
  return flagged
}

/**
 * `import hero, { srcset } from 'imageboss:/hero.jpg?w=800'` written as
 * `const hero = "https://…", srcset = undefined;`: the exports of the module a bundler
 * plugin would make (\`src\`, \`srcset\`, \`sizes\`, \`width\`, \`height\`, the URL as default),
 * for a host that resolves no such module. A reference that cannot be signed is a problem at
 * its place in the specifier (the placeholder's constants written where the host asks for one).
 */
function inlineImport(scan: Scan, code: string, node: Located<Node & { type: 'ImportDeclaration' }>): void {
  const source = node.source as Located<typeof node.source>
  const reference = source.value as string
  const raw = code.slice(source.start + 1, source.end - 1)
  let attributes: ImageAttributes
  try {
    const signer = scan.options.signer
    if (!signer) throw new Error('Expected a `signer` to sign references')
    attributes = signer.image ? signer.image(reference) : { src: signer.url(reference) }
    scan.result.count++
  } catch (error) {
    report(scan, problemFromError(error, source.start + 1, source.end - 1, raw === reference))
    const placeholder = scan.options.placeholder
    if (placeholder === undefined) return
    attributes = { src: placeholder }
  }
  const exported = imageModuleExports(attributes)
  const declarations: string[] = []
  for (const specifier of node.specifiers) {
    if (specifier.type === 'ImportNamespaceSpecifier') {
      const members = Object.entries(exported).map(([name, value]) => `${name}: ${moduleValueCode(value)}`)
      declarations.push(`${specifier.local.name} = Object.freeze({ ${members.join(', ')} })`)
      continue
    }
    const imported =
      specifier.type === 'ImportDefaultSpecifier'
        ? 'default'
        : specifier.imported.type === 'Identifier'
          ? specifier.imported.name
          : String(specifier.imported.value)
    if (!Object.hasOwn(exported, imported)) {
      const at = specifier as Located<typeof specifier>
      report(scan, {
        ruleId: 'unsupported-position',
        reason: `Unexpected import of \`${imported}\` from an \`imageboss:\` reference, expected the default export or one of ${Object.keys(exported)
          .filter((name) => name !== 'default')
          .map((name) => `\`${name}\``)
          .join(', ')}`,
        start: at.start,
        end: at.end
      })
      continue
    }
    declarations.push(`${specifier.local.name} = ${moduleValueCode(exported[imported as keyof typeof exported])}`)
  }
  scan.result.edits.push({ start: node.start, end: node.end, text: declarations.length > 0 ? `const ${declarations.join(', ')};` : ';' })
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
