import { LEFTOVER_SPAN } from './scan/leftovers.js'

/** A reference found in CSS: the range of the URL itself, without quotes. */
export interface CssReference {
  reference: string
  start: number
  end: number
}

export interface FindCssReferencesOptions {
  /** Whether `//` starts a comment (Sass, SCSS, Less, Stylus) (default: `false`). */
  lineComments?: boolean | undefined
  /** Where to collect the ranges of comments, which hold no references (optional). */
  comments?: Array<{ start: number; end: number }> | undefined
  /** Where to collect the ranges of other URLs (`data:`, `https:`): what they hold is theirs (optional). */
  otherUrls?: Array<{ start: number; end: number }> | undefined
}

const IMAGE_FUNCTIONS = new Set(['url', 'image-set', '-webkit-image-set', 'image', 'cross-fade'])
const NAME_CHAR_RE = /[\w-]/
const MAX_DEPTH = 256
/** A URL of another scheme (`data:`, `https:`). */
const OTHER_SCHEME_RE = /^(?!imageboss:)[a-zA-Z][a-zA-Z\d+.-]*:/

/** What `walkCss` finds, each in text order (and never overlapping). */
export interface CssHandlers {
  /** A reference: `url(imageboss:…)`, or a string in `image-set()`. */
  reference(found: CssReference): void
  /** A comment, which holds no reference. */
  comment(range: { start: number; end: number }): void
  /** A URL of another scheme (`data:`, `https:`): what it holds is its own. */
  otherUrl(range: { start: number; end: number }): void
}

/**
 * Find `imageboss:` references in CSS: `url(…)` arguments, quoted or not, and quoted
 * strings inside `image-set()`. Comments and other strings are skipped. One pass, linear.
 */
export function findCssReferences(css: string, options: FindCssReferencesOptions = {}): CssReference[] {
  const found: CssReference[] = []
  if (!css.includes('imageboss')) return found
  walkCss(css, options.lineComments, {
    reference: (reference) => found.push(reference),
    comment: (range) => options.comments?.push(range),
    otherUrl: (range) => options.otherUrls?.push(range)
  })
  return found
}

/** Where a walk of CSS stands between two parts of a stylesheet: its open functions. */
export interface CssWalk {
  /** Open functions, innermost last. */
  functions: string[]
  /** Functions opened past `MAX_DEPTH`, counted only. */
  overflow: number
}

export function createCssWalk(): CssWalk {
  return { functions: [], overflow: 0 }
}

/**
 * `findCssReferences`, handing each finding over as it comes: a caller that acts on each
 * keeps no list (a stylesheet can hold a million).
 */
export function walkCss(css: string, lineComments: boolean | undefined, handlers: CssHandlers): void {
  walkCssTokens(css, lineComments, handlers, createCssWalk(), true)
}

/**
 * Walk the tokens of `css` from `walk`'s state. Unless `final`, `css` is a part of a longer
 * stylesheet: tokens it does not hold whole (a comment, a string, an unquoted `url()` without
 * its end) are left, and the walk returns the offset it settled at — after a whole token, or
 * in plain text where no name and no leftover runs across it — with `walk` as it stands
 * there. Otherwise it returns `css.length`.
 */
export function walkCssTokens(css: string, lineComments: boolean | undefined, handlers: CssHandlers, walk: CssWalk, final: boolean): number {
  // Real stylesheets nest a few levels; beyond MAX_DEPTH only the depth is counted, so hostile
  // input (`((((…`) cannot grow memory with its size.
  const functions = walk.functions
  const openFunction = (name: string) => {
    if (functions.length < MAX_DEPTH) functions.push(name)
    else walk.overflow++
  }
  const closeFunction = () => {
    if (walk.overflow > 0) walk.overflow--
    else functions.pop()
  }
  const length = css.length
  let settled = 0
  let i = 0
  while (i < length) {
    const c = css.charAt(i)
    if (c === '/' && (css.charAt(i + 1) === '*' || (css.charAt(i + 1) === '/' && lineComments))) {
      const block = css.charAt(i + 1) === '*'
      const close = css.indexOf(block ? '*/' : '\n', i + 2)
      if (close === -1 && !final) return settled
      const end = close === -1 ? length : close + (block ? 2 : 1)
      handlers.comment({ start: i, end })
      i = settled = end
    } else if (c === '"' || c === "'") {
      const start = i + 1
      let j = start
      while (j < length && css.charAt(j) !== c && css.charAt(j) !== '\n') j += css.charAt(j) === '\\' ? 2 : 1
      if (j >= length && !final) return settled
      const end = Math.min(j, length)
      const inner = walk.overflow > 0 ? undefined : functions.at(-1)
      if (inner !== undefined && IMAGE_FUNCTIONS.has(inner) && css.startsWith('imageboss:', start)) {
        handlers.reference({ reference: css.slice(start, end), start, end })
      } else if (inner !== undefined && IMAGE_FUNCTIONS.has(inner) && OTHER_SCHEME_RE.test(css.slice(start, start + 40))) {
        handlers.otherUrl({ start, end })
      }
      i = settled = j + 1
    } else if (c === '(') {
      let k = i
      while (k > 0 && NAME_CHAR_RE.test(css.charAt(k - 1))) k--
      const name = css.slice(k, i).toLowerCase()
      if (name === 'url') {
        // An unquoted `url(…)` is one token that runs to `)`.
        let j = i + 1
        while (j < length && /\s/.test(css.charAt(j))) j++
        if (j >= length && !final) return settled
        if (css.charAt(j) !== '"' && css.charAt(j) !== "'") {
          const close = css.indexOf(')', j)
          if (close === -1 && !final) return settled
          const end = close === -1 ? length : close
          const value = css.slice(j, end).trimEnd()
          if (value.startsWith('imageboss:')) handlers.reference({ reference: value, start: j, end: j + value.length })
          else if (OTHER_SCHEME_RE.test(value)) handlers.otherUrl({ start: j, end: j + value.length })
          i = settled = close === -1 ? length : close + 1
          continue
        }
      }
      openFunction(name)
      i = settled = i + 1
    } else if (c === ')') {
      closeFunction()
      i = settled = i + 1
    } else {
      // Plain text up to the next character that may start or end a token, at once (this
      // one may be a `/` that starts no comment).
      SPECIAL_RE.lastIndex = i + 1
      const next = SPECIAL_RE.exec(css)?.index ?? length
      if (!final) settled = Math.max(settled, settleIn(css, i, Math.min(next, length - LEFTOVER_SPAN)))
      i = next
    }
  }
  return final ? length : settled
}

/** Where a token may start: a comment, a string, a function's parentheses. */
const SPECIAL_RE = /[/"'()]/g

/**
 * The last offset in `(from, to]` of plain text that a part may end at: after a character that
 * is not a name character (a name cut in two would be read as two) nor a CR (a part is located
 * on its own: a CRLF cut in two would count two lines), or -1 if none.
 */
function settleIn(css: string, from: number, to: number): number {
  for (let p = to; p > from; p--) {
    const before = css.charAt(p - 1)
    if (before !== '\r' && !NAME_CHAR_RE.test(before)) return p
  }
  return -1
}
