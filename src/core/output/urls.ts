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

/**
 * What a URL runs over in markup, CSS and scripts: anything but a space, a form feed, quotes,
 * `<`, `>`, a backquote, parentheses and braces (sticky: read from a given offset). Tabs and
 * newlines do not end it: the browser strips them from an attribute's URL (a script's or a
 * stylesheet's URL is read the same way: more found, never less).
 */
const URL_RUN_RE = /[^ \f"'<>`(){}]*/y
/** An authority: the same, up to its end (`/`, `\`, `?`, `#`), and no longer than 512 characters: longer than any host name a browser accepts (253) with credentials and a port. */
const AUTHORITY_RUN_RE = /[^ \f"'<>`(){}/\\?#]{0,512}/y
/** Removed from a URL by the browser's parser, wherever they are. */
const STRIPPED = new Set(['\t', '\n', '\r'])
const AUTHORITY_START_RE = /[/\\]{2,}|https?:(?![/\\])/gi

/** The end of the run of `run` (a sticky pattern) from `at`. */
function endOf(text: string, at: number, run: RegExp): number {
  run.lastIndex = at
  run.test(text)
  return run.lastIndex
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
    const authorityEnd = endOf(text, authorityAt, AUTHORITY_RUN_RE)
    const authority = withoutStripped(text.slice(authorityAt, authorityEnd))
    if (!authority) continue
    let host: string
    try {
      host = hostKey(new URL(`https://${authority}/`).hostname)
    } catch {
      continue
    }
    if (!hosts.has(host)) continue
    let end = endOf(text, authorityEnd, URL_RUN_RE)
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
