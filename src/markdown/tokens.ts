import { addedAttributes } from '../core/image-element.js'
import type { ImageAttributes } from '../core/imageboss.js'
import { applyEdits } from '../core/edits.js'
import { problemFromError, REASONS, type Problem } from '../core/problems.js'
import { MAX_PROBLEMS } from '../core/scan/context.js'
import { hasLeftover, scanText, signDecodedValue, type Signer } from '../core/scan/index.js'
import { leftovers } from '../core/scan/leftovers.js'
import { codeDepthChange } from '../core/scan/code-depth.js'
import type { Token } from './types.js'

/**
 * A problem found in a token, located by offset in the text of the block token it belongs
 * to (`content` of an `html_block` or of an `inline` token, whose `map` gives its lines);
 * `offset` is `undefined` when the token's text could not be found there.
 */
export interface TokenProblem {
  problem: Problem
  block: Token
  offset: number | undefined
}

/**
 * Sign the references of a parsed document in place: `image` tokens (`src`, with the
 * responsive attributes it asks for), link `href`s, and raw HTML (`html_block`,
 * `html_inline`) through the core HTML scanner. Code (`code_inline`, `fence`, `code_block`,
 * and text inside raw `<code>`…`</code>`) is left alone, though not the tags, images and links
 * inside raw `<code>`, which a browser loads and follows; a reference anywhere else in text is
 * a problem. A token with a problem is left unchanged.
 */
export function signTokens(tokens: readonly Token[], signer: Signer): TokenProblem[] {
  const found: TokenProblem[] = []
  for (const token of tokens) {
    if (token.type === 'html_block') signHtml(token, signer, (problem) => found.push({ problem, block: token, offset: problem.start }))
    else if (token.type === 'inline' && token.children) signInline(token, token.children, signer, found)
  }
  // As the core's scanners keep them: past this many the document has failed anyway, and
  // placing a million of them (hostile input) would only cost time.
  if (found.length > MAX_PROBLEMS) found.length = MAX_PROBLEMS
  return found
}

/** Raw HTML through the core scanner: only value ranges change, and only when all of them can. */
function signHtml(token: Token, signer: Signer, report: (problem: Problem) => void): void {
  if (!token.content.includes('imageboss')) return
  const result = scanText('html', token.content, { signer, fragment: true })
  if (result.problems.length > 0) for (const problem of result.problems) report(problem)
  else if (result.edits.length > 0) token.content = applyEdits(token.content, result.edits)
}

/**
 * The children of an `inline` token. They carry no position of their own: each is looked up
 * in the inline text from where the previous one was found, to place its problems.
 */
function signInline(inline: Token, children: readonly Token[], signer: Signer, found: TokenProblem[]): void {
  const text = inline.content
  let cursor = 0
  // Raw HTML splits inline tags into sibling tokens: `<code>`, text, `</code>`. Between them,
  // text is the sample's; tags, images and links are real.
  let codeDepth = 0
  // A search that fails reads the rest of the text: past a few, places are only approximate,
  // where a crafted paragraph of many tokens would make them quadratic.
  let misses = 0
  /** Where `value` is, from the cursor (which moves past it when `advance`), or `undefined`. */
  const find = (value: string, advance: boolean): number | undefined => {
    if (!value.includes('imageboss') || misses >= MAX_MISSES) return undefined
    const at = text.indexOf(value, cursor)
    if (at === -1) {
      misses++
      return undefined
    }
    if (advance) cursor = at + value.length
    return at
  }
  const report = (problem: Problem, at: number | undefined) => found.push({ problem, block: inline, offset: at === undefined ? undefined : at + problem.start })
  for (const child of children) {
    if (child.type === 'html_inline') {
      const at = find(child.content, true)
      signHtml(child, signer, (problem) => report(problem, at))
      codeDepth = Math.max(0, codeDepth + codeDepthChange(child.content))
      continue
    }
    if (child.type === 'code_inline' || (codeDepth > 0 && child.type === 'text')) {
      find(child.content, true)
      continue
    }
    if (child.type === 'text') {
      const at = find(child.content, true)
      for (const { start, end } of leftovers(child.content))
        report({ ruleId: 'unsupported-position', reason: REASONS.unsupportedPosition('in text'), start, end }, at)
    } else if (child.type === 'image' || child.type === 'link_open') {
      const src = child.type === 'image' ? child.attrGet('src') : null
      signLinkOrImage(child, signer, (problem, value) => report(problem, misses < MAX_MISSES ? locateValue(text, value, cursor) : undefined))
      // An image's destination ends it: what follows is after it (a link's text comes first).
      if (src !== null) find(src, true)
    }
  }
}

/** Failed searches per inline token before its places become approximate. */
const MAX_MISSES = 100

/**
 * Where a value of an image or link sits in the inline text: the value itself when written
 * as it is, else the first occurrence from `cursor`. Links are not passed over (their text
 * comes before their destination): the cursor stays.
 */
function locateValue(text: string, value: string, cursor: number): number | undefined {
  const exact = text.indexOf(value, cursor)
  if (exact !== -1) return exact
  const rest = text.indexOf('imageboss', cursor)
  return rest === -1 ? undefined : rest
}

/** The URL attribute of an `image` (`src`) or `link_open` (`href`) token, and the others, which must not hold a reference. */
function signLinkOrImage(token: Token, signer: Signer, report: (problem: Problem, value: string) => void): void {
  const name = token.type === 'image' ? 'src' : 'href'
  const problems: Array<[Problem, string]> = []
  for (const [attribute, value] of token.attrs ?? []) {
    if (attribute !== name && hasLeftover(value)) problems.push([misplaced(attribute, value), value])
  }
  // The alt text of an image is its content.
  if (token.type === 'image' && hasLeftover(token.content)) problems.push([misplaced('alt', token.content), token.content])
  const value = token.attrGet(name)
  let change: (() => void) | undefined
  if (value !== null && hasLeftover(value)) {
    const reference = value.trim()
    if (token.type === 'image' && signer.image && reference.startsWith('imageboss:')) {
      try {
        const attributes = signer.image(reference)
        change = () => setImage(token, attributes)
      } catch (error) {
        problems.push([problemFromError(error, 0, reference.length), reference])
      }
    } else {
      const result = signDecodedValue(value, 'url', name, { signer })
      for (const problem of result.problems) problems.push([problem, value])
      change = () => token.attrSet(name, result.value)
    }
  }
  if (problems.length > 0) for (const [problem, text] of problems) report(problem, text)
  else change?.()
}

function misplaced(attribute: string, value: string): Problem {
  const first = leftovers(value).next()
  const start = first.done ? 0 : first.value.start
  return {
    ruleId: 'unsupported-position',
    reason: REASONS.unsupportedPosition(`in the attribute \`${attribute}\`, which is not a URL attribute`),
    start,
    end: start
  }
}

/** An image's URL, and the responsive attributes it asks for that the token does not set. */
function setImage(token: Token, attributes: ImageAttributes): void {
  token.attrSet('src', attributes.src)
  for (const added of addedAttributes(attributes, 'img', (name) => token.attrGet(name) !== null)) token.attrSet(added.name, added.value)
}
