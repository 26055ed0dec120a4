import type { Position } from 'unist'
import { urlAttributesOf, type AttributeKind } from '../core/attributes.js'
import { addedAttributes, type ImageResolver } from '../core/image-element.js'
import type { ImageAttributes } from '../core/imageboss.js'
import { problemFromError, REASONS, type Problem } from '../core/problems.js'
import { hasLeftover, signDecodedValue, type Signer } from '../core/scan/index.js'

// Structural types of the MDX JSX nodes in hast (see `mdast-util-mdx-jsx`), kept local so
// the published types need no MDX packages.

interface EstreeNode {
  type: string
  [key: string]: unknown
}

interface Program {
  type: 'Program'
  body: EstreeNode[]
}

/** `name={expression}`. */
export interface AttributeValueExpression {
  type: 'mdxJsxAttributeValueExpression'
  value: string
  data?: { estree?: Program | null | undefined } | undefined
}

/** `name="value"` or `name={expression}`. */
export interface JsxAttribute {
  type: 'mdxJsxAttribute'
  name: string
  value?: string | AttributeValueExpression | null | undefined
  position?: Position | undefined
}

/** `{...spread}`. */
export interface JsxExpressionAttribute {
  type: 'mdxJsxExpressionAttribute'
  value: string
  position?: Position | undefined
}

/** `mdxJsxFlowElement` or `mdxJsxTextElement`. */
export interface JsxElement {
  type: 'mdxJsxFlowElement' | 'mdxJsxTextElement'
  name: string | null
  attributes: Array<JsxAttribute | JsxExpressionAttribute>
  position?: Position | undefined
}

export interface JsxProblem {
  problem: Problem
  place: Position | undefined
}

/** A problem about a whole attribute (no offsets inside it). */
function attributeProblem(ruleId: Problem['ruleId'], reason: string): Problem {
  return { ruleId, reason, start: 0, end: 0 }
}

/** The `dynamic-reference` of an expression or spread attribute. */
function dynamicReference(attribute: string | undefined): Problem {
  return attributeProblem('dynamic-reference', REASONS.dynamicReference(attribute === undefined ? 'a spread attribute' : `the expression of \`${attribute}\``))
}

/** Props of components (capitalised or member names) read as image URLs, by lowercase name. */
const COMPONENT_ATTRIBUTES: ReadonlyMap<string, AttributeKind> = new Map([
  ['src', 'url'],
  ['poster', 'url'],
  ['srcset', 'srcset'],
  ['imagesrcset', 'srcset']
])

/**
 * How an attribute of a JSX element holds references, or `undefined` when it holds none.
 *
 * - HTML elements (lowercase names): the core attribute table, matching the HTML name
 *   (`srcset`) or the hast/React name (`srcSet`) case-insensitively.
 * - Components (`<Image>`, `<ui.Hero>`): their props are unknown, so only the names that
 *   hold an image in HTML: `src`, `poster` (URLs) and `srcSet`/`srcset`/`imageSrcSet`
 *   (srcsets). Other props (`caption="imageboss: …"`) may be text and are left alone.
 */
function attributeKind(element: JsxElement, name: string): AttributeKind | undefined {
  if (element.name === null) return undefined
  const lower = name.toLowerCase()
  if (isHtmlName(element.name)) {
    for (const entry of urlAttributesOf(element.name)) {
      if (entry.attribute.toLowerCase() !== lower && entry.property.toLowerCase() !== lower) continue
      if (entry.when) {
        const condition = element.attributes.find((a): a is JsxAttribute => a.type === 'mdxJsxAttribute' && a.name.toLowerCase() === entry.when?.attribute)
        if (typeof condition?.value !== 'string' || condition.value.toLowerCase() !== entry.when.value) continue
      }
      return entry.kind
    }
    return undefined
  }
  return COMPONENT_ATTRIBUTES.get(lower)
}

/** Whether a JSX name is an HTML/SVG element rather than a component. */
export function isHtmlName(name: string): boolean {
  return /^[a-z]/.test(name) && !name.includes('.')
}

/**
 * Rewrite the references in the attributes of an MDX JSX element: string values, and
 * expression values that are a single string literal (the estree literal is patched, as
 * the compiled output is generated from it). Other expressions and spreads that mention
 * `imageboss:` cannot be signed at build time: `dynamic-reference`. When any reference in
 * the element has a problem, the element is left unchanged.
 */
