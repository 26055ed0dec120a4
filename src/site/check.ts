import { readdirSync, rmSync, statSync } from 'node:fs'
import path from 'node:path'
import type { Problem } from '../core/problems.js'
import type { OutputCheck } from '../core/output/check.js'

export interface TreeCheck {
  /** What fails the build. */
  problems: Problem[]
  /** What is shown and does not fail it (see `OutputCheck.isWarning`). */
  warnings: Problem[]
  /** The files with problems, absolute: a failed build removes them. */
  flagged: string[]
  /** Files left out for their size (`maxSize`), absolute. */
  tooLarge: string[]
}

export interface TreeOptions {
  /** Whether browsers are served a file (its path relative to `dir`, with `/`); default: every file. */
  served?: ((relative: string) => boolean) | undefined
  /** How a file is named in messages (default: relative to `dir`). */
  show?: ((file: string) => string) | undefined
  /** Files to leave out (their paths relative to `dir`, with `/`). */
  skip?: ((relative: string) => boolean) | undefined
  /** Files larger than this many bytes are left out (default: none). */
  maxSize?: number | undefined
}

/** A file of a site to check: where it is, how messages name it, and whether browsers are served it. */
export interface SiteFile {
  path: string
  name: string
  served: boolean
}

/**
 * The independent output check of a built site: every file on its own bytes, its problems
 * split into what fails the build and what is shown, and the files that fail it. The one place
 * every host checks what it ships (the CLI's `verify` and `rewrite`, Vite's `public/` and the
 * pages VitePress and SvelteKit write, Astro's build, Eleventy's output).
 */
export function checkFiles(files: Iterable<SiteFile>, check: OutputCheck, options: Pick<TreeOptions, 'maxSize'> = {}): TreeCheck {
  const result: TreeCheck = { problems: [], warnings: [], flagged: [], tooLarge: [] }
  for (const file of files) {
    let problems: Problem[]
    try {
      const size = statSync(file.path).size
      if (options.maxSize !== undefined && size > options.maxSize) {
        result.tooLarge.push(file.path)
        continue
      }
      problems = check.checkPath({ name: file.name, path: file.path, size, served: file.served })
    } catch (error) {
      // Removed or unreadable since it was listed: nothing of it ships from here. Anything
      // else is a bug, never a file passed unchecked.
      if (typeof (error as NodeJS.ErrnoException).code !== 'string') throw error
      continue
    }
    let failed = false
    for (const problem of problems) {
      const warning = check.isWarning(problem)
      ;(warning ? result.warnings : result.problems).push(problem)
      failed ||= !warning
    }
    if (failed) result.flagged.push(file.path)
  }
  return result
}

/**
 * Every regular file under `dir` (symbolic links are not followed), checked on its own bytes.
 * A folder that does not exist has nothing to check.
 */
export function checkTree(dir: string, check: OutputCheck, options: TreeOptions = {}): TreeCheck {
  return checkFiles(treeFiles(dir, options), check, options)
}

/** The regular files under `dir`, as `checkFiles` takes them (none where it does not exist). */
export function listTree(dir: string, options: TreeOptions = {}): SiteFile[] {
  return [...treeFiles(dir, options)]
}

function* treeFiles(dir: string, options: TreeOptions): Generator<SiteFile> {
  let entries
  try {
    entries = readdirSync(dir, { withFileTypes: true, recursive: true })
  } catch {
    return
  }
  for (const entry of entries) {
    if (!entry.isFile()) continue
    const file = path.join(entry.parentPath, entry.name)
    const relative = path.relative(dir, file).split(path.sep).join('/')
    if (options.skip?.(relative)) continue
    yield { path: file, name: options.show ? options.show(file) : relative, served: options.served ? options.served(relative) : true }
  }
}

/** Remove the files a failed check flagged: a failed build leaves none of them to be deployed. */
export function removeFlagged(files: readonly string[]): void {
  for (const file of files) rmSync(file, { force: true })
}
