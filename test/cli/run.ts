// Runs the built CLI (`dist/cli.js`, from `npm run build`) as a child process.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process'
import { cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const CLI = path.join(ROOT, 'dist/cli.js')
export const SITES = path.join(ROOT, 'test/fixtures/sites')

export const SECRET = 'cli-test-secret'
export const BLOG_SECRET = 'blog-assets-secret'

/** A clean environment: no `IMAGEBOSS_*` from the machine, the test's own values. */
export function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('IMAGEBOSS_') && name !== 'NODE_ENV') env[name] = value
  return { ...env, IMAGEBOSS_SOURCE: 'demo', IMAGEBOSS_SECRET: SECRET, IMAGEBOSS_SECRET_BLOG_ASSETS: BLOG_SECRET, ...extra }
}

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

export function cli(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; spawn?: SpawnSyncOptions; wrapper?: string[] } = {}
): CliResult {
  // `wrapper` runs the CLI through another command (`setpriv … --`).
  const [command, ...rest] = [...(options.wrapper ?? []), process.execPath, CLI, ...args] as [string, ...string[]]
  const result = spawnSync(command, rest, {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? cliEnv(),
    input: options.input ?? '',
    encoding: 'utf8',
    ...options.spawn
  })
  return { code: result.status, stdout: String(result.stdout), stderr: String(result.stderr) }
}

/** A fresh temporary directory. */
export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'imageboss-cli-'))
}

/** A copy of a fixture site in a temporary directory; returns that directory. */
export function copySite(name: string): string {
  const dir = tempDir()
  cpSync(path.join(SITES, name), dir, { recursive: true })
  return dir
}

/** Every file under `dir` (relative path → content). */
export function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>()
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const file = path.join(entry.parentPath, entry.name)
      files.set(path.relative(dir, file), readFileSync(file, 'latin1'))
    }
  }
  return files
}
