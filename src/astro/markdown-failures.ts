import path from 'node:path'
import type { Plugin } from 'vite'

/**
 * How a Markdown or MDX document with problems fails `astro build`, each problem printed once,
 * as one `file:line:column: rule-id: reason` line (front matter lines counted).
 *
 * MDX is compiled by Vite: its error, thrown by the Markdown layer, is the report, located by
 * its `line` and `column` (which `@astrojs/mdx` reads). Markdown is rendered by Astro's
 * Markdown processor, which prints an error it sees and hands it on to content loaders that
 * print it again: so a Markdown document's error is not thrown there but kept, and thrown
 * once, by the Vite layer for a page module (`src/pages/*.md`), or when the build starts for
 * the content-collection entries rendered before it.
 */
export interface MarkdownFailure {
  /** The document, absolute. */
  file: string
  /** Its problems, one line each (the error message of the one presenter). */
  message: string
  /** The place of its first problem. */
  line: number
  column: number
}

/** Whether a document is compiled as MDX (by Vite), not rendered as Markdown. */
export function isMdx(file: string): boolean {
  return /\.mdx$/i.test(file)
}

/**
 * The error of failed documents: their lines, located at the first problem (`loc`, as Vite
 * and Astro read it, and `line`/`column` for `@astrojs/mdx`). Without a stack: Astro would
 * otherwise read a place out of its first line, which is the message.
 */
export function markdownError(failures: readonly MarkdownFailure[]): Error {
  const first = failures[0]
  const error = new Error(failures.map((failure) => failure.message).join('\n')) as Error & {
    line?: number
    column?: number
    loc?: { file: string; line: number; column: number }
  }
  if (first) {
    error.line = first.line
    error.column = first.column
    error.loc = { file: first.file, line: first.line, column: first.column }
  }
  error.stack = ''
  return error
}

/** The Vite layer's part: a Markdown module (`src/pages/*.md`) whose document failed fails its build. */
export function markdownFailuresPlugin(failures: readonly MarkdownFailure[]): Plugin {
  return {
    name: 'imageboss-build:markdown-failures',
    enforce: 'post',
    transform(_code, id) {
      if (failures.length === 0 || id.startsWith('\0')) return undefined
      const file = path.resolve(id.split('?')[0] as string)
      const failed = failures.filter((failure) => path.resolve(failure.file) === file)
      if (failed.length > 0) throw markdownError(failed)
      return undefined
    }
  }
}
