// The package as a user gets it: `npm pack` of the built repository, installed from its
// tarball into a fresh project outside the repository, beside the Vite and Astro the
// repository itself installed (so the npm cache already holds them), and run through their
// own CLIs in child processes.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { freePort } from '../helpers/port.js'
import { stopChild } from '../helpers/files.js'

const run = promisify(execFile)

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'

/** The version of a package installed in the repository. */
function installedVersion(name: string): string {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }
  return manifest.version
}

/** One entry of `npm pack --json`. */
export interface PackResult {
  filename: string
  size: number
  unpackedSize: number
  files: Array<{ path: string; size: number }>
}

/**
 * `npm pack` of the repository as it is (build it first: `npm test` does), lifecycle scripts
 * off; with `destination`, the tarball is written there, else nothing is written (`--dry-run`).
 */
export async function pack(destination?: string): Promise<PackResult> {
  const where = destination === undefined ? ['--dry-run'] : ['--pack-destination', destination]
  const { stdout } = await run(npm, ['pack', '--json', '--ignore-scripts', ...where], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 })
  const [result] = JSON.parse(stdout) as PackResult[]
  if (result === undefined) throw new Error('npm pack listed no package:\n' + stdout)
  return result
}

/**
 * A project in `dir` with the packed package, Vite and Astro installed: from the npm cache
 * when it holds everything (`--offline`), else with the registry's help.
 */
export async function installPackedProject(dir: string): Promise<void> {
  if (!existsSync(path.join(ROOT, 'dist/index.js'))) throw new Error('No build to pack: run `npm run build` first (`npm test` does)')
  const { filename } = await pack(dir)
  const project = path.join(dir, 'project')
  await mkdir(project)
  const manifest = {
    name: 'imageboss-build-consumer',
    private: true,
    type: 'module',
    dependencies: {
      'imageboss-build': 'file:../' + filename,
      astro: installedVersion('astro'),
      vite: installedVersion('vite')
    }
  }
  await writeFile(path.join(project, 'package.json'), JSON.stringify(manifest, null, 2) + '\n')
  const install = (mode: string) =>
    run(npm, ['install', mode, '--no-audit', '--no-fund', '--no-package-lock'], { cwd: project, env: childEnv(), maxBuffer: 16 * 1024 * 1024 })
  try {
    await install('--offline')
  } catch {
    await install('--prefer-offline')
  }
}

/** Write `files` (relative path → content) under `dir`. */
export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true })
    await writeFile(path.join(dir, name), content)
  }
}

/**
 * The environment of a child: no `IMAGEBOSS_*`, no `NODE_ENV` or `VITEST*` from the test
 * runner, no colours; plus `vars`.
 */
function childEnv(vars: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.includes('IMAGEBOSS_') && name !== 'NODE_ENV' && !name.startsWith('VITEST')) env[name] = value
  }
  return { ...env, ...vars, NO_COLOR: '1', FORCE_COLOR: '0', ASTRO_TELEMETRY_DISABLED: '1' }
}

/** A dev server started by a package's own bin, and everything it printed. */
export interface DevServer {
  url: string
  output: () => string
  /** Wait until the server has printed nothing for `quiet` ms: messages of the last request are out. */
  settle: (quiet?: number) => Promise<void>
  stop: () => Promise<void>
}

/**
 * `node <bin of pkg> ...args --port <free> --host 127.0.0.1` in `cwd` (inside `project`), ready
 * once it prints its local address.
 */
export async function serve(project: string, pkg: string, args: string[], cwd: string, vars: Record<string, string>): Promise<DevServer> {
  const manifest = JSON.parse(readFileSync(path.join(project, 'node_modules', pkg, 'package.json'), 'utf8')) as { bin: Record<string, string> }
  const bin = path.join(project, 'node_modules', pkg, manifest.bin[pkg] ?? '')
  const port = await freePort()
  const address = `http://127.0.0.1:${port}`
  const child = spawn(process.execPath, [bin, ...args, '--port', String(port), '--host', '127.0.0.1'], {
    cwd,
    env: childEnv(vars),
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  let last = Date.now()
  const collect = (chunk: string) => {
    output += chunk
    last = Date.now()
  }
  child.stdout.setEncoding('utf8').on('data', collect)
  child.stderr.setEncoding('utf8').on('data', collect)
  const stop = () => stopChild(child)
  const settle = async (quiet = 1000) => {
    const deadline = Date.now() + 15_000
    while (Date.now() - last < quiet && Date.now() < deadline) await delay(100)
  }
  try {
    await waitUntil(
      () => output.includes(address),
      child,
      () => `${pkg} did not start:\n${output}`
    )
    return { url: address, output: () => output, settle, stop }
  } catch (error) {
    await stop()
    throw error
  }
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function waitUntil(done: () => boolean, child: ChildProcess, failure: () => string): Promise<void> {
  const deadline = Date.now() + 45_000
  while (!done()) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(failure())
    await delay(100)
  }
}

/**
 * Lines of a dev server's output that the package could have caused: warnings and errors,
 * source-map complaints, deprecations, or anything naming the package.
 */
export function suspiciousLines(output: string): string[] {
  return output.split('\n').filter((line) => /warn|sourcemap|missing source|deprecat|error|imageboss/i.test(line))
}
