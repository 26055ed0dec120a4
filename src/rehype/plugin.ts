import type { Element, Root } from 'hast'
import type { Node, Parent } from 'unist'
import type { VFile } from 'vfile'
import { CODE_ELEMENTS } from '../core/attributes.js'
import { createImageBoss, type ImageBoss, type ImageBossOptions } from '../core/imageboss.js'
import { formatProblems, REASONS } from '../core/problems.js'
import { applyEdits } from '../core/edits.js'
import { findLeftovers, scanText, signDecodedValue, type Signer } from '../core/scan/index.js'
import { scriptKindOf } from '../core/scan/embedded.js'
import { rewriteElement } from './element.js'
import { isHtmlName, rewriteJsx, type JsxElement } from './mdx-jsx.js'
import { codeDepthChange, rewriteRaw, type Raw } from './raw.js'
import { reportProblem, startOf, type Place, type Report } from './report.js'

/**
 * Configuration: the options shared by every entry point of `imageboss-build`
 * (`source`, `secret`, `sources`, `baseUrl`, `defaults`, `presets`, `extraOptions`, `env`,
 * `production`, `onWarning`).
 *
 * In development a missing secret is reported as a warning on the file being processed
 * (and passed to `onWarning` too, when given); in production (`production`, default:
 * `NODE_ENV === 'production'`) any problem fails the file.
 */
export type Options = ImageBossOptions

const emptyOptions: Options = {}

/** The file and node being processed, for warnings the core raises while resolving. */
export interface Current {
  file: VFile
  place: Place
  ancestors: Node[]
}

/**
 * Turn `imageboss:` references into signed ImageBoss URLs: in hast elements (the core
 * attribute table: `src`, `srcSet`, `style`, …), in `raw` HTML nodes (`remark-rehype` with
 * `allowDangerousHtml`), and in MDX JSX attributes. Code (`<code>`, `<pre>`, …) is left alone.
 *
 * @param options
 *   Configuration (optional).
 * @returns
 *   Transform.
 * @throws {ImageBossError}
 *   `invalid-option` or `exposed-secret` for a configuration mistake.
 */
export function rehypeImageBoss(options?: Options | null): (tree: Root, file: VFile) => undefined {
  const settings = options ?? emptyOptions
  let current: Current | undefined
  const imageboss = createImageBoss({
    ...settings,
    onWarning(warning) {
      settings.onWarning?.(warning)
      if (current) {
        reportProblem(current.file, { problem: warning, place: current.place, ancestors: [...current.ancestors] }, false)
      } else if (!settings.onWarning) {
        console.warn(`[imageboss-build] ${warning.reason}`)
      }
    }
  })
  return createTransform(imageboss, (next) => {
    current = next
  })
}

/**
 * The transform with a resolver made elsewhere (the Astro integration shares one between
 * its layers); `track` is told which file and node are being processed.
 */
