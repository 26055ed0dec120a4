import path from 'node:path'
import type { RuleId } from '../core/errors.js'
import type { Problem } from '../core/slots.js'
import { createLocator } from '../core/location.js'
import { buildCodeFrame } from './code-frame.js'

/** One problem, located in a file. */
export interface ImageBossProblem {
  ruleId: RuleId
  reason: string
  /** Absolute path of the file. */
  file: string
  /** 1-based line. */
  line: number
  /** 1-based column. */
  column: number
}

/** The error thrown by the plugin: the shape Vite's logger and overlay read. */
export interface ImageBossPluginError extends Error {
  /** Module id. */
  id: string
  plugin: string
  /** Rule id of the first problem. */
  pluginCode: RuleId
  loc: { file: string; line: number; column: number }
  frame: string
  /** Every problem in the file, in source order. */
  problems: ImageBossProblem[]
}

/** A problem at an offset in a text, before it is located. */
export interface PendingProblem {
  ruleId: RuleId
  reason: string
  offset: number
  /**
   * Start of the token that holds the problem, when `offset` lies inside it: source maps
   * locate token starts, so the rest of the way is added on the original line (optional).
   */
  anchor?: number | undefined
}

export const PLUGIN_NAME = 'imageboss'

/** Where problems at offsets in `text` are, in the file they came from. */
export interface Place {
  /** Module id (reported as `id`). */
  id: string
  /** Absolute file path. */
  file: string
  /** The text the offsets point into, shown in the frame. */
  text: string
  /** Maps an offset to a place in the original file, when `text` was compiled (optional). */
  original?: ((offset: number) => { line: number; column: number; text?: string | undefined } | undefined) | undefined
}

/** Locate problems (source order), with the text each frame is cut from. */
export function locateProblems(place: Place, pending: readonly PendingProblem[]): Array<ImageBossProblem & { text: string }> {
  const locate = createLocator(place.text)
  return [...pending]
    .sort((a, b) => a.offset - b.offset)
    .map((problem) => {
      const anchor = problem.anchor ?? problem.offset
      const mapped = place.original?.(anchor)
      if (mapped) mapped.column += problem.offset - anchor
      const point = mapped ?? locate(problem.offset)
      return {
        ruleId: problem.ruleId,
        reason: problem.reason,
        file: place.file,
        line: point.line,
        column: point.column,
        text: mapped ? (mapped.text ?? '') : place.text
      }
    })
}

/** `path:line:column`, relative to `root` when inside it. */
export function formatPosition(problem: ImageBossProblem, root: string): string {
  const relative = path.relative(root, problem.file)
  const shown = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : problem.file
  return `${shown}:${problem.line}:${problem.column}`
}

/** One line per problem: `file:line:column  rule-id  reason`. */
export function formatProblem(problem: ImageBossProblem, root: string): string {
  return `${formatPosition(problem, root)}  ${problem.ruleId}  ${problem.reason}`
}

/**
 * One error for every problem of a file, so a build reports them all at once. The message
 * starts with the first rule id and lists each problem with its position.
 */
export function createProblemsError(
  id: string,
  problems: ReadonlyArray<ImageBossProblem & { text?: string }>,
  root: string
): ImageBossPluginError {
  const first = problems[0]
  if (!first) throw new Error('Expected at least one problem')
  const message =
    problems.length === 1
      ? `${first.ruleId}: ${first.reason} (${formatPosition(first, root)})`
      : `${first.ruleId}: ${problems.length} problems with \`imageboss:\` references in ${formatPosition(first, root).replace(/:\d+:\d+$/, '')}:\n` +
        problems.map((problem) => '  ' + formatProblem(problem, root)).join('\n')
  const error = new Error(message) as ImageBossPluginError
  error.name = 'ImageBossError'
  error.id = id
  error.plugin = PLUGIN_NAME
  error.pluginCode = first.ruleId
  error.loc = { file: first.file, line: first.line, column: first.column }
  error.frame = first.text ? buildCodeFrame(first.text, first.line, first.column) : ''
  error.problems = problems.map(({ ruleId, reason, file, line, column }) => ({ ruleId, reason, file, line, column }))
  return error
}

/**
 * Throw one error for the problems the core found in `text` (offsets into it), when there
 * are any. For hooks that have no `this.error` and texts that are not compiled.
 */
export function throwProblems(id: string, file: string, text: string, problems: readonly Problem[], root: string): void {
  if (problems.length === 0) return
  const pending = problems.map((problem) => ({ ruleId: problem.ruleId, reason: problem.reason, offset: problem.start }))
  throw createProblemsError(id, locateProblems({ id, file, text }, pending), root)
}
