/**
 * Escaping by destination: every value this package writes (a URL, a `srcset`, added
 * attributes) is escaped for where it lands. When one text sits inside another (markup in a
 * JS string, HTML in an XML element), the inner escaping is applied first, then the outer.
 */

/** Where a text is written. */
export type Destination =
  | { kind: 'html-attribute'; quote: '"' | "'" }
  | { kind: 'js-string'; quote: '"' | "'" | '`' }
  | { kind: 'json-string' }
  | { kind: 'xml-attribute'; quote: '"' | "'" }
  | { kind: 'xml-text' }
  | { kind: 'raw' }

/** Escape a value for an HTML attribute quoted with `quote`. */
export function escapeAttribute(value: string, quote: '"' | "'"): string {
  let out = value.replaceAll('&', '&amp;')
  out = quote === '"' ? out.replaceAll('"', '&quot;') : out.replaceAll("'", '&#39;')
  return out
}

const JS_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
  '\0': '\\x00'
}

/**
 * Escape text for the inside of a JS string literal quoted with `quote`: backslashes, the
 * quote itself, line terminators, and in a template literal also `${`.
 */
export function escapeJsString(text: string, quote: '"' | "'" | '`'): string {
  const re = JS_ESCAPE_RES[quote]
  re.lastIndex = 0
  return re.test(text) ? text.replace(re, escapeJsCharacter) : text
}

/** What `escapeJsString` escapes, by quote: a template literal keeps its line breaks, and escapes `$` before `{`. */
const JS_ESCAPE_RES: Readonly<Record<'"' | "'" | '`', RegExp>> = {
  '"': /[\\\n\r\u2028\u2029\0"]/g,
  "'": /[\\\n\r\u2028\u2029\0']/g,
  '`': /[\\\u2028\u2029\0`]|\$(?=\{)/g
}

function escapeJsCharacter(c: string): string {
  return JS_ESCAPES[c] ?? '\\' + c
}

/** Escape text for the inside of a JSON string. */
function escapeJsonString(text: string): string {
  return JSON.stringify(text).slice(1, -1)
}

/** Escape text for XML: in an attribute quoted with `quote`, or in content. */
function escapeXml(text: string, quote?: '"' | "'"): string {
  let out = text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
  if (quote === '"') out = out.replaceAll('"', '&quot;')
  if (quote === "'") out = out.replaceAll("'", '&apos;')
  return out
}

/** Escape `text` for `destination`. */
export function escapeFor(destination: Destination, text: string): string {
  switch (destination.kind) {
    case 'html-attribute':
      return escapeAttribute(text, destination.quote)
    case 'js-string':
      return escapeJsString(text, destination.quote)
    case 'json-string':
      return escapeJsonString(text)
    case 'xml-attribute':
      return escapeXml(text, destination.quote)
    case 'xml-text':
      return escapeXml(text)
    case 'raw':
      return text
  }
}