export function createTransform(
  imageboss: ImageBoss,
  track: (current: Current | undefined) => void = () => {}
): (tree: Root, file: VFile) => undefined {
  const production = imageboss.production
  const signer: Signer = { url: (reference) => imageboss.url(reference), image: (reference) => imageboss.image(reference) }
  return function transform(tree, file) {
    const reports: Report[] = []
    const source = typeof file.value === 'string' ? file.value : undefined

    try {
      visit(tree, [])
    } finally {
      track(undefined)
    }

    if (reports.length === 0) return
    for (const report of reports) reportProblem(file, report, production)
    if (production) {
      // Every problem's reason and place, in the message itself: a plain script prints only that.
      const count = reports.length
      const list = formatProblems(
        reports.map((r) => ({ ...r.problem, start: 0, end: 0, place: { file: file.path || undefined, ...(startOf(r.place) ?? { line: 1, column: 1 }) } })),
        file.cwd
      )
      const first = reports[0] as Report
      const message = file.message(
        `Cannot sign ${count} image reference${count === 1 ? '' : 's'} in a production build, expected valid \`imageboss:\` references:\n${list.replace(/^/gm, '  ')}`,
        { place: first.place, ruleId: first.problem.ruleId, source: 'imageboss-build' }
      )
      message.fatal = true
      throw message
    }

    /** Ancestors of the node being visited, itself included: one stack, copied only for a message. */
    function visit(node: Node, path: Node[]): void {
      path.push(node)
      try {
        visitNode(node, path)
      } finally {
        path.pop()
      }
    }

    function visitNode(node: Node, path: Node[]): void {
      if (node.type === 'element') {
        const element = node as Element
        if (CODE_ELEMENTS.has(element.tagName) || element.tagName === 'textarea') return
        visitElement(element, path)
      } else if (node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') {
        const element = node as unknown as JsxElement
        if (element.name !== null && isHtmlName(element.name) && CODE_ELEMENTS.has(element.name)) return
        track({ file, place: element.position, ancestors: path })
        const parent = path.at(-2) as (Node & { name?: string | null; tagName?: string }) | undefined
        const result = rewriteJsx(element, signer, parent?.name ?? parent?.tagName)
        for (const problem of result.problems) reports.push({ problem: problem.problem, place: problem.place, ancestors: [...path] })
      } else if (node.type === 'text') {
        const text = node as Node & { value: string }
        if (findLeftovers(text.value).length > 0) {
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
        // Raw HTML splits inline tags into sibling nodes: `<code>`, text, `</code>`.
        let codeDepth = 0
        for (const child of children) {
          if (codeDepth === 0) visit(child, path)
          if (child.type === 'raw') codeDepth = Math.max(0, codeDepth + codeDepthChange((child as Raw).value))
        }
      }
      if (node.type === 'element' && (node as Element).tagName === 'template') {
        const content = (node as Element).content
        // The template's content hangs off the element: the element stays its ancestor.
        if (content) visitNode(content, path)
      }
    }

    function visitElement(element: Element, path: Node[]): void {
      track({ file, place: element.position, ancestors: path })
      if (element.tagName === 'style') {
        visitStyle(element, path)
        return
      }
      if (element.tagName === 'script') {
        visitScript(element, path)
        return
      }
      const parent = path.at(-2)
      const result = rewriteElement(element, signer, parent?.type === 'element' ? (parent as Element).tagName : undefined)
      for (const { property, problem } of result.problems) {
        reports.push({ problem, place: propertyPlace(element, property), ancestors: [...path] })
      }
    }

    /** `<script>` text (from `rehype-raw` or `rehype-parse`): by its type, through the core's scanners. */
    function visitScript(element: Element, path: Node[]): void {
      const type = typeof element.properties.type === 'string' ? element.properties.type.trim().toLowerCase() : ''
      for (const child of element.children) {
        if (child.type !== 'text' || findLeftovers(child.value).length === 0) continue
        const kind = scriptKindOf(type)
        if (kind === 'sample') continue
        const result = kind
          ? scanText(kind, child.value, { signer })
          : { edits: [], count: 0, problems: [{ ruleId: 'unsupported-position' as const, reason: REASONS.unsupportedPosition(`in a \`<script type="${type}">\``), start: 0, end: 0 }] }
        if (result.problems.length > 0) {
          for (const problem of result.problems) reports.push({ problem, place: child.position ?? element.position, ancestors: [...path, child] })
        } else {
          child.value = applyEdits(child.value, result.edits)
        }
      }
    }

    /** `<style>` text (from `rehype-raw` or `rehype-parse`): CSS `url()` and `image-set()`. */
    function visitStyle(element: Element, path: Node[]): void {
      for (const child of element.children) {
        if (child.type !== 'text' || !child.value.includes('imageboss:')) continue
        const result = signDecodedValue(child.value, 'css', 'style', { signer })
        if (result.problems.length > 0) {
          for (const problem of result.problems) {
            reports.push({ problem, place: child.position ?? element.position, ancestors: [...path, child] })
          }
        } else {
          child.value = result.value
        }
      }
    }
  }
}

/** Where a property sits: exact with `rehype-parse` `verbose` positions, else the element. */
function propertyPlace(element: Element, property: string): Place {
  const data = element.data as { position?: { properties?: Record<string, Place> } } | undefined
  return data?.position?.properties?.[property] ?? element.position
}
