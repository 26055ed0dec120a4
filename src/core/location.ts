import { location } from 'vfile-location'

/** A 1-based line and column, as terminals and editors show them. */
export interface Point {
  line: number
  column: number
  offset: number
}

/** Turns offsets in `text` into line/column points (built once per text). */
export function createLocator(text: string): (offset: number) => Point {
  const place = location(text)
  return (offset) => {
    const point = place.toPoint(Math.max(0, Math.min(offset, text.length)))
    return { line: point?.line ?? 1, column: point?.column ?? 1, offset }
  }
}
