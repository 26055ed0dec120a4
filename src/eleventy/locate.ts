import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { createLocator } from '../core/location.js'
import type { Place, Problem } from '../core/problems.js'

/**
 * Where what a page writes can come from: its own file, then its layouts and includes, then
 * the data cascade (the global data folder, then the other files of the input folder: the
 * front matter of a collection's pages, directory data files).
 */
export interface TemplateFiles {
  /** The page's input file. */
  input: string
  /** The folders of layouts and includes (absolute). */
  folders: readonly string[]
  /** The folders that data comes from (absolute), searched in this order after the templates. */
  data: readonly string[]
  /** Folders never searched (absolute): the output folder, when it is inside the input folder. */
  skip: readonly string[]
}

/** Files read per folder at most, and the largest read: a layout folder, not a whole disk. */
const MAX_FILES = 2000
const MAX_SIZE = 5 * 1024 * 1024

/** Folders of the input that hold no data of the site's: dependencies, version control, caches. */
const SKIPPED_FOLDER_RE = /^(?:node_modules|\..*)$/

/** Files of the data cascade that may hold a reference as written: templates and data files, not images or fonts. */
const DATA_FILE_RE = /\.(?:md|markdown|njk|liquid|html?|webc|hbs|ejs|pug|haml|mustache|[cm]?[jt]sx?|json5?|ya?ml|toml|csv|txt|xml)$/i

/**
 * Locate a problem found in a page's output in the file that wrote it. Templates and
 * Markdown are compiled, so an output offset maps to no input line; the reference itself is
 * looked for as written in the page's input file, then in its layouts and includes (the
 * n-th occurrence in the output taken as the n-th in the file when it has that many), then in
 * the files of the data cascade (a global data file, another page's front matter). The
 * reason then says where in the output it was found, and, when the reference is written in
 * none of these files (a shortcode made it, or code computed it), that the line is not known:
 * the place is then the input file's first line, never a made-up line.
 */
export function locateInInput(problem: Problem, output: string, outputFile: string, files: TemplateFiles, cwd: string): Problem {
  const at = createLocator(output)(problem.start)
  const item = problem.reference ?? output.slice(problem.start, Math.min(problem.end, problem.start + 200))
  return locateItem(problem, outputOccurrence(output, item, problem.start), files, `found in the output \`${shown(outputFile, cwd)}:${at.line}:${at.column}\``)
}

/**
 * Locate a problem of a value a filter was given: the value as written in the page's files or
 * in the data it was given. Found in another file than the page's, the reason names the page.
 */
export function locateValue(problem: Problem, value: string, files: TemplateFiles, cwd: string): Problem {
  const occurrence: Occurrence = { forms: writtenForms(value), index: 0, delta: Math.max(0, Math.min(problem.start, value.length)) }
  return locateItem(problem, occurrence, files, (file) =>
    file === files.input ? 'given to the `imageboss` filter' : `given to the \`imageboss\` filter on the page \`${shown(files.input, cwd)}\``
  )
}

function locateItem(problem: Problem, occurrence: Occurrence, files: TemplateFiles, found: string | ((file: string) => string)): Problem {
  const say = typeof found === 'string' ? () => found : found
  const tried = new Set<string>()
  for (const file of candidates(files)) {
    if (tried.has(file)) continue
    tried.add(file)
    const place = findIn(file, occurrence)
    if (place) return { ...problem, reason: `${problem.reason} (${say(file)})`, place }
  }
  return {
    ...problem,
    reason: `${problem.reason} (${say(files.input)}; the line is not known: the reference is not written as it is in this file, its layouts, includes or data files, so a shortcode, a filter or code made it)`,
    place: { file: files.input, line: 1, column: 1 }
  }
}

/** The files to look in, in order: the page's, its layouts and includes, then the data cascade's. */
function* candidates(files: TemplateFiles): Generator<string> {
  yield files.input
  yield* filesUnder(files.folders, files.skip)
  yield* filesUnder(files.data, files.skip, DATA_FILE_RE)
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

/**
 * The files of each folder, in the order of `folders`, each folder's breadth first in sorted
 * order (a folder's own files before its subfolders'), at most {@link MAX_FILES} each and none
 * larger than {@link MAX_SIZE}, only those whose name `accept` matches when given; `skip`,
 * `node_modules` and dot folders left out.
 */
function* filesUnder(folders: readonly string[], skip: readonly string[], accept?: RegExp): Generator<string> {
  const skipped = new Set(skip.map((folder) => path.resolve(folder)))
  for (const folder of new Set(folders)) {
    let count = 0
    const queue = [path.resolve(folder)]
    for (let dir = queue.shift(); dir !== undefined && count < MAX_FILES; dir = queue.shift()) {
      let entries
      try {
        entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      } catch {
        continue
      }
      for (const entry of entries) {
        const file = path.join(dir, entry.name)
        if (entry.isDirectory()) {
          if (!SKIPPED_FOLDER_RE.test(entry.name) && !skipped.has(file)) queue.push(file)
        } else if (entry.isFile() && count < MAX_FILES && (!accept || accept.test(entry.name)) && fits(file)) {
          count++
          yield file
        }
      }
    }
  }
}

function fits(file: string): boolean {
  try {
    return statSync(file).size <= MAX_SIZE
  } catch {
    return false
  }
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
