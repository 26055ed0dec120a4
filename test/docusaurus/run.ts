// examples/docusaurus copied under test/docusaurus-current (so that `@docusaurus/*` resolve
// there) and run by its command line: `docusaurus build` to its end, `docusaurus start` as a
// server, with webpack or with Rspack (Docusaurus Faster).
import { existsSync } from 'node:fs'
import { cp, readFile, writeFile, mkdir } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expectedUrl } from '../helpers/expected.js'
import { runNode, serveNode } from '../helpers/node22.js'
import { scratchDirectories } from '../helpers/scratch.js'

export const REPO = fileURLToPath(new URL('../..', import.meta.url))
export const EXAMPLE = path.join(REPO, 'examples/docusaurus')
export const PROJECT = path.join(REPO, 'test/docusaurus-current')
export const SOURCE = 'docusaurus-photos'
export const SECRET = 'docusaurus-test-secret-5f1c'
export const ENV = { IMAGEBOSS_SOURCE: SOURCE, IMAGEBOSS_SECRET: SECRET }

const BIN = path.join(PROJECT, 'node_modules/@docusaurus/core/bin/docusaurus.mjs')
/** Vitest's `NODE_ENV=test`: each command sets its own. */
const DROP = ['NODE_ENV']

/** The URL the example's reference of `file` signs to with the test's secret: the oracle. */
export const url = (transform: string, file: string) => expectedUrl(`/${SOURCE}/${transform}/format:auto/photos/${file}`, SECRET)

/** Throws unless test/docusaurus-current is installed and the package built (the sites use dist/). */
export function checkInstalled(): void {
  if (!existsSync(path.join(PROJECT, 'node_modules/@docusaurus/core')))
    throw new Error('test/docusaurus-current is not installed: run `node scripts/install-test-projects.js`')
  if (!existsSync(path.join(REPO, 'dist/docusaurus.js'))) throw new Error('build the package first (`npm run build`): the site uses dist/')
}

/** Removed after the tests of the file that imports this module. */
const { scratchIn } = scratchDirectories()

/** A copy of the example under test/docusaurus-current/.tmp, with `files` over it. */
export async function copyExample(files: Record<string, string> = {}): Promise<string> {
  const root = await scratchIn(path.join(PROJECT, '.tmp'), 'site-')
  await cp(EXAMPLE, root, { recursive: true, filter: (from) => !/[\\/](?:build|\.docusaurus|node_modules)$/.test(from) })
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true })
    await writeFile(path.join(root, name), text)
  }
  return root
}

/** `docusaurus <args>` in `cwd` to its end, with the environment minus every `IMAGEBOSS_*`, plus `env`. */
export function docusaurus(args: string[], cwd: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return runNode(process.execPath, [BIN, ...args], cwd, env, DROP)
}

/** `docusaurus start` in `cwd` on a free port, once it answers; `stop` ends it. */
export function docusaurusStart(cwd: string, env: Record<string, string>): Promise<{ url: string; output: () => string; stop: () => Promise<void> }> {
  return serveNode(process.execPath, (port) => [BIN, 'start', '--port', String(port), '--host', '127.0.0.1', '--no-open'], cwd, env, DROP)
}

/**
 * The example's config with `future: { v4: true }`, as a new site of Docusaurus 3.10 has it:
 * Docusaurus Faster, which builds with Rspack (and its persistent cache).
 */
export async function fasterConfig(): Promise<Record<string, string>> {
  const config = await readFile(path.join(EXAMPLE, 'docusaurus.config.js'), 'utf8')
  const faster = config.replace('export default {\n', 'export default {\n  future: { v4: true },\n')
  if (!faster.includes('future: { v4: true }')) throw new Error('Expected `export default {` in the example’s config')
  return { 'docusaurus.config.js': faster }
}

/** Each bundler Docusaurus builds with: webpack, and Rspack (Docusaurus Faster). */
export const BUNDLERS: Array<[string, () => Promise<Record<string, string>>]> = [
  ['webpack', async () => ({})],
  ['Rspack', fasterConfig]
]