export function rewriteJsx(node: JsxElement, signer: Signer, parent?: string | null): { count: number; problems: JsxProblem[] } {
  const changes: Array<() => void> = []
  const problems: JsxProblem[] = []
  let count = 0
  const image = signer.image
  const isImage = node.name === 'img' || (node.name === 'source' && parent === 'picture')
  const handled = image && isImage ? imageChanges(node, image, changes, problems) : undefined
  if (handled) count++

  for (const attribute of node.attributes) {
    if (attribute === handled) continue
    const place = attribute.position ?? node.position
    if (attribute.type === 'mdxJsxExpressionAttribute') {
      if (hasLeftover(attribute.value)) problems.push({ problem: dynamicReference(undefined), place })
      continue
    }
    const value = attribute.value
    if (value === null || value === undefined) continue
    const text = typeof value === 'string' ? value : value.value
    if (!hasLeftover(text)) continue
    const kind = attributeKind(node, attribute.name)
    if (kind === undefined) continue

    if (typeof value === 'string') {
      const result = signDecodedValue(value, kind, attribute.name, { signer })
      for (const problem of result.problems) problems.push({ problem, place })
      if (result.count > 0) {
        count += result.count
        changes.push(() => {
          attribute.value = result.value
        })
      }
      continue
    }

    const literal = stringLiteral(value)
    if (literal === undefined) {
      problems.push({ problem: dynamicReference(attribute.name), place })
      continue
    }
    if (!hasLeftover(literal.value)) continue
    const result = signDecodedValue(literal.value, kind, attribute.name, { signer })
    for (const problem of result.problems) problems.push({ problem, place })
    if (result.count > 0) {
      count += result.count
      changes.push(() => {
        literal.set(result.value)
        value.value = JSON.stringify(result.value)
      })
    }
  }

  if (problems.length > 0) return { count: 0, problems }
  for (const change of changes) change()
  return { count, problems }
}

/**
 * An `<img>` whose `src` is one reference (or a `<picture>`'s `<source>` whose `src` or
 * `srcSet` is): its URL, and the responsive attributes it asks for (`srcSet`, `sizes`,
 * `width`, `height`, `loading`, `decoding`, `fetchPriority`), added unless the author wrote
 * them. A `<source>` whose reference asks for a srcset gets it as its `srcSet`. Returns the
 * attribute it took care of.
 */
function imageChanges(node: JsxElement, image: ImageResolver, changes: Array<() => void>, problems: JsxProblem[]): JsxAttribute | undefined {
  const element = node.name === 'img' ? 'img' : 'source'
  const find = (name: string) => node.attributes.find((a): a is JsxAttribute => a.type === 'mdxJsxAttribute' && a.name.toLowerCase() === name)
  const attribute = element === 'img' ? find('src') : (find('srcset') ?? find('src'))
  const value = attribute?.value
  const literal = typeof value === 'string' ? undefined : value ? stringLiteral(value) : undefined
  const reference = (typeof value === 'string' ? value : literal?.value)?.trim()
  if (!attribute || !reference?.startsWith('imageboss:')) return undefined
  // A `srcSet` of several candidates is a list: the attribute table signs it.
  if (attribute.name.toLowerCase() === 'srcset' && /[\s,]/.test(reference)) return undefined
  let attributes: ImageAttributes
  try {
    attributes = image(reference)
  } catch (error) {
    problems.push({ problem: problemFromError(error, 0, reference.length), place: attribute.position ?? node.position })
    return attribute
  }
  const names = new Set(node.attributes.map((a) => (a.type === 'mdxJsxAttribute' ? a.name.toLowerCase() : '')))
  // `style` is an object in JSX: a placeholder is written on Markdown images, not on JSX ones.
  const added = addedAttributes(attributes, element, (name) => names.has(name)).filter((a) => (element === 'img' || a.name !== 'srcset') && a.name !== 'style')
  const asSrcset = element === 'source' && attributes.srcset !== undefined
  const url = asSrcset ? (attributes.srcset as string) : attributes.src
  changes.push(() => {
    if (literal && typeof value !== 'string' && value) {
      literal.set(url)
      value.value = JSON.stringify(url)
    } else {
      attribute.value = url
    }
    if (asSrcset) attribute.name = 'srcSet'
    const at = node.attributes.indexOf(attribute) + 1
    node.attributes.splice(at, 0, ...added.map((a): JsxAttribute => ({ type: 'mdxJsxAttribute', name: a.property, value: a.value })))
  })
  return attribute
}

/**
 * The string of an expression that is a single string literal (`{"…"}`, `{'…'}`, or a
 * template literal without expressions), with a way to replace it in the estree.
 */
function stringLiteral(value: AttributeValueExpression): { value: string; set: (text: string) => void } | undefined {
  const program = value.data?.estree
  if (!program || program.body.length !== 1) return undefined
  const statement = program.body[0] as EstreeNode
  if (statement.type !== 'ExpressionStatement') return undefined
  const expression = statement.expression as EstreeNode
  if (expression.type === 'Literal' && typeof expression.value === 'string') {
    return {
      value: expression.value,
      set(text) {
        expression.value = text
        expression.raw = JSON.stringify(text)
      }
    }
  }
  if (expression.type === 'TemplateLiteral') {
    const quasis = expression.quasis as Array<{ value: { cooked?: string | null } }>
    const expressions = expression.expressions as unknown[]
    const cooked = quasis[0]?.value.cooked
    if (expressions.length !== 0 || quasis.length !== 1 || typeof cooked !== 'string') return undefined
    return {
      value: cooked,
      set(text) {
        // Replace the template by a plain literal, keeping its location fields.
        const { start, end, loc, range } = expression
        for (const key of Object.keys(expression)) delete expression[key]
        Object.assign(expression, { type: 'Literal', value: text, raw: JSON.stringify(text), start, end, loc, range })
      }
    }
  }
  return undefined
}
