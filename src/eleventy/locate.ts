import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { createLocator } from '../core/location.js'
import type { Place, Problem } from '../core/problems.js'

/** Where the templates of a page can come from: its own file, then its layouts and includes. */
export interface TemplateFiles {
  /** The page's input file. */
  input: string
  /** The folders of layouts and includes (absolute). */
  folders: readonly string[]
}

/** Files read per folder at most, and the largest read: a layout folder, not a whole disk. */
const MAX_FILES = 2000
const MAX_SIZE = 5 * 1024 * 1024

/**
 * Locate a problem found in a page's output in the file that wrote it. Templates and
 * Markdown are compiled, so an output offset maps to no input line; the reference itself is
 * looked for as written in the page's input file, then in its layouts and includes (the
 * n-th occurrence in the output taken as the n-th in the file when it has that many). The
 * reason then says where in the output it was found, and, when the reference is written in
 * none of these files (it came from data or a shortcode), that the line is not known: the
 * place is then the input file's first line, never a made-up line.
 */
export function locateInInput(problem: Problem, output: string, outputFile: string, files: TemplateFiles, cwd: string): Problem {
  const at = createLocator(output)(problem.start)
  const item = problem.reference ?? output.slice(problem.start, Math.min(problem.end, problem.start + 200))
  return locateItem(problem, outputOccurrence(output, item, problem.start), files, `found in the output \`${shown(outputFile, cwd)}:${at.line}:${at.column}\``)
}

/** Locate a problem of a value a filter was given: the value as written in the page's files. */
export function locateValue(problem: Problem, value: string, files: TemplateFiles): Problem {
  const occurrence: Occurrence = { forms: writtenForms(value), index: 0, delta: Math.max(0, Math.min(problem.start, value.length)) }
  return locateItem(problem, occurrence, files, 'given to the `imageboss` filter')
}

function locateItem(problem: Problem, occurrence: Occurrence, files: TemplateFiles, found: string): Problem {
  for (const file of [files.input, ...templateFiles(files.folders)]) {
    const place = findIn(file, occurrence)
    if (place) return { ...problem, reason: `${problem.reason} (${found})`, place }
  }
  return {
    ...problem,
    reason: `${problem.reason} (${found}; the line is not known: the reference is not written as it is in this file, its layouts or includes, so it comes from data, a shortcode or a filter)`,
    place: { file: files.input, line: 1, column: 1 }
  }
}

/** The ways an item may be written in a template, its occurrence in the output, and how far into it the problem is. */
interface Occurrence {
  forms: string[]
  index: number
  delta: number
}

function outputOccurrence(output: string, item: string, start: number): Occurrence {
  const forms = writtenForms(item)
  for (const form of forms) {
    const from = output.lastIndexOf(form, start)
    if (from === -1 || from + form.length < start) continue
    return { forms: [form, ...forms.filter((f) => f !== form)], index: countBefore(output, form, from), delta: start - from }
  }
  return { forms, index: 0, delta: 0 }
}

function findIn(file: string, occurrence: Occurrence): Place | undefined {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
  for (const [n, form] of occurrence.forms.entries()) {
    const starts = allIndexes(text, form)
    if (starts.length === 0) continue
    const start = (starts[occurrence.index] ?? starts[0]) as number
    // The problem's distance into the reference holds only for the form found in the output.
    const point = createLocator(text)(start + (n === 0 ? occurrence.delta : 0))
    return { file, line: point.line, column: point.column }
  }
  return undefined
}

function templateFiles(folders: readonly string[]): string[] {
  const files: string[] = []
  for (const folder of new Set(folders)) {
    let entries
    try {
      entries = readdirSync(folder, { withFileTypes: true, recursive: true })
    } catch {
      continue
    }
    for (const entry of entries.slice(0, MAX_FILES)) if (entry.isFile()) files.push(path.join(entry.parentPath, entry.name))
  }
  return files.filter((file) => {
    try {
      return statSync(file).size <= MAX_SIZE
    } catch {
      return false
    }
  })
}

function allIndexes(text: string, form: string): number[] {
  const starts: number[] = []
  for (let at = text.indexOf(form); at !== -1 && starts.length < 10_000; at = text.indexOf(form, at + 1)) starts.push(at)
  return starts
}

function countBefore(text: string, form: string, end: number): number {
  let count = 0
  for (let at = text.indexOf(form); at !== -1 && at < end; at = text.indexOf(form, at + 1)) count++
  return count
}

/** How an item may be written in a template: as it is, with `&amp;`, or percent-encoded where Markdown encoded it. */
function writtenForms(item: string): string[] {
  return [...new Set([item, item.replaceAll('&', '&amp;'), safeDecode(item)])].filter((form) => form.length > 0)
}

function safeDecode(item: string): string {
  try {
    return decodeURI(item)
  } catch {
    return item
  }
}

/** A path relative to `cwd` when inside it, with `/`. */
export function shown(file: string, cwd: string): string {
  const relative = path.relative(cwd, file)
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : file
}
