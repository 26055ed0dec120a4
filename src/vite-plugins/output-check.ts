import path from 'node:path'
import type { OutputCheck } from '../core/output/index.js'
import { checkTree, removeFlagged } from '../site/check.js'
import type { Problem } from '../core/problems.js'

/**
 * An emitted file, as `generateBundle` sees it (structural: Rollup and Rolldown). Chunks
 * list their modules, so a finding can name the source file it came from.
 */
export type OutputItem =
  | {
      type: 'chunk'
      fileName: string
      code: string
      map?: { toString(): string } | null | undefined
      modules?: Record<string, { code?: string | null }> | undefined
    }
  | {
      type: 'asset'
      fileName: string
      source: string | Uint8Array
      originalFileNames?: readonly string[] | undefined
      originalFileName?: string | null | undefined
    }

export interface BundleCheck {
  problems: Problem[]
  warnings: Problem[]
  /** The emitted files with problems: left out of the output. */
  flagged: string[]
}

/**
 * The output check over what a bundle emits, before it is written: each chunk, its source map
 * and each asset on its own bytes. `served` says whether browsers get them (the client build)
 * or not (a server bundle: secrets only). Each problem is located in the output file, with
 * the source file it came from where that is known.
 */
export function checkBundle(items: readonly OutputItem[], check: OutputCheck, served: boolean, root: string): BundleCheck {
  const result: BundleCheck = { problems: [], warnings: [], flagged: [] }
  for (const item of items) {
    const files: { name: string; text: string | Uint8Array }[] = []
    if (item.type === 'chunk') {
      files.push({ name: item.fileName, text: item.code })
      if (item.map) files.push({ name: `${item.fileName}.map`, text: item.map.toString() })
    } else {
      files.push({ name: item.fileName, text: item.source })
    }
    for (const file of files) {
      const bytes = typeof file.text === 'string' ? Buffer.from(file.text, 'utf8') : file.text
      let failed = false
      for (const problem of check.check({ name: file.name, bytes, served })) {
        const warning = check.isWarning(problem)
        failed ||= !warning
        const from = sourceOf(item, typeof file.text === 'string' ? file.text.slice(problem.start, problem.end) : '', root)
        ;(warning ? result.warnings : result.problems).push(from ? { ...problem, reason: `${problem.reason} (from ${from})` } : problem)
      }
      if (failed) result.flagged.push(item.fileName)
    }
  }
  return result
}

/** The source module or file an output item's text came from, relative to `root`. */
function sourceOf(item: OutputItem, text: string, root: string): string | undefined {
  const relative = (file: string) =>
    path
      .relative(root, file.replace(/^\0/, '').replace(/[?#].*$/s, ''))
      .split(path.sep)
      .join('/')
  if (item.type === 'asset') {
    const original = item.originalFileNames?.[0] ?? item.originalFileName ?? undefined
    return original ? relative(path.resolve(root, original)) : undefined
  }
  if (!text || !item.modules) return undefined
  for (const [id, module] of Object.entries(item.modules)) if (module.code?.includes(text)) return relative(id)
  return undefined
}

/**
 * The files of `public/`, which Vite copies into the build as they are, checked as the copies
 * that ship; a flagged copy is removed from `outDir`. Named by their place in the project.
 */
export function checkPublicDir(publicDir: string, outDir: string, check: OutputCheck, root: string): BundleCheck {
  const note = 'files in `public/` are copied as they are: import the file from your code instead, or sign the built site with `imageboss rewrite`'
  return checkFolder(publicDir, outDir, check, root, note)
}

/**
 * The files of a folder that the build ships but no bundle holds (`public/`, pages a
 * framework writes after the bundle), named by their place in the project, with `note` saying
 * why they were not signed. Flagged files, and their copies in `copiedTo`, are removed.
 */
export function checkFolder(dir: string, copiedTo: string | undefined, check: OutputCheck, root: string, note: string): BundleCheck {
  const show = (file: string) => path.relative(root, file).split(path.sep).join('/')
  const found = checkTree(dir, check, { show })
  const explain = (problem: Problem): Problem => (problem.ruleId === 'secret-in-output' ? problem : { ...problem, reason: `${problem.reason} (${note})` })
  const flagged = found.flagged.map((file) => (copiedTo ? path.join(copiedTo, path.relative(dir, file)) : file))
  removeFlagged(flagged)
  return { problems: found.problems.map(explain), warnings: found.warnings, flagged }
}
