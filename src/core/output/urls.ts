import type { Range } from './samples.js'

/**
 * ImageBoss URLs in any spelling a browser resolves to the ImageBoss host (or the configured
 * base URL): in a decoded reading of the text (character references and escapes undone), each
 * place that starts an authority — two slashes or backslashes (`//`, `\\`, `https:\/\/` once
 * decoded), or `http:`/`https:` — is read as the browser's URL parser reads it (WHATWG `URL`:
 * case, IDNA mapping, percent-encoded host, an explicit default port, dot segments, `\` for
 * `/`, tabs and newlines removed), and kept when its host is one of `hosts`.
 */

export interface FoundUrl extends Range {
  /** The URL as the browser requests it. */
  url: URL
}

/** Characters that end a URL in markup, CSS and scripts. */
const URL_END = new Set([' ', '\f', '"', "'", '<', '>', '`', '(', ')', '{', '}'])
/** Removed from a URL by the browser's parser, wherever they are. */
const STRIPPED = new Set(['\t', '\n', '\r'])
const AUTHORITY_START_RE = /[/\\]{2,}|https?:(?![/\\])/gi
const AUTHORITY_END = new Set(['/', '\\', '?', '#'])
const NOTHING = new Set<string>()
/** Longer than any host name a browser accepts (253) with credentials and a port. */
const MAX_AUTHORITY = 512

/**
 * The end of the URL-like text from `at`. Tabs and newlines do not end it: the browser strips
 * them from an attribute's URL (a script's or a stylesheet's URL is read the same way: more found, never less).
 */
function endOf(text: string, at: number, stopAt: ReadonlySet<string>, limit = Infinity): number {
  let i = at
  for (; i < text.length && i - at < limit; i++) {
    const char = text[i] as string
    if (stopAt.has(char) || URL_END.has(char)) break
  }
  return i
}

function withoutStripped(text: string): string {
  return /[\t\n\r]/.test(text) ? [...text].filter((char) => !STRIPPED.has(char)).join('') : text
}

/** A host name as compared: lower case, without the trailing `.` of a fully qualified name. */
export function hostKey(hostname: string): string {
  return hostname.toLowerCase().replace(/\.$/, '')
}

/**
 * Each URL in `text` whose host is one of `hosts` (see `hostKey`), one at a time: a page of a
 * hundred thousand URLs never holds them all parsed at once. Linear: a URL is read once, the
 * next looked for after it.
 */
export function* findUrls(text: string, hosts: ReadonlySet<string>): Generator<FoundUrl> {
  // Its own copy of the pattern: the caller may run another search between two URLs.
  const authorityStart = new RegExp(AUTHORITY_START_RE)
  for (let match = authorityStart.exec(text); match; match = authorityStart.exec(text)) {
    const authorityAt = match.index + match[0].length
    const authorityEnd = endOf(text, authorityAt, AUTHORITY_END, MAX_AUTHORITY)
    const authority = withoutStripped(text.slice(authorityAt, authorityEnd))
    if (!authority) continue
    let host: string
    try {
      host = hostKey(new URL(`https://${authority}/`).hostname)
    } catch {
      continue
    }
    if (!hosts.has(host)) continue
    let end = endOf(text, authorityEnd, NOTHING)
    // A srcset candidate list ends a URL's trailing commas.
    while (end > authorityEnd && text[end - 1] === ',') end--
    let url: URL
    try {
      url = new URL(`https://${authority}${withoutStripped(text.slice(authorityEnd, end))}`)
    } catch {
      continue
    }
    // Where the scheme was written, the URL starts there.
    const start = /^https?:/i.test(match[0]) ? match.index : schemeBefore(text, match.index)
    authorityStart.lastIndex = Math.max(end, authorityAt)
    yield { start, end, url }
  }
}

/** The start of `https:` or `http:` written just before `//` at `at`, else `at`. */
function schemeBefore(text: string, at: number): number {
  const before = text.slice(Math.max(0, at - 6), at)
  const scheme = /https?:$/i.exec(before)
  return scheme ? at - scheme[0].length : at
}
