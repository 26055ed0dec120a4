import type { Element } from 'hast'
import type { Node, Parent } from 'unist'
import type { VFile } from 'vfile'
import { CODE_ELEMENTS } from '../core/attributes.js'
import { REASONS } from '../core/problems.js'
import { applyEdits } from '../core/edits.js'
import { hasLeftover, scanText, signDecodedValue, type Signer } from '../core/scan/index.js'
import { scriptKindOf } from '../core/scan/embedded.js'
import { rewriteElement } from './element.js'
import { isHtmlName, rewriteJsx, type JsxElement } from './mdx-jsx.js'
import { codeDepthChange } from '../core/scan/code-depth.js'
import { rewriteRaw, type Raw } from './raw.js'
import type { Place, Report } from './report.js'
import type { Current } from './transform.js'

/** What a visit of one tree shares: its file, the problems found so far, and the signer. */
export interface VisitState {
  /** The file being processed. */
  file: VFile
  /** Problems found so far, reported once the whole tree has been visited. */
  reports: Report[]
  /** Signs references. */
  signer: Signer
  /** The file's text, when it is a string: `raw` nodes are located in it. */
  source: string | undefined
  /** Told which file and node are being processed. */
  track: (current: Current | undefined) => void
}

/**
 * Ancestors of the node being visited, itself included: one stack, copied only for a message.
 * `code`: the node sits in a code sample (`<code>`, `<pre>`, `<kbd>`, …), whose text is shown
 * as it is; the elements and attributes in it are real, and signed.
 */
export function visit(state: VisitState, node: Node, path: Node[], code = false): void {
  path.push(node)
  try {
    visitNode(state, node, path, code)
  } finally {
    path.pop()
  }
}

function visitNode(state: VisitState, node: Node, path: Node[], code: boolean): void {
  const { file, reports, signer, source, track } = state
  let inCode = code
  if (node.type === 'element') {
    const element = node as Element
    if (CODE_ELEMENTS.has(element.tagName) || element.tagName === 'textarea') inCode = true
    visitElement(state, element, path)
  } else if (node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') {
    const element = node as unknown as JsxElement
    if (element.name !== null && isHtmlName(element.name) && CODE_ELEMENTS.has(element.name)) inCode = true
    track({ file, place: element.position, ancestors: path })
    const parent = path.at(-2) as (Node & { name?: string | null; tagName?: string }) | undefined
    const result = rewriteJsx(element, signer, parent?.name ?? parent?.tagName)
    for (const problem of result.problems) reports.push({ problem: problem.problem, place: problem.place, ancestors: [...path] })
  } else if (node.type === 'text') {
    // The text of a code sample is shown as it is.
    if (code) return
    const text = node as Node & { value: string }
    // Whether there is one, not a list of them all (a text can hold a million).
    if (hasLeftover(text.value)) {
      reports.push({ problem: { ruleId: 'unsupported-position', reason: REASONS.unsupportedPosition('in text') }, place: node.position, ancestors: [...path] })
    }
    return
  } else if (node.type === 'raw') {
    const raw = node as Raw
    if (!raw.value.includes('imageboss:')) return
    track({ file, place: raw.position, ancestors: path })
    const result = rewriteRaw(raw, signer, source)
    for (const problem of result.problems) reports.push({ problem: problem.problem, place: problem.place, ancestors: [...path] })
    return
  }

  const children = (node as Partial<Parent>).children
  if (children) {
    // Raw HTML splits inline tags into sibling nodes: `<code>`, text, `</code>`. What comes
    // between is in the code sample: its text is the sample's, its tags and elements are real.
    let codeDepth = 0
    for (const child of children) {
      visit(state, child, path, inCode || codeDepth > 0)
      if (child.type === 'raw') codeDepth = Math.max(0, codeDepth + codeDepthChange((child as Raw).value))
    }
  }
  if (node.type === 'element' && (node as Element).tagName === 'template') {
    const content = (node as Element).content
    // The template's content hangs off the element: the element stays its ancestor.
    if (content) visitNode(state, content, path, inCode)
  }
}

function visitElement(state: VisitState, element: Element, path: Node[]): void {
  state.track({ file: state.file, place: element.position, ancestors: path })
  if (element.tagName === 'style') {
    visitStyle(state, element, path)
    return
  }
  if (element.tagName === 'script') {
    visitScript(state, element, path)
    return
  }
  const parent = path.at(-2)
  const result = rewriteElement(element, state.signer, parent?.type === 'element' ? (parent as Element).tagName : undefined)
  for (const { property, problem } of result.problems) {
    state.reports.push({ problem, place: propertyPlace(element, property), ancestors: [...path] })
  }
}

/** `<script>` text (from `rehype-raw` or `rehype-parse`): by its type, through the core's scanners. */
function visitScript(state: VisitState, element: Element, path: Node[]): void {
  const type = typeof element.properties.type === 'string' ? element.properties.type.trim().toLowerCase() : ''
  for (const child of element.children) {
    if (child.type !== 'text' || !hasLeftover(child.value)) continue
    const kind = scriptKindOf(type)
    if (kind === 'sample') continue
    const result = kind
      ? scanText(kind, child.value, { signer: state.signer })
      : {
          edits: [],
          count: 0,
          problems: [{ ruleId: 'unsupported-position' as const, reason: REASONS.unsupportedPosition(`in a \`<script type="${type}">\``), start: 0, end: 0 }]
        }
    if (result.problems.length > 0) {
      for (const problem of result.problems) state.reports.push({ problem, place: child.position ?? element.position, ancestors: [...path, child] })
    } else {
      child.value = applyEdits(child.value, result.edits)
    }
  }
}

/** `<style>` text (from `rehype-raw` or `rehype-parse`): CSS `url()` and `image-set()`. */
function visitStyle(state: VisitState, element: Element, path: Node[]): void {
  for (const child of element.children) {
    if (child.type !== 'text' || !child.value.includes('imageboss:')) continue
    const result = signDecodedValue(child.value, 'css', 'style', { signer: state.signer })
    if (result.problems.length > 0) {
      for (const problem of result.problems) {
        state.reports.push({ problem, place: child.position ?? element.position, ancestors: [...path, child] })
      }
    } else {
      child.value = result.value
    }
  }
}

/** Where a property sits: exact with `rehype-parse` `verbose` positions, else the element. */
function propertyPlace(element: Element, property: string): Place {
  const data = element.data as { position?: { properties?: Record<string, Place> } } | undefined
  return data?.position?.properties?.[property] ?? element.position
}
