// Runs the CLI: in process (`run()` from src/cli/main.ts, in-memory streams), or, for what only a
// process shows (the executable, its exit code, worker threads, permissions), the built CLI
// (`dist/cli.js`, from `npm run build`) as a child process.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process'
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { Readable, Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { run } from '../../src/cli/main.js'
import { scratchDirectories, withImageBossEnv } from '../helpers/scratch.js'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const CLI = path.join(ROOT, 'dist/cli.js')
export const SITES = path.join(ROOT, 'test/fixtures/sites')

export const SECRET = 'cli-test-secret'
export const BLOG_SECRET = 'blog-assets-secret'

/** The test's `IMAGEBOSS_*` variables: a default source and two secrets, changed by `extra` (`undefined` unsets one). */
export function cliVars(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const vars: Record<string, string> = {}
  const all = { IMAGEBOSS_SOURCE: 'demo', IMAGEBOSS_SECRET: SECRET, IMAGEBOSS_SECRET_BLOG_ASSETS: BLOG_SECRET, ...extra }
  for (const [name, value] of Object.entries(all)) if (value !== undefined) vars[name] = value
  return vars
}

/** A clean environment for a child process: no `IMAGEBOSS_*` from the machine, the test's own values. */
export function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('IMAGEBOSS_') && name !== 'NODE_ENV') env[name] = value
  return { ...env, ...cliVars(extra) }
}

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

/** The built executable in a child process: for the process's own behaviour only (see `runCli`). */
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

/** A stream that keeps what is written to it. */
function recorder(): { stream: Writable; text(): string } {
  const chunks: Buffer[] = []
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk))
      callback()
    }
  })
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') }
}

/**
 * `imageboss <args>` in this process: `run()` with in-memory stdout, stderr and stdin (`input`).
 * While it runs, `IMAGEBOSS_*` is exactly `vars` (`cliVars()` by default), as the CLI reads
 * them from `process.env`; paths are relative to `cwd`, given as `Io.cwd`. Sites under the
 * thread threshold run on this thread, so no worker (which needs the built
 * `dist/site/worker.js`) is started.
 */
export async function runCli(args: string[], options: { cwd?: string; vars?: Record<string, string>; input?: string } = {}): Promise<CliResult> {
  const cwd = options.cwd ?? ROOT
  const stdout = recorder()
  const stderr = recorder()
  const stdin = Readable.from(options.input === undefined ? [] : [Buffer.from(options.input, 'utf8')])
  const code = await withImageBossEnv(options.vars ?? cliVars(), () => run(args, { stdout: stdout.stream, stderr: stderr.stream, stdin, cwd }))
  return { code, stdout: stdout.text(), stderr: stderr.text() }
}

/** Removed after the tests of the file that imports this module. */
const { scratchSync } = scratchDirectories()

/** A fresh temporary directory, removed after the test file's tests. */
export function tempDir(): string {
  return scratchSync('imageboss-cli-')
}

/** A site in `<dir>/site` of a fresh temporary directory, with `files` (name → text or bytes); returns `<dir>`. */
export function site(files: Record<string, string | Buffer>): string {
  const dir = tempDir()
  mkdirSync(path.join(dir, 'site'))
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, 'site', name)), { recursive: true })
    writeFileSync(path.join(dir, 'site', name), content)
  }
  return dir
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
