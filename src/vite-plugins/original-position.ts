import { originalPositionFor, TraceMap, type SourceMapInput } from '@jridgewell/trace-mapping'
import { createLocator } from '../core/location.js'

/** A place in the original source of a compiled module. */
export interface OriginalPoint {
  line: number
  column: number
  /** The original source, for the code frame (when the map carries it). */
  text?: string | undefined
}

/**
 * Maps offsets in compiled code (TypeScript, JSX, Vue and Svelte output) back to the
 * author's file through the combined source map of earlier transforms, so messages point
 * at what the author wrote. `undefined` when the map has no answer.
 */
export function createOriginalMapper(code: string, map: SourceMapInput | null | undefined): ((offset: number) => OriginalPoint | undefined) | undefined {
  if (!map) return undefined
  let trace: TraceMap
  try {
    trace = new TraceMap(map)
  } catch {
    return undefined
  }
  if (trace.sources.length === 0) return undefined
  const locate = createLocator(code)
  return (offset) => {
    const point = locate(offset)
    const found = originalPositionFor(trace, { line: point.line, column: point.column - 1 })
    if (found.line === null || found.column === null) return undefined
    const index = found.source === null ? -1 : trace.resolvedSources.indexOf(found.source)
    const text = trace.sourcesContent?.[index === -1 ? 0 : index] ?? undefined
    return { line: found.line, column: found.column + 1, text }
  }
}
