// Installs the test suite's projects that need Node.js 22 (the current Astro and SvelteKit,
// each with a Node.js 22 binary from the npm registry), from their own lockfiles. Run by
// `npm install` / `npm ci` in this repository only (never in a project that depends on the
// package).
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const env = process.env
const inThisRepo = env.npm_config_local_prefix === process.cwd() && ['ci', 'install'].includes(env.npm_command)
const PROJECTS = ['test/astro-current', 'test/sveltekit-current', 'test/sveltekit-current/kit3']

if (inThisRepo) {
  for (const project of PROJECTS) {
    if (!existsSync(`${project}/package.json`)) continue
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
    execFileSync(npm, ['ci', '--prefix', project, '--no-audit', '--no-fund'], { stdio: 'inherit' })
  }
}
