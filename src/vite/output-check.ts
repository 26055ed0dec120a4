import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { Program } from 'estree'
import { checkText } from '../core/check.js'
import { createLocator } from '../core/location.js'
import type { Problem } from '../core/problems.js'
import { kindOfFile } from '../core/scan/index.js'
import type { VerifyKeys } from '../core/verify-urls.js'

/**
 * An emitted file, as `generateBundle` sees it (structural: Rollup and Rolldown). Chunks
 * list their modules, so a finding can name the source file it came from.
 */
export type OutputItem =
  | { type: 'chunk'; fileName: string; code: string; modules?: Record<string, { code?: string | null }> | undefined }
  | { type: 'asset'; fileName: string; source: string | Uint8Array; originalFileNames?: readonly string[] | undefined; originalFileName?: string | null | undefined }

const SOURCE_MAP_RE = /\.map$/

/**
 * What a production build must not ship, found by the core's one check (the same as
 * `imageboss verify`): a reference left in any emitted chunk or text asset, or an ImageBoss
 * URL whose token is missing or does not verify. Source maps are skipped: they carry the
 * author's sources. Each problem is located in the output file, with the source file it
 * came from where that is known.
 */
export function checkOutput(items: readonly OutputItem[], keys: VerifyKeys, parse: (code: string) => Program, root: string): Problem[] {
  const found: Problem[] = []
  for (const item of items) {
    if (SOURCE_MAP_RE.test(item.fileName)) continue
    const kind = item.type === 'chunk' ? 'script' : kindOfFile(item.fileName)
    if (!kind) continue
    const text = item.type === 'chunk' ? item.code : typeof item.source === 'string' ? item.source : Buffer.from(item.source).toString('utf8')
    const { problems } = checkText(kind, text, keys, parse)
    if (problems.length === 0) continue
    const locate = createLocator(text)
    for (const problem of problems) {
      const point = locate(problem.start)
      const from = sourceOf(item, text.slice(problem.start, problem.end), root)
      const reason = from ? `${problem.reason} (from ${from})` : problem.reason
      found.push({ ...problem, reason, place: { file: item.fileName, line: point.line, column: point.column } })
    }
  }
  return found
}

/** The source module or file an output item's text came from, relative to `root`. */
function sourceOf(item: OutputItem, text: string, root: string): string | undefined {
  const relative = (file: string) => path.relative(root, file.replace(/^\0/, '').replace(/[?#].*$/s, '')).split(path.sep).join('/')
  if (item.type === 'asset') {
    const original = item.originalFileNames?.[0] ?? item.originalFileName ?? undefined
    return original ? relative(path.resolve(root, original)) : undefined
  }
  if (!text || !item.modules) return undefined
  for (const [id, module] of Object.entries(item.modules)) if (module.code?.includes(text)) return relative(id)
  return undefined
}

/**
 * The files of `public/`, which Vite copies into the build as they are: checked like emitted
 * files, named by their place in the project.
 */
export function checkPublicDir(publicDir: string, keys: VerifyKeys, root: string): Problem[] {
  return checkFiles(publicDir, keys, root, 'files in `public/` are copied as they are: import the file from your code instead, or sign the built site with `imageboss rewrite`')
}

/**
 * The files of a folder that the build ships but no bundle holds (`public/`, pages a
 * framework writes after the bundle), checked like emitted files, named by their place in
 * the project, with `note` saying why they were not signed.
 */
export function checkFiles(dir: string, keys: VerifyKeys, root: string, note: string): Problem[] {
  const found: Problem[] = []
  let entries
  try {
    entries = readdirSync(dir, { withFileTypes: true, recursive: true })
  } catch {
    return found
  }
  for (const entry of entries) {
    if (!entry.isFile()) continue
    const kind = kindOfFile(entry.name)
    if (!kind) continue
    const file = path.join(entry.parentPath, entry.name)
    const text = readFileSync(file, 'utf8')
    const { problems } = checkText(kind, text, keys)
    if (problems.length === 0) continue
    const locate = createLocator(text)
    const shown = path.relative(root, file).split(path.sep).join('/')
    for (const problem of problems) {
      const point = locate(problem.start)
      found.push({ ...problem, reason: `${problem.reason} (${note})`, place: { file: shown, line: point.line, column: point.column } })
    }
  }
  return found
}
