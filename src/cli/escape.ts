/**
 * Characters that a terminal or a CI log reads as something other than text: C0 controls
 * (line feed, carriage return, escape, …), DEL, C1 controls (among them NEL and the 8-bit
 * CSI) and the Unicode line and paragraph separators.
 */
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }

/**
 * `text` with every control character written as an escape (`\n`, `\r`, `\t`, `\x1b`,
 * `\u2028`), so that a value from the site (a file name, a link target, a reference) prints
 * on the line it belongs to: a file named `a\n::error ::forged` cannot start a line that a CI
 * system reads as a command, nor move the cursor of a terminal.
 */
export function escapeControl(text: string): string {
  return text.replace(CONTROL_RE, (char) => {
    const named = NAMED[char]
    if (named !== undefined) return named
    const code = char.charCodeAt(0)
    return code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`
  })
}

/** One line of output: `text` escaped, then a line feed. */
export function line(text: string): string {
  return escapeControl(text) + '\n'
}

/**
 * JSON text with the characters that `JSON.stringify` leaves as they are but a terminal or a
 * log would act on (DEL, C1 controls, U+2028, U+2029) written as `\uXXXX` escapes: the same
 * JSON value, on the lines it was printed on.
 */
export function safeJson(json: string): string {
  return json.replace(/[\u007f-\u009f\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
