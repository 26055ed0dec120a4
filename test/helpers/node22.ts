// A host that needs Node.js 22 (installed in its test/*-current project by
// scripts/install-test-projects.js), run in a child process with only the variables a test
// gives it; and copies of an example inside that project, so that the host resolves to its.
import { spawn, type ChildProcess } from 'node:child_process'
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { freePort } from './port.js'
import { stopChild } from './files.js'

/**
 * A copy of `example` inside `current`'s git-ignored `.tmp`, without the folders in `skip`,
 * with files added, replaced, or removed (`null`).
 */
export async function copyExampleInto(example: string, current: string, skip: readonly string[], files: Record<string, string | null> = {}): Promise<string> {
  const scratch = path.join(current, '.tmp')
  await mkdir(scratch, { recursive: true })
  const root = await mkdtemp(path.join(scratch, 'site-'))
  const skipped = new RegExp(`(?:^|[\\\\/])(?:${skip.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?:[\\\\/]|$)`)
  await cp(example, root, { recursive: true, filter: (source) => !skipped.test(path.relative(example, source)) })
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

/**
 * A child of `node` in `cwd`, with `process.env` minus every `IMAGEBOSS_*` and the names of
 * `drop`, plus `env`; its output without colours.
 */
export function startNode(
  node: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
  drop: readonly string[] = []
): { child: ChildProcess; output: () => string } {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([name, value]) => value !== undefined && !name.includes('IMAGEBOSS_') && !drop.includes(name))
  )
  const child = spawn(node, args, { cwd, env: { ...base, NO_COLOR: '1', FORCE_COLOR: '0', CI: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const collect = (chunk: Buffer) => (output += chunk.toString('utf8'))
  child.stdout?.on('data', collect)
  child.stderr?.on('data', collect)
  return { child, output: () => output.replace(ANSI_RE, '') }
}

/** A child run to its end: its exit code and everything it printed. */
export function runNode(
  node: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
  drop: readonly string[] = []
): Promise<{ code: number | null; output: string }> {
  const { child, output } = startNode(node, args, cwd, env, drop)
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, output: output() }))
  })
}

/** A server started with `args(port)` on a free port, once `/` answers; `stop` ends it. */
export async function serveNode(
  node: string,
  args: (port: number) => string[],
  cwd: string,
  env: Record<string, string>,
  drop: readonly string[] = []
): Promise<{ url: string; output: () => string; stop: () => Promise<void> }> {
  const port = await freePort()
  const { child, output } = startNode(node, args(port), cwd, { ...env, PORT: String(port), NITRO_PORT: String(port), HOST: '127.0.0.1' }, drop)
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
