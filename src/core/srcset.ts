/** One candidate of a `srcset`: where its URL sits in the attribute value. */
export interface SrcsetCandidate {
  url: string
  /** Offset of the URL in the value. */
  start: number
  /** Offset just after the URL. */
  end: number
  /** The descriptors as written (`800w`, `2x`), or `''`. */
  descriptor: string
}

const WHITESPACE_RE = /[\t\n\f\r ]/

/**
 * Split a `srcset` into candidates, following the HTML standard's algorithm
 * (“parse a srcset attribute”): URLs may contain commas; a URL's trailing commas end it.
 * Only URL ranges are returned, so descriptors and spacing survive a rewrite untouched.
 */
export function parseSrcset(value: string): SrcsetCandidate[] {
  return [...srcsetCandidates(value)]
}

/** `parseSrcset`, one candidate at a time: a caller that acts on each keeps no list. */
export function* srcsetCandidates(value: string): Generator<SrcsetCandidate> {
  let position = 0
  const length = value.length
  while (position < length) {
    while (position < length && (WHITESPACE_RE.test(value.charAt(position)) || value.charAt(position) === ',')) position++
    if (position >= length) break
    const start = position
    while (position < length && !WHITESPACE_RE.test(value.charAt(position))) position++
    let end = position
    let endsWithComma = false
    while (end > start && value.charAt(end - 1) === ',') {
      end--
      endsWithComma = true
    }
    let descriptor = ''
    if (!endsWithComma) {
      // Descriptors run to the next comma outside parentheses.
      const descriptorStart = position
      let depth = 0
      while (position < length) {
        const c = value.charAt(position)
        if (c === '(') depth++
        else if (c === ')' && depth > 0) depth--
        else if (c === ',' && depth === 0) break
        position++
      }
      descriptor = value.slice(descriptorStart, position).trim()
    }
    yield { url: value.slice(start, end), start, end, descriptor }
  }
}
