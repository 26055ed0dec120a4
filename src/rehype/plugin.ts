import type { Element, Root } from 'hast'
import type { Node, Parent } from 'unist'
import type { VFile } from 'vfile'
import { CODE_ELEMENTS } from '../core/attributes.js'
import { createImageBoss, type ImageBoss, type ImageBossOptions } from '../core/imageboss.js'
import type { ImageResolver } from '../core/image-element.js'
import type { Resolver } from '../core/slots.js'
import { rewriteElement, rewriteDecoded } from './element.js'
import { isHtmlName, rewriteJsx, type JsxElement } from './mdx-jsx.js'
import { codeDepthChange, rewriteRaw, type Raw } from './raw.js'
import { reportProblem, type Place, type Report } from './report.js'

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
        reportProblem(current.file, { error: warning, place: current.place, ancestors: [...current.ancestors] }, false)
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
  const resolve: Resolver = (reference) => imageboss.url(reference)
  const image: ImageResolver = (reference) => imageboss.image(reference)
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
      const first = reports[0] as Report
      const start = first.place && 'start' in first.place ? first.place.start : first.place
      const where = start ? ` (first at ${start.line}:${start.column})` : ''
      const count = reports.length
      file.fail(
        `Cannot sign ${count} image reference${count === 1 ? '' : 's'} in a production build${where}, expected valid \`imageboss:\` references`,
        { place: first.place, ruleId: first.error.ruleId, source: 'imageboss-build', ancestors: first.ancestors }
      )
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
        if (CODE_ELEMENTS.has(element.tagName)) return
        visitElement(element, path)
      } else if (node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') {
        const element = node as unknown as JsxElement
        if (element.name !== null && isHtmlName(element.name) && CODE_ELEMENTS.has(element.name)) return
        track({ file, place: element.position, ancestors: path })
        const result = rewriteJsx(element, resolve, image)
        for (const problem of result.problems) reports.push({ error: problem.error, place: problem.place, ancestors: [...path] })
      } else if (node.type === 'raw') {
        const raw = node as Raw
        if (!raw.value.includes('imageboss:')) return
        track({ file, place: raw.position, ancestors: path })
        const result = rewriteRaw(raw, resolve, source, image)
        for (const problem of result.problems) reports.push({ error: problem.problem.error, place: problem.place, ancestors: [...path] })
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
      const parent = path.at(-2)
      const result = rewriteElement(element, resolve, image, parent?.type === 'element' ? (parent as Element).tagName : undefined)
      for (const { property, problem } of result.problems) {
        reports.push({ error: problem.error, place: propertyPlace(element, property), ancestors: [...path] })
      }
    }

    /** `<style>` text (from `rehype-raw` or `rehype-parse`): CSS `url()` and `image-set()`. */
    function visitStyle(element: Element, path: Node[]): void {
      for (const child of element.children) {
        if (child.type !== 'text' || !child.value.includes('imageboss:')) continue
        const result = rewriteDecoded(child.value, 'css', resolve)
        if (result.problems.length > 0) {
          for (const problem of result.problems) {
            reports.push({ error: problem.error, place: child.position ?? element.position, ancestors: [...path, child] })
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
