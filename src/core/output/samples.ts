/**
 * The text that markup shows as a code sample, which the syntax leaves alone: the text (never
 * the elements or attributes) inside `<code>` and `<pre>`, the body of
 * `<script type="text/plain">`, and comments. A small tokenizer of its own: the output check
 * shares nothing with the scanners that wrote the output. Linear; nothing built per tag.
 */

export interface Range {
  start: number
  end: number
}

const MARKUP_RE = /<(?:!--|!\[CDATA\[|\/?[A-Za-z][^\s/>]*)/g
const SAMPLE_ELEMENTS = new Set(['code', 'pre'])
/** Elements whose content is text up to their end tag, never tags. */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes'])
const PLAIN_TYPE_RE = /\btype\s*=\s*["']?text\/plain\b/i

/** The end of the tag whose name ends at `at`: after its `>`, quoted attribute values skipped. */
function tagEnd(text: string, at: number): number {
  let quote = ''
  for (let i = at; i < text.length; i++) {
    const char = text[i]
    if (quote) {
      if (char === quote) quote = ''
    } else if (char === '>') {
      return i + 1
    } else if ((char === '"' || char === "'") && /=\s*$/.test(text.slice(Math.max(at, i - 8), i))) {
      quote = char
    }
  }
  return text.length
}

/** Code-sample text and comments of a page (or of markup held in a script's strings). */
export function sampleRanges(text: string): Range[] {
  const ranges: Range[] = []
  if (!text.includes('<')) return ranges
  const lower = text.toLowerCase()
  let depth = 0
  let textFrom = 0
  MARKUP_RE.lastIndex = 0
  for (let match = MARKUP_RE.exec(text); match; match = MARKUP_RE.exec(text)) {
    const at = match.index
    const token = match[0]
    if (depth > 0 && at > textFrom) ranges.push({ start: textFrom, end: at })
    let next: number
    if (token === '<!--') {
      const close = text.indexOf('-->', at + 4)
      next = close === -1 ? text.length : close + 3
      ranges.push({ start: at, end: next })
    } else if (token === '<![CDATA[') {
      // Character data is text of the element around it: a sample inside `<code>`, else checked.
      const close = text.indexOf(']]>', at)
      next = close === -1 ? text.length : close + 3
      if (depth > 0) ranges.push({ start: at, end: next })
    } else {
      const closing = token[1] === '/'
      const name = token.slice(closing ? 2 : 1).toLowerCase()
      next = tagEnd(text, at + token.length)
      if (SAMPLE_ELEMENTS.has(name)) depth = Math.max(0, depth + (closing ? -1 : 1))
      else if (!closing && RAW_TEXT.has(name)) {
        const close = lower.indexOf(`</${name}`, next)
        const end = close === -1 ? text.length : close
        if (name === 'script' && PLAIN_TYPE_RE.test(text.slice(at, next))) ranges.push({ start: next, end })
        next = end
      }
    }
    textFrom = next
    MARKUP_RE.lastIndex = next
  }
  if (depth > 0 && textFrom < text.length) ranges.push({ start: textFrom, end: text.length })
  return ranges
}

/** `/* … *\/` comments of a stylesheet. */
export function cssCommentRanges(text: string): Range[] {
  const ranges: Range[] = []
  for (let at = text.indexOf('/*'); at !== -1;) {
    const close = text.indexOf('*/', at + 2)
    const end = close === -1 ? text.length : close + 2
    ranges.push({ start: at, end })
    at = text.indexOf('/*', end)
  }
  return ranges
}

/** Whether offsets, asked in increasing order, fall in any of `ranges` (sorted, apart): linear over a text. */
export function createInside(ranges: readonly Range[]): (offset: number) => boolean {
  let i = 0
  return (offset) => {
    while (i < ranges.length && (ranges[i] as Range).end <= offset) i++
    const range = ranges[i]
    return range !== undefined && range.start <= offset && offset < range.end
  }
}

/**
 * A compiled template's code element: `jsx(_components.code, …)`, `createElementVNode("code", …)`,
 * `h('pre', …)`, and React Server Components' payload, `["$","code",null,{…}]` (Next.js's
 * `.rsc` files, and the same inside its pages' scripts). Its text children are samples; the
 * attribute values of elements inside it are not.
 */
const CODE_CALL_RE = /\(\s*(?:(["'])(?:code|pre)\1|[\w$]+\.(?:code|pre))\s*,|\[\s*"\$"\s*,\s*"(?:code|pre)"\s*,/g
const STRING_START_RE = /["'`]/
const KEY_BEFORE_RE = /([\w$]+|"[\w$-]+"|'[\w$-]+')\s*:\s*$/

/** The end of the string literal that starts at `at` (its closing quote included). */
function stringEnd(text: string, at: number): number {
  const quote = text[at]
  for (let i = at + 1; i < text.length; i++) {
    if (text[i] === '\\') i++
    else if (text[i] === quote) return i + 1
  }
  return text.length
}

/** The text children (string literals that are not another key's value) of each compiled code element of a script. */
export function compiledSampleRanges(text: string): Range[] {
  const ranges: Range[] = []
  CODE_CALL_RE.lastIndex = 0
  for (let match = CODE_CALL_RE.exec(text); match; match = CODE_CALL_RE.exec(text)) {
    let depth = 1
    let i = match.index + match[0].length
    for (; i < text.length && depth > 0; i++) {
      const char = text[i] as string
      if (STRING_START_RE.test(char)) {
        const end = stringEnd(text, i)
        const key = KEY_BEFORE_RE.exec(text.slice(Math.max(0, i - 40), i))?.[1]?.replace(/["']/g, '')
        if (key === undefined || key === 'children') ranges.push({ start: i, end })
        i = end - 1
      } else if (char === '(' || char === '[' || char === '{') depth++
      else if (char === ')' || char === ']' || char === '}') depth--
    }
    CODE_CALL_RE.lastIndex = i
  }
  return ranges
}
