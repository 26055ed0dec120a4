import { readFileSync } from 'node:fs'
import type { Place } from '../core/problems.js'
import type { TokenProblem } from './tokens.js'

/** The file a host names in the render `env`: VitePress's `path`, Eleventy's `page.inputPath`. */
export function fileOf(env: unknown): string | undefined {
  if (env === null || typeof env !== 'object') return undefined
  const { path, page } = env as { path?: unknown; page?: { inputPath?: unknown } }
  if (typeof path === 'string') return path
  const input = page !== null && typeof page === 'object' ? page.inputPath : undefined
  return typeof input === 'string' ? input : undefined
}

/**
 * Turns token problems into places in the file: the token's line (`map`, 0-based) and the
 * column within the source line. The block's text is its lines with the container's prefix
 * (`> `, a list's indent) taken off, which is found again on each line.
 */
export function createPlacer(src: string, file: string | undefined): (found: TokenProblem) => Place {
  const lines = src.split('\n')
  const shift = linesBefore(src, file)
  return ({ block, offset }) => {
    const first = block.map?.[0] ?? 0
    const text = block.content
    if (offset === undefined) return { file, line: shift + first + 1, column: prefixOf(lines[first], text.split('\n', 1)[0] ?? '') + 1 }
    const before = text.slice(0, offset)
    const index = before.split('\n').length - 1
    const lineStart = before.lastIndexOf('\n') + 1
    const end = text.indexOf('\n', lineStart)
    const textLine = text.slice(lineStart, end === -1 ? undefined : end)
    return { file, line: shift + first + index + 1, column: prefixOf(lines[first + index], textLine) + offset - lineStart + 1 }
  }
}

/** How many characters of a source line come before the block's text on it. */
function prefixOf(sourceLine: string | undefined, textLine: string): number {
  if (sourceLine === undefined || textLine === '') return 0
  if (sourceLine.endsWith(textLine)) return sourceLine.length - textLine.length
  return Math.max(0, sourceLine.indexOf(textLine))
}

/**
 * Lines of the file before the text markdown-it was given: hosts (VitePress, Eleventy) take
 * the frontmatter off first. Found when the file ends with the text; else none.
 */
function linesBefore(src: string, file: string | undefined): number {
  if (file === undefined) return 0
  let whole: string
  try {
    // As markdown-it normalises its input.
    whole = readFileSync(file, 'utf8').replace(/\r\n?/g, '\n').replaceAll('\0', '\uFFFD')
  } catch {
    return 0
  }
  if (whole.length <= src.length || !whole.endsWith(src)) return 0
  let count = 0
  const end = whole.length - src.length
  for (let at = whole.indexOf('\n'); at !== -1 && at < end; at = whole.indexOf('\n', at + 1)) count++
  return count
}
