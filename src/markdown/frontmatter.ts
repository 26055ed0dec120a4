import { readFileSync } from 'node:fs'
import { problemFromError, type Place, type Problem } from '../core/problems.js'
import type { Signer } from '../core/scan/index.js'

/** A problem of a front-matter value: where it is in the data, and in the file when found there. */
export interface FrontmatterProblem {
  problem: Problem
  /** The value's keys, `hero.image.src`, `head[0][1].content`. */
  key: string
  value: string
}

/** Nesting past this depth is not data a theme renders: what is deeper stays as written. */
const MAX_DEPTH = 32

/**
 * Sign the references of a page's front matter in place (VitePress's `env.frontmatter`, whose
 * values the theme renders: `hero.image.src`, `head` entries, any string): a value that is
 * a whole reference becomes its signed URL. A value with a problem is left as written and
 * reported with its keys; the output check catches any reference that reaches a page otherwise.
 */
export function signFrontmatter(data: unknown, signer: Pick<Signer, 'url'>): FrontmatterProblem[] {
  const found: FrontmatterProblem[] = []
  const walk = (value: unknown, key: string, depth: number, set: (signed: string) => void): void => {
    if (typeof value === 'string') {
      if (!value.startsWith('imageboss:')) return
      try {
        set(signer.url(value))
      } catch (error) {
        found.push({ problem: { ...problemFromError(error, 0, value.length), reference: value }, key, value })
      }
      return
    }
    if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return
    if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, `${key}[${index}]`, depth + 1, (signed) => (value[index] = signed)))
      return
    }
    // Own enumerable keys only: what YAML or JSON wrote, nothing inherited.
    const record = value as Record<string, unknown>
    for (const name of Object.keys(record)) walk(record[name], key ? `${key}.${name}` : name, depth + 1, (signed) => (record[name] = signed))
  }
  walk(data, '', 0, () => undefined)
  return found
}

/**
 * Where a front-matter value is in `file`: the first place its text stands in the leading
 * `---` block, with the problem's offset into the value; line 1, column 1 when it cannot be
 * found there (a value written with escapes, or folded over lines).
 */
export function placeFrontmatter(file: string | undefined, found: FrontmatterProblem): Place {
  let text = ''
  try {
    if (file !== undefined) text = readFileSync(file, 'utf8').replace(/\r\n?/g, '\n')
  } catch {
    // Unreadable: no place but the file.
  }
  const block = /^---[^\n]*\n[\s\S]*?\n---/.exec(text)?.[0] ?? ''
  const at = block.indexOf(found.value)
  if (at === -1) return { file, line: 1, column: 1 }
  const offset = at + found.problem.start
  const before = block.slice(0, offset)
  const lineStart = before.lastIndexOf('\n') + 1
  return { file, line: before.split('\n').length, column: offset - lineStart + 1 }
}
