import { fileURLToPath } from 'node:url'
import type { Element } from 'hast'
import type { Position } from 'unist'
import { URL_ATTRIBUTES } from '../core/attributes.js'
import type { ImageBoss } from '../core/imageboss.js'
import type { Problem } from '../core/problems.js'
import type { Signer } from '../core/scan/index.js'
import { rewriteElement } from '../hast/element.js'
import { rewriteJsx, type JsxElement } from '../hast/mdx-jsx.js'
import { rewriteRaw, type Raw } from '../hast/raw.js'

// Structural types of Sätteri's hast plugin API (`defineHastPlugin` from `satteri`), kept
// local so this package needs no Sätteri dependency: Astro 7 ships Sätteri itself.

type AnyNode = { type: string; position?: Position | undefined; tagName?: string; name?: string | null }

interface Context {
  readonly source: string
  readonly fileURL: URL | undefined
  replaceNode(node: AnyNode, replacement: AnyNode): void
  setProperty(node: AnyNode, key: string, value: unknown): void
  parent(node: AnyNode): AnyNode | undefined
}

interface Filtered<N> {
  filter: string[]
  visit(node: N, ctx: Context): void
}

/** A Sätteri hast plugin definition. */
export interface SatteriHastPlugin {
  name: string
  options: { position: boolean }
  before(root: unknown, ctx: Context): void
  after(root: unknown, ctx: Context): void
  element: Filtered<Element>
  mdxJsxFlowElement: Filtered<JsxElement>
  mdxJsxTextElement: Filtered<JsxElement>
  raw(node: Raw, ctx: Context): void
}

/** A problem found in a Markdown or MDX document, located. */
export interface DocumentProblem {
  problem: Problem
  file: string
  place: Position | undefined
}

const ELEMENT_TAGS = [...new Set(URL_ATTRIBUTES.map((entry) => entry.tagName).filter((tag) => tag !== '*')), 'style']

/**
 * The rehype plugin's work as a Sätteri hast plugin, for Astro 7, whose default Markdown
 * processor (Sätteri) runs its own plugins rather than rehype's. Same attribute table,
 * same raw-HTML and MDX JSX handling; edits go through Sätteri's context, since its nodes
 * are read-only snapshots. Elements inside a code sample (`<kbd><img …>`) are real and signed
 * like any other; the sample's text is not visited. `onProblems` receives a document's problems after it is visited.
 */
export function createSatteriPlugin(imageboss: ImageBoss, onProblems: (problems: DocumentProblem[], file: string, source: string) => void): SatteriHastPlugin {
  // An instance's methods need no `this`: it is a signer as it is.
  const signer: Signer = imageboss
  let problems: DocumentProblem[] = []
  let file = ''

  const report = (problem: Problem, place: Position | undefined) => {
    problems.push({ problem, file, place })
  }

  const visitJsx: Filtered<JsxElement> = {
    filter: [],
    visit(node, ctx) {
      if (!node.attributes.some((a) => typeof a.value === 'string' || typeof a.value?.value === 'string')) return
      // Sätteri gives expression attributes as source text, without an estree.
      const copy = structuredClone(node) as JsxElement
      for (const attribute of copy.attributes) {
        if (attribute.type !== 'mdxJsxAttribute' || typeof attribute.value !== 'object' || attribute.value === null) continue
        const literal = stringLiteral(attribute.value.value)
        if (literal !== undefined) attribute.value = literal
      }
      const before = new Map(copy.attributes.map((a) => [a, a.value]))
      const parent = ctx.parent(node)
      const result = rewriteJsx(copy, signer, parent?.tagName ?? parent?.name)
      for (const problem of result.problems) report(problem.problem, problem.place)
      for (const attribute of copy.attributes) {
        if (attribute.type === 'mdxJsxAttribute' && attribute.value !== before.get(attribute)) ctx.setProperty(node, attribute.name, attribute.value)
      }
    }
  }

  return {
    name: 'imageboss-build',
    options: { position: true },
    before(_root, ctx) {
      problems = []
      file = ctx.fileURL ? fileURLToPath(ctx.fileURL) : ''
    },
    after(_root, ctx) {
      if (problems.length > 0) onProblems(problems, file, ctx.source)
    },
    element: {
      filter: ELEMENT_TAGS,
      visit(node, ctx) {
        const copy = { ...node, properties: { ...node.properties } }
        const parent = ctx.parent(node)
        const result = rewriteElement(copy, signer, parent?.type === 'element' ? parent.tagName : undefined)
        for (const { problem } of result.problems) report(problem, node.position)
        for (const key of new Set([...Object.keys(node.properties), ...Object.keys(copy.properties)])) {
          const value = copy.properties[key]
          if (value !== node.properties[key]) ctx.setProperty(node, key, value)
        }
      }
    },
    mdxJsxFlowElement: visitJsx,
    mdxJsxTextElement: visitJsx,
    raw(node, ctx) {
      if (!node.value.includes('imageboss')) return
      const copy: Raw = { ...node }
      const result = rewriteRaw(copy, signer, ctx.source)
      for (const problem of result.problems) report(problem.problem, problem.place)
      if (copy.value !== node.value) ctx.replaceNode(node, { ...copy })
    }
  }
}

const STRING_LITERAL_RE = /^\s*(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\$]|\\.|\$(?!\{))*)`)\s*$/

/** The value of an expression that is one string literal (`{"…"}`, `{'…'}`, `` {`…`} ``). */
function stringLiteral(expression: string): string | undefined {
  const match = STRING_LITERAL_RE.exec(expression)
  if (!match) return undefined
  const [, double, single, template] = match
  const body = double ?? single ?? template ?? ''
  try {
    // JSON reads the escapes JavaScript and JSON share; others (`\x41`) are not literals here.
    return JSON.parse(
      '"' +
        body
          .replaceAll("\\'", "'")
          .replaceAll('\\`', '`')
          .replace(/(?<!\\)"/g, '\\"') +
        '"'
    ) as string
  } catch {
    return undefined
  }
}
