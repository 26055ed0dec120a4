import { withoutFrames, type RuleId } from '../core/errors.js'
import { createLocator } from '../core/location.js'
import { errorFromProblems, type Problem } from '../core/problems.js'
import { buildCodeFrame } from './code-frame.js'
import type { OriginalPoint } from './original-position.js'

export const PLUGIN_NAME = 'imageboss'

/** The error the plugin throws: an `ImageBossError` in the shape Vite's logger and overlay read. */
export type ImageBossPluginError = ReturnType<typeof errorFromProblems> & {
  /** Module id. */
  id: string
  plugin: string
  /** Rule id of the first problem. */
  pluginCode: RuleId
  loc: { file: string; line: number; column: number }
  frame: string
}

/** Where problems at offsets in `text` are, in the file they came from. */
export interface ModulePlace {
  /** Module id (reported as `id`). */
  id: string
  /** Absolute file path. */
  file: string
  /** The text the offsets point into, shown in the frame. */
  text: string
  /** Maps an offset to a place in the original file, when `text` was compiled (optional). */
  original?: ((offset: number) => OriginalPoint | undefined) | undefined
}

const TOKEN_START_RE = /["'`]/

/**
 * Locate problems (sorted by offset) in the file. Through a source map, offsets map to the
 * start of the token that holds them (maps locate tokens), so the rest of the way is added on
 * the original line. Returns each problem with its `place`, and the frame of the first.
 */
export function locateProblems(place: ModulePlace, problems: readonly Problem[]): { located: Problem[]; frame: string } {
  const locate = createLocator(place.text)
  let frame = ''
  const located = [...problems]
    .sort((a, b) => a.start - b.start)
    .map((problem, index) => {
      const anchor = place.original ? tokenStart(place.text, problem.start) : problem.start
      const mapped = place.original?.(anchor)
      const point = mapped ? { line: mapped.line, column: mapped.column + problem.start - anchor } : locate(problem.start)
      if (index === 0) {
        const text = mapped ? mapped.text : place.text
        frame = text ? buildCodeFrame(text, point.line, point.column) : ''
      }
      return { ...problem, place: { file: place.file, line: point.line, column: point.column } }
    })
  return { located, frame }
}

/** The start of the string token around `offset` on its line (or `offset`). */
function tokenStart(text: string, offset: number): number {
  for (let i = offset; i >= 0 && i > offset - 2000; i--) {
    const c = text.charAt(i)
    if (c === '\n') return offset
    if (TOKEN_START_RE.test(c) && i < offset) return i
  }
  return offset
}

/** One `ImageBossError` for the located problems of one module, with Vite's fields. */
export function createProblemsError(id: string, located: readonly Problem[], frame: string, root: string): ImageBossPluginError {
  const error = errorFromProblems(located, root) as ImageBossPluginError
  const first = located[0] as Problem
  error.id = id
  error.plugin = PLUGIN_NAME
  error.pluginCode = first.ruleId
  error.loc = { file: first.place?.file ?? id, line: first.place?.line ?? 1, column: first.place?.column ?? 1 }
  error.frame = frame
  return withoutFrames(error)
}
