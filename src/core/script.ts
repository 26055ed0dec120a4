import type { Node } from 'estree'
import { walk } from 'estree-walker'

/** ESTree nodes as Rollup, Rolldown and acorn give them: with offsets. */
export type Located<T = Node> = T & { start: number; end: number }

/** A string in a script that mentions `imageboss:`, for a caller to sign or to check. */
export interface ScriptString {
  node: Located
  /** The string's value (a template literal's cooked text). */
  value: string
  /** Whether it is a template literal (written with backticks). */
  template: boolean
  /** Whether it is the first argument of `new URL(…, import.meta.url)`. */
  urlArgument: boolean
}

export interface ScriptScan {
  /** String literals and expression-less template literals that mention `imageboss:`. */
  strings: ScriptString[]
  /** References assembled when the code runs (`'imageboss:/a.jpg?w=' + w`, `` `imageboss:/${x}` ``). */
  dynamic: Located[]
}

export interface ScanScriptOptions {
  /**
   * Names of Astro components (`$$renderComponent($$result, "Image", …, { src })`) whose `src`
   * prop is left out (optional).
   */
  keepSrcOf?: readonly string[] | undefined
  /** Whether import and export specifiers are scanned too (default: `false`). */
  specifiers?: boolean | undefined
}

const RUNTIME_SIGNERS = new Set(['imagebossUrl', 'imagebossResolve'])
const RUNTIME_SIGNER_METHODS = new Set(['url', 'resolve'])

/**
 * The strings of a parsed script that may hold references, and the references it builds at
 * run time. Left out, everywhere alike (the Vite plugin, the CLI and the build-output check):
 * import specifiers (modules, not URLs), object keys (names), tagged templates (their tag
 * reads the raw strings), and the argument of a call that signs when the code runs
 * (`boss.url(…)`, `resolve(…)`, `imagebossUrl(…)`).
 */
export function scanScript(program: Node, options: ScanScriptOptions = {}): ScriptScan {
  const strings: ScriptString[] = []
  const dynamic: Located[] = []
  const skip = new Set<Node>()
  const urlArguments = new Set<Node>()

  walk(program, {
    enter(node, parent, key) {
      if (skip.has(node)) return this.skip()
      switch (node.type) {
        case 'ImportDeclaration':
        case 'ExportNamedDeclaration':
        case 'ExportAllDeclaration':
        case 'ImportExpression':
          if (node.source && !options.specifiers) skip.add(node.source)
          return
        case 'NewExpression':
          if (isImportMetaUrlBase(node) && node.arguments[0]) urlArguments.add(node.arguments[0])
          return
        case 'CallExpression': {
          if (isRuntimeSigner(node.callee) && node.arguments[0]) skip.add(node.arguments[0])
          const src = options.keepSrcOf ? keptSrc(node, options.keepSrcOf) : undefined
          if (src) skip.add(src)
          return
        }
        case 'Property':
        case 'PropertyDefinition':
        case 'MethodDefinition':
          if (!node.computed && (node.type !== 'Property' || (key === 'properties' && parent?.type === 'ObjectExpression'))) skip.add(node.key)
          return
        case 'Literal':
          if (typeof node.value === 'string' && node.value.includes('imageboss:')) {
            strings.push({ node: node as Located, value: node.value, template: false, urlArgument: urlArguments.has(node) })
          }
          return
        case 'TemplateLiteral': {
          const head = node.quasis[0]?.value.cooked
          if (typeof head !== 'string' || !head.includes('imageboss:')) return
          if (node.expressions.length === 0) {
            if (parent?.type !== 'TaggedTemplateExpression') {
              strings.push({ node: node as Located, value: head, template: true, urlArgument: urlArguments.has(node) })
            }
          } else if (head.startsWith('imageboss:')) {
            dynamic.push(node as Located)
            return this.skip()
          }
          return
        }
        case 'BinaryExpression': {
          if (node.operator !== '+') return
          let left: Node = node.left
          while (left.type === 'BinaryExpression' && left.operator === '+') left = left.left
          if (left.type === 'Literal' && typeof left.value === 'string' && left.value.startsWith('imageboss:')) {
            dynamic.push(node as Located)
            return this.skip()
          }
          return
        }
        default:
          return
      }
    }
  })
  return { strings, dynamic }
}

/** A whole reference: the scheme and something after it. */
export function isReference(value: string): boolean {
  return value.length > 'imageboss:'.length && value.startsWith('imageboss:')
}

/** A call that signs its argument when the code runs: the core's `url`/`resolve`, or the Astro helpers. */
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
