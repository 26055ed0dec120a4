/**
 * The one leftover finder: where a text holds `imageboss:` followed by the start of a path,
 * with its colon written plainly or escaped the ways HTML, XML, CSS and JavaScript allow
 * (`&colon;`, `&#58;`, `&#x3a;`, `\u003a`, `\x3a`, CSS `\3a `). Scanners call it on every
 * text they read, and report whatever they did not sign or set aside.
 */
const LEFTOVER_RE = /imageboss(?::|&colon;|&#0*58;?|&#[xX]0*3[aA];?|\\u003[aA]|\\u\{0*3[aA]\}|\\x3[aA]|\\0*3[aA] ?)(?=[\w/%.~\-\\&?])/g

/** Cheap test: may `text` hold a reference in any form? */
export function mayHoldReference(text: string): boolean {
  return text.includes('imageboss')
}

/** Start and end of each occurrence in `text`. Linear. */
export function findLeftovers(text: string): Array<{ start: number; end: number }> {
  if (!text.includes('imageboss')) return []
  const found: Array<{ start: number; end: number }> = []
  for (const match of text.matchAll(LEFTOVER_RE)) found.push({ start: match.index, end: match.index + match[0].length })
  return found
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
 * The occurrences of `text` outside `covered` ranges (in any order, nested or not): references
 * a scanner read but did not take care of. Stops after `limit` of them.
 */
export function uncovered(text: string, covered: ReadonlyArray<{ start: number; end: number }>, limit = Infinity): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = []
  if (!text.includes('imageboss')) return out
  const inside = createRangeTest(covered)
  for (const match of text.matchAll(LEFTOVER_RE)) {
    if (inside(match.index)) continue
    out.push({ start: match.index, end: match.index + match[0].length })
    if (out.length >= limit) break
  }
  return out
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
