/**
 * The one leftover finder: where a text holds `imageboss:` followed by the start of a path,
 * with its colon written plainly or escaped the ways HTML, XML, CSS and JavaScript allow
 * (`&colon;`, `&#58;`, `&#x3a;`, `\u003a`, `\x3a`, CSS `\3a `). Scanners call it on every
 * text they read, and report whatever they did not sign or set aside.
 */
const LEFTOVER_RE = /imageboss(?::|&colon;|&#0*58;?|&#[xX]0*3[aA];?|\\u003[aA]|\\u\{0*3[aA]\}|\\x3[aA]|\\0*3[aA] ?)(?=[\w/%.~\-\\&?])/g

/**
 * Characters a part of a streamed text must hold past where it ends: longer than any
 * leftover (`imageboss\\00003a `) with the character after it, so none runs across.
 */
export const LEFTOVER_SPAN = 32

/** Cheap test: may `text` hold a reference in any form? */
export function mayHoldReference(text: string): boolean {
  return text.includes('imageboss')
}

/**
 * Start and end of each occurrence in `text`, one at a time, in text order: a caller that
 * stops early (the problems of a text are capped) or wants one of them builds no list of a
 * million. Linear.
 */
export function* leftovers(text: string): Generator<{ start: number; end: number }> {
  if (!text.includes('imageboss')) return
  for (const match of text.matchAll(LEFTOVER_RE)) yield { start: match.index, end: match.index + match[0].length }
}

/** Whether `text` holds an occurrence. */
export function hasLeftover(text: string): boolean {
  if (!text.includes('imageboss')) return false
  LEFTOVER_RE.lastIndex = 0
  const found = LEFTOVER_RE.test(text)
  LEFTOVER_RE.lastIndex = 0
  return found
}

/**
 * A test of whether offsets, asked in increasing order, fall inside any of `ranges`: linear
 * over a whole text, however many ranges and offsets.
 */
export function createRangeTest(ranges: ReadonlyArray<{ start: number; end: number }>): (offset: number) => boolean {
  const sorted = [...ranges].sort((a, b) => a.start - b.start)
  let i = 0
  return (offset) => {
    while (i < sorted.length && (sorted[i] as { end: number }).end <= offset) i++
    const range = sorted[i]
    return range !== undefined && range.start <= offset && offset < range.end
  }
}
