import { createHmac, timingSafeEqual } from 'node:crypto'
import { parse, type DefaultTreeAdapterTypes as P5 } from 'parse5'
import { CODE_ELEMENTS } from '../core/attributes.js'
import type { FileKind } from './rewrite-text.js'
import { decodeXml } from './xml.js'

/** What `imageboss verify` reports; stable ids, documented in the README. */
export type FindingRule = 'leftover-reference' | 'invalid-token' | 'unsigned-url'

export interface Finding {
  rule: FindingRule
  /** Offset in the file's text. */
  offset: number
  message: string
  /** The URL or reference found. */
  value: string
}

/** How a source's URLs are checked. */
export interface SourceKey {
  /** Whether the source demands signed URLs. */
  signed: boolean
  /** Its secret, when one is configured. */
  secret: string | undefined
  /** Whether the source is configured at all (default source, `sources`, or a variable). */
  known: boolean
}

export interface VerifyKeys {
  /** The configured base URL, without a trailing `/`. */
  baseUrl: string
  keyOf(source: string): SourceKey
}

/** `imageboss:` with its colon, also written as an entity. */
const LEFTOVER_RE = /imageboss(?::|&#0*58;|&#x0*3a;|&colon;)(?=[\w/%.~-])/gi
const URL_END_RE = /[\s"'<>()\\`]/
const HEX_TOKEN_RE = /^[0-9a-f]{64}$/

/**
 * Check one file's text: every leftover reference, and every URL on the configured base URL
 * whose token does not verify or that lacks one for a signed source. Code samples and
 * comments in HTML, and comments in CSS and XML, are skipped, as `rewrite` leaves them. Returns the findings and how many
 * URLs were checked.
 */
export function verifyText(kind: FileKind, text: string, keys: VerifyKeys): { findings: Finding[]; urls: number } {
  const findings: Finding[] = []
  let urls = 0
  let skipped: [number, number][] | undefined
  const isSkipped = (offset: number) => {
    if (kind !== 'html' && kind !== 'css' && kind !== 'xml') return false
    skipped ??= kind === 'html' ? skippedRanges(text) : commentRanges(text, kind === 'css' ? /\/\*[\s\S]*?(?:\*\/|$)/g : /<!--[\s\S]*?(?:-->|$)/g)
    return skipped.some(([start, end]) => offset >= start && offset < end)
  }

  for (const match of text.matchAll(LEFTOVER_RE)) {
    const offset = match.index ?? 0
    if (isSkipped(offset)) continue
    let end = offset
    while (end < text.length && !URL_END_RE.test(text.charAt(end))) end++
    findings.push({
      rule: 'leftover-reference',
      offset,
      message: 'Unexpected `imageboss:` reference left in the output, expected it rewritten by `imageboss rewrite`',
      value: text.slice(offset, end)
    })
  }

  const prefix = keys.baseUrl + '/'
  const decode = kind === 'html' || kind === 'xml'
  const checked = new Map<string, Omit<Finding, 'offset'> | null | false>()
  for (let at = text.indexOf(prefix); at !== -1; at = text.indexOf(prefix, at + prefix.length)) {
    let end = at + prefix.length
    while (end < text.length && !URL_END_RE.test(text.charAt(end))) end++
    const raw = text.slice(at, end)
    if (isSkipped(at)) continue
    const url = decode ? decodeXml(raw.replaceAll('&amp;', '&')) : raw
    let result = checked.get(url)
    if (result === undefined) {
      const checkedUrl = checkUrl(url, keys)
      result = checkedUrl === undefined ? false : checkedUrl
      checked.set(url, result)
    }
    if (result === false) continue
    urls++
    if (result) findings.push({ ...result, offset: at })
  }
  findings.sort((a, b) => a.offset - b.offset)
  return { findings, urls }
}

/** `null` when the URL verifies, `undefined` when it is no image URL, else the finding. */
function checkUrl(url: string, keys: VerifyKeys): Omit<Finding, 'offset'> | null | undefined {
  const rest = url.slice(keys.baseUrl.length).split('#')[0] as string
  const question = rest.indexOf('?')
  const signedPath = question === -1 ? rest : rest.slice(0, question)
  const segments = signedPath.split('/')
  const source = segments[1]
  // `https://img.imageboss.me/` or `/source` alone is a link, not an image URL.
  if (!source || segments.length < 4) return undefined
  const token = question === -1 ? null : new URLSearchParams(rest.slice(question + 1)).get('bossToken')
  const key = keys.keyOf(source)
  if (token === null) {
    if (!key.known || !key.signed) return null
    return {
      rule: 'unsigned-url',
      message: `Unexpected unsigned URL of source \`${source}\`, which demands signed URLs; expected a \`bossToken\``,
      value: url
    }
  }
  if (key.secret !== undefined && tokenMatches(key.secret, signedPath, token)) return null
  const why =
    key.secret === undefined
      ? `no secret is configured for source \`${source}\``
      : `it does not verify with the secret of source \`${source}\` (tampered, made with an old secret, or for another source)`
  return { rule: 'invalid-token', message: `Unexpected \`bossToken\`: ${why}`, value: url }
}

/** Constant-time comparison of a token with the one the secret gives. */
export function tokenMatches(secret: string, signedPath: string, token: string): boolean {
  const expected = Buffer.from(createHmac('sha256', Buffer.from(secret, 'utf8')).update(signedPath, 'utf8').digest('hex'), 'utf8')
  const given = Buffer.from(HEX_TOKEN_RE.test(token) ? token : '', 'utf8')
  // Equal lengths for `timingSafeEqual`: a malformed token is compared against itself and fails.
  if (given.length !== expected.length) return !timingSafeEqual(expected, expected)
  return timingSafeEqual(expected, given)
}

/** Ranges of the comments of CSS or XML. */
function commentRanges(text: string, re: RegExp): [number, number][] {
  return [...text.matchAll(re)].map((match) => [match.index, match.index + match[0].length])
}

/** Ranges of code samples (`<pre>`, `<code>`, `<textarea>`…) and comments in HTML. */
function skippedRanges(html: string): [number, number][] {
  const ranges: [number, number][] = []
  const root = parse(html, { sourceCodeLocationInfo: true, scriptingEnabled: false })
  const stack: P5.ParentNode[] = [root]
  while (stack.length > 0) {
    const parent = stack.pop() as P5.ParentNode
    for (const node of parent.childNodes) {
      const location = node.sourceCodeLocation
      if (node.nodeName === '#comment' && location) {
        ranges.push([location.startOffset, location.endOffset])
      } else if ('tagName' in node) {
        if ((CODE_ELEMENTS.has(node.tagName) || node.tagName === 'textarea') && location) {
          ranges.push([location.startOffset, location.endOffset])
        } else {
          stack.push(node.tagName === 'template' ? (node as P5.Template).content : node)
        }
      }
    }
  }
  return ranges
}
