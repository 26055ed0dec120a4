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

/**
 * `findCssReferences`, handing each finding over as it comes: a caller that acts on each
 * keeps no list (a stylesheet can hold a million).
 */
export function walkCss(css: string, lineComments: boolean | undefined, handlers: CssHandlers): void {
  // Open functions, innermost last. Real stylesheets nest a few levels; beyond MAX_DEPTH only
  // the depth is counted, so hostile input (`((((…`) cannot grow memory with its size.
  const functions: string[] = []
  let overflow = 0
  const openFunction = (name: string) => {
    if (functions.length < MAX_DEPTH) functions.push(name)
    else overflow++
  }
  const closeFunction = () => {
    if (overflow > 0) overflow--
    else functions.pop()
  }
  const length = css.length
  let i = 0
  while (i < length) {
    const c = css.charAt(i)
    if (c === '/' && (css.charAt(i + 1) === '*' || (css.charAt(i + 1) === '/' && lineComments))) {
      const block = css.charAt(i + 1) === '*'
      const close = css.indexOf(block ? '*/' : '\n', i + 2)
      const end = close === -1 ? length : close + (block ? 2 : 1)
      handlers.comment({ start: i, end })
      i = end
    } else if (c === '"' || c === "'") {
      const start = i + 1
      let j = start
      while (j < length && css.charAt(j) !== c && css.charAt(j) !== '\n') j += css.charAt(j) === '\\' ? 2 : 1
      const end = Math.min(j, length)
      const inner = overflow > 0 ? undefined : functions.at(-1)
      if (inner !== undefined && IMAGE_FUNCTIONS.has(inner) && css.startsWith('imageboss:', start)) {
        handlers.reference({ reference: css.slice(start, end), start, end })
      } else if (inner !== undefined && IMAGE_FUNCTIONS.has(inner) && OTHER_SCHEME_RE.test(css.slice(start, start + 40))) {
        handlers.otherUrl({ start, end })
      }
      i = j + 1
    } else if (c === '(') {
      let k = i
      while (k > 0 && NAME_CHAR_RE.test(css.charAt(k - 1))) k--
      const name = css.slice(k, i).toLowerCase()
      openFunction(name)
      i++
      if (name === 'url') {
        // An unquoted `url(…)` is one token that runs to `)`.
        let j = i
        while (j < length && /\s/.test(css.charAt(j))) j++
        if (css.charAt(j) !== '"' && css.charAt(j) !== "'") {
          const close = css.indexOf(')', j)
          const end = close === -1 ? length : close
          const value = css.slice(j, end).trimEnd()
          if (value.startsWith('imageboss:')) handlers.reference({ reference: value, start: j, end: j + value.length })
          else if (OTHER_SCHEME_RE.test(value)) handlers.otherUrl({ start: j, end: j + value.length })
          closeFunction()
          i = close === -1 ? length : close + 1
        }
      }
    } else if (c === ')') {
      closeFunction()
      i++
    } else {
      i++
    }
  }
}
