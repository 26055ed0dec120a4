import { mkdir, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expectedUrl } from '../helpers/expected.js'
import { scratchDirectories } from '../helpers/scratch.js'
export { secretForms } from '../helpers/secret-forms.js'

export const REPO = fileURLToPath(new URL('../..', import.meta.url))
export const EXAMPLE = path.join(REPO, 'examples/vite')
export const BASE = 'https://img.imageboss.me'

/** The URL ImageBoss expects for a hand-written signed path: the test oracle, no code under test. */
export function signedUrl(signedPath: string, secret: string): string {
  return expectedUrl(signedPath, secret, BASE)
}

/** Removed after the tests of the file that imports these helpers. */
const { scratch } = scratchDirectories()

/**
 * A project in a fresh temp dir, removed after the test file's tests; `node_modules` links to
 * the repo's so frameworks resolve.
 */
export async function tempProject(files: Record<string, string>, options: { nodeModules?: boolean } = {}): Promise<string> {
  const root = await scratch('imageboss-vite-')
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(root, name)
    await mkdir(path.dirname(file), { recursive: true })
    await writeFile(file, text)
  }
  if (options.nodeModules) await symlink(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'), 'dir')
  return root
}

export interface OutputFile {
  fileName: string
  text: string
  map?: { mappings: string; sources: string[]; sourcesContent?: Array<string | null> } | null | undefined
}

interface OutputLike {
  output: Array<{ type: 'chunk'; fileName: string; code: string; map?: unknown } | { type: 'asset'; fileName: string; source: string | Uint8Array }>
}

/** Every file of an in-memory (`write: false`) build. */
export function outputFiles(result: unknown): OutputFile[] {
  const outputs = (Array.isArray(result) ? result : [result]) as OutputLike[]
  return outputs.flatMap((output) =>
    output.output.map((item) =>
      item.type === 'chunk'
        ? { fileName: item.fileName, text: item.code, map: (item.map ?? null) as OutputFile['map'] }
        : { fileName: item.fileName, text: typeof item.source === 'string' ? item.source : Buffer.from(item.source).toString('utf8') }
    )
  )
}

/** The error a failing build rejects with (Vite 8 wraps plugin errors in `errors`). */
export async function buildError(promise: Promise<unknown>): Promise<Record<string, unknown> & { message: string }> {
  try {
    await promise
  } catch (error) {
    const wrapped = (error as { errors?: unknown[] }).errors?.[0]
    return (wrapped ?? error) as Record<string, unknown> & { message: string }
  }
  throw new Error('Expected the build to fail')
}

/** Run with some `process.env` variables set (or removed, with `undefined`), then restore them. */
export async function withEnv<T>(vars: Record<string, string | undefined>, run: () => Promise<T>): Promise<T> {
  const saved: Record<string, string | undefined> = {}
  for (const [name, value] of Object.entries(vars)) {
    saved[name] = process.env[name]
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
  try {
    return await run()
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
}

/** Every `IMAGEBOSS_*` variable unset, so tests do not depend on the shell. */
export function noImageBossEnv(): Record<string, undefined> {
  const vars: Record<string, undefined> = {}
  for (const name of Object.keys(process.env)) if (name.startsWith('IMAGEBOSS_') || name.includes('IMAGEBOSS_SECRET')) vars[name] = undefined
  return vars
}

/** A logger that records what Vite and the plugin print. */
export function recordingLogger() {
  const warnings: string[] = []
  const errors: string[] = []
  const logger = {
    hasWarned: false,
    info() {},
    warn(message: string) {
      warnings.push(message)
      logger.hasWarned = true
    },
    warnOnce(message: string) {
      warnings.push(message)
      logger.hasWarned = true
    },
    error(message: string) {
      errors.push(message)
    },
    clearScreen() {},
    hasErrorLogged() {
      return false
    }
  }
  return { logger, warnings, errors }
}
