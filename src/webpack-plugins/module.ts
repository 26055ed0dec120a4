import { readFileSync } from 'node:fs'
import MagicString from 'magic-string'
import { applyEdits } from '../core/edits.js'
import type { ImageBoss } from '../core/imageboss.js'
import { formatProblem, type Problem } from '../core/problems.js'
import { scanText, type ScanTextOptions } from '../core/scan/index.js'
import { createOriginalMapper } from '../vite-plugins/original-position.js'
import { locateProblems } from '../vite-plugins/problems.js'
import type { ModuleInput, ModuleResult } from './state.js'

/** Written in place of a reference that cannot be signed, so a failing build runs on to report every problem. */
export const PLACEHOLDER = 'data:,'

/** How a module is read beyond its kind: as its author wrote it (TypeScript, JSX), for a loader that runs first. */
export type ModuleScanOptions = Pick<ScanTextOptions, 'syntax' | 'inlineImports' | 'flagComponents'>

/** A module's text signed by the core, its problems located in the author's file (through the incoming map, when compiled). */
export function transformModule(
  imageboss: ImageBoss,
  { kind, source, file, map, sourceMap }: ModuleInput,
  root: string,
  scanOptions: ModuleScanOptions = {}
): ModuleResult {
  const result = scanText(kind, source, { ...scanOptions, signer: imageboss, placeholder: imageboss.production ? PLACEHOLDER : undefined })
  const located = locateInFile(source, file, map, result.problems)
  const errors = located.map((problem) => plainError(formatProblem(problem, root)))
  if (result.edits.length === 0) return { code: source, map, errors }
  // A map of the edits where none came in; an incoming map is handed on as it is (columns
  // after a signed URL on its line are off by the URL's growth).
  if (!sourceMap || map) return { code: applyEdits(source, result.edits), map, errors }
  const s = new MagicString(source)
  for (const edit of result.edits) {
    if (edit.start === edit.end) s.appendLeft(edit.start, edit.text)
    else s.update(edit.start, edit.end, edit.text)
  }
  // A stylesheet's map is shipped inside the script by `css-loader`: without the author's text,
  // whose references are not signed.
  return { code: s.toString(), map: s.generateMap({ hires: 'boundary', source: file, includeContent: kind !== 'css' }), errors }
}

/**
 * Problems at offsets of a module's text, located in the author's file: through the incoming
 * map where an earlier loader compiled the file (TypeScript, JSX) and gave one; else, when the
 * text is not the file's, at the same reference found again in the file (its first place as
 * often as it came before in the module); else in the text as it is.
 */
function locateInFile(source: string, file: string, map: unknown, problems: readonly Problem[]): Problem[] {
  if (problems.length === 0) return []
  const original = createOriginalMapper(source, (typeof map === 'string' ? JSON.parse(map) : map) as Parameters<typeof createOriginalMapper>[1])
  let text: string | undefined
  try {
    text = original ? undefined : readFileSync(file, 'utf8')
  } catch {
    text = undefined
  }
  if (text === undefined || text === source) return locateProblems({ id: file, file, text: source, original }, problems).located
  const authored = text
  const moved: Problem[] = []
  for (const problem of problems) {
    const at = sameReference(source, authored, problem.start)
    if (at === undefined) return locateProblems({ id: file, file, text: source }, problems).located
    moved.push({ ...problem, start: problem.start + at, end: problem.end + at })
  }
  return locateProblems({ id: file, file, text: authored }, moved).located
}

/** How far the reference around `offset` of `compiled` moved in `authored`: the same text, as many times before it. */
function sameReference(compiled: string, authored: string, offset: number): number | undefined {
  const start = compiled.lastIndexOf('imageboss:', offset)
  if (start === -1) return undefined
  const written = compiled.slice(start, Math.max(offset + 1, start + 'imageboss:'.length))
  let from = -1
  let at = -1
  do {
    from = compiled.indexOf(written, from + 1)
    at = authored.indexOf(written, at + 1)
  } while (from !== -1 && from < start && at !== -1)
  return from === start && at !== -1 ? at - start : undefined
}

function plainError(message: string): Error {
  const error = new Error(message)
  error.name = 'ImageBossError'
  error.stack = `ImageBossError: ${message}`
  ;(error as { hideStack?: boolean }).hideStack = true
  return error
}
