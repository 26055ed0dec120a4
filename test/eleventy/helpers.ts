// Real Eleventy 3 runs of examples/eleventy, through Eleventy's own bin in a child process,
// as a user runs it: the site's config imports `imageboss-build/eleventy` by name (dist/).
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { cp, readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { scratchDirectories } from '../helpers/scratch.js'
import { freePort } from '../helpers/port.js'
import { stopChild } from '../helpers/files.js'

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const EXAMPLE = path.join(ROOT, 'examples/eleventy')
const ELEVENTY_BIN = path.join(ROOT, 'node_modules/@11ty/eleventy/cmd.cjs')

export const SOURCE = 'eleventy-site'
export const SECRET = 'k3y-Of-The-Eleventy-T3st'
export const ENV = { IMAGEBOSS_SOURCE: SOURCE, IMAGEBOSS_SECRET: SECRET }

const scratch = scratchDirectories()

/**
 * A copy of the example inside the repository (`.tmp/`, git-ignored), so that its config
 * still resolves `imageboss-build/eleventy` by the package's own name.
 */
export async function copyExample(): Promise<string> {
  const dir = await scratch.scratchIn(path.join(ROOT, '.tmp'), 'eleventy-')
  await cp(EXAMPLE, dir, { recursive: true, filter: (source) => !/[\\/](?:_site|node_modules)(?:[\\/]|$)/.test(source) })
  return dir
}

/** A scratch directory outside the repository (for `--output`). */
export function outputDir(): Promise<string> {
  return scratch.scratch('eleventy-out-')
}

/** The process environment without any `IMAGEBOSS_*` or `NODE_ENV`, plus `vars`. */
function childEnv(vars: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) if (!name.includes('IMAGEBOSS_') && name !== 'NODE_ENV') env[name] = value
  return { ...env, ...vars, NO_COLOR: '1', FORCE_COLOR: '0' }
}

export interface Run {
  code: number | null
  stdout: string
  stderr: string
  output: string
}

/** `npx @11ty/eleventy` in `cwd`, with exactly `vars` as `IMAGEBOSS_*`. */
export function eleventy(cwd: string, args: readonly string[], vars: Record<string, string> = ENV): Promise<Run> {
  const child = spawn(process.execPath, [ELEVENTY_BIN, ...args], { cwd, env: childEnv(vars), stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr, output: stdout + stderr }))
  })
}

/** A dev server (`eleventy --serve`) started on a free port, and how to stop it. */
export interface DevServer {
  url: string
  log: () => string
  stop: () => Promise<void>
}

export async function serve(cwd: string, args: readonly string[] = [], vars: Record<string, string> = ENV): Promise<DevServer> {
  const port = await freePort()
  const child = spawn(process.execPath, [ELEVENTY_BIN, '--serve', `--port=${port}`, ...args], { cwd, env: childEnv(vars), stdio: ['ignore', 'pipe', 'pipe'] })
  let log = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (log += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (log += chunk))
  const stop = () => stopChild(child)
  try {
    const url = await waitFor(
      () => /Server at (http:\/\/localhost:\d+)\//.exec(log)?.[1],
      child,
      () => log
    )
    return { url, log: () => log, stop }
  } catch (error) {
    await stop()
    throw error
  }
}

async function waitFor(found: () => string | undefined, child: ChildProcess, log: () => string): Promise<string> {
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    const value = found()
    if (value !== undefined) return value
    if (child.exitCode !== null) throw new Error(`eleventy --serve exited (${child.exitCode}):\n${log()}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`eleventy --serve did not start:\n${log()}`)
}

/** Every file under `dir`, relative, with `/`. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort()
}

export function read(dir: string, file: string): Promise<string> {
  return readFile(path.join(dir, file), 'utf8')
}

/** A text with its code samples (`<code>…</code>`) cut out: what must hold no `imageboss:`. */
export function withoutCode(html: string): string {
  return html.replace(/<code[^>]*>[\s\S]*?<\/code>/g, '')
}

/**
 * The "Eleventy" section of the README (install, config, build command) followed by its detail
 * page docs/eleventy.md (the failure output), so that the text users follow is the text tested.
 */
export function readmeSection(): string {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8')
  const start = readme.indexOf('### Eleventy\n')
  if (start === -1) throw new Error('Expected an "### Eleventy" section in README.md')
  const end = readme.slice(start + 1).search(/\n##+ /)
  const section = end === -1 ? readme.slice(start) : readme.slice(start, start + 1 + end)
  return section + '\n' + readFileSync(path.join(ROOT, 'docs/eleventy.md'), 'utf8')
}
