// Installs the test suite's projects that need Node.js 22 (the current Astro, SvelteKit 2
// and 3, Nuxt 4, Next.js 16, each with a Node.js 22 binary from the npm registry), from their own lockfiles.
// test/docusaurus-current (the current Docusaurus 3) and test/next-15 (Next.js 15) run on this Node.js.
// `npm test` runs it first; a project whose lockfile has not changed since its last install
// is left as it is.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const PROJECTS = [
  'test/astro-current',
  'test/sveltekit-current',
  'test/sveltekit-current/kit3',
  'test/docusaurus-current',
  'test/nuxt-current',
  'test/next-current',
  'test/next-15'
]
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'

for (const project of PROJECTS) {
  const dir = path.join(ROOT, project)
  const lockfile = path.join(dir, 'package-lock.json')
  if (!existsSync(lockfile)) continue
  const digest = createHash('sha256').update(readFileSync(lockfile)).digest('hex')
  const stamp = path.join(dir, 'node_modules', '.installed-from-lockfile')
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) continue
  console.log(`Installing ${project} (its lockfile changed, or it was never installed)`)
  execFileSync(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: 'inherit' })
  writeFileSync(stamp, digest)
}
