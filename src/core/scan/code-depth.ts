import { CODE_ELEMENTS } from '../attributes.js'

/** The start of a code element's tag (`<code`, `</pre`), tried at one offset (sticky). */
const CODE_TAG_START_RE = new RegExp(`<(/?)(?:${[...CODE_ELEMENTS].join('|')})(?=[\\s/>])`, 'iy')
const COMMENT_RE = /<!--[\s\S]*?(?:-->|$)/g

/**
 * The tags of code elements in some markup, in order: where each starts, and whether it
 * opens (`1`), closes (`-1`) or is self-closing (`0`). A tag runs to the next `>`; without
 * one no later tag can end either, so the walk stops there, where a regex (`[^>]*>`) ran to
 * the end of the text again from every `<code` (n²).
 */
function* codeTags(html: string): Generator<{ at: number; change: number }> {
  for (let at = html.indexOf('<'); at !== -1; at = html.indexOf('<', at + 1)) {
    CODE_TAG_START_RE.lastIndex = at
    const start = CODE_TAG_START_RE.exec(html)
    if (!start) continue
    const end = html.indexOf('>', CODE_TAG_START_RE.lastIndex)
    if (end === -1) return
    yield { at, change: start[1] === '/' ? -1 : html.charCodeAt(end - 1) === 47 /* `/` */ ? 0 : 1 }
    at = end
  }
}

/**
 * How many code elements (`<code>`, `<pre>`, …) a raw HTML string leaves open (negative:
 * closes). Inline HTML in Markdown comes as one piece per tag (`<code>`, text, `</code>`) in
 * both Markdown hosts (rehype's `raw` nodes, markdown-it's `html_inline` tokens), so what
 * follows an opening tag is code too, as it is once the HTML is parsed whole.
 */
export function codeDepthChange(html: string): number {
  if (!html.includes('<')) return 0
  let depth = 0
  for (const tag of codeTags(html.replace(COMMENT_RE, ''))) depth += tag.change
  return depth
}

/**
 * Where a piece of markup that starts inside a code element (a compiled template's string:
 * `imageboss:/x.jpg</code>`, its `<code>` in the string before) leaves it: the start of the
 * first closing code tag that no opening one in the piece matches, or 0 when there is none.
 * What comes before is the sample's text.
 */
export function codeTextEnd(html: string): number {
  if (!html.includes('</')) return 0
  let depth = 0
  for (const tag of codeTags(html)) if ((depth += tag.change) < 0) return tag.at
  return 0
}
