import path from 'node:path'
import type { ImageBossError } from '../core/errors.js'
import { createOutputCheck } from '../core/output/index.js'
import { formatProblem } from '../core/problems.js'
import { checkFiles } from '../site/check.js'
import { nextBuildFiles, nextEnvironment, nextFolders } from '../site/next.js'
import { loadSettings, type SettingsInput } from '../site/settings.js'
import { line } from './escape.js'
import type { Io } from './main.js'

/**
 * `imageboss verify --next [project]`: the output check over a Next.js build, after `next
 * build` (which offers no hook once its pages are generated): `.next/`'s static files, pages
 * and payloads for references, unverified URLs and secrets; its server code and caches for
 * secrets; `out/` of `output: 'export'` as a site. The environment is the build's: the
 * `.env*` files Next.js loads, through its own loader. `distDir` is next.config's (`.next` by
 * default).
 */
export async function runNextVerify(
  project: string,
  distDir: string,
  input: SettingsInput,
  onWarning: (warning: ImageBossError) => void,
  io: Io
): Promise<number> {
  const started = performance.now()
  const env = nextEnvironment(project)
  const settings = await loadSettings({ ...input, root: project, options: { ...input.options, ...(env ? { env } : {}) } }, onWarning)
  const check = createOutputCheck(settings.project.keys)
  for (const warning of check.warnings) io.stderr.write(line(`imageboss: warning: ${warning.ruleId}: ${warning.reason}`))
  // Named relative to the current directory, as the project was given.
  const folders = nextFolders(project, distDir)
  const files = nextBuildFiles(project, folders, (file) => path.relative(io.cwd, file))
  if (files.length === 0) {
    const where = [...new Set([folders.distDir, folders.outDir])].map((folder) => `\`${folder}/\``).join(' or ')
    const hint = distDir === '.next' ? ' (with `distDir` in next.config, pass it: `--dist-dir <dir>`)' : ''
    io.stderr.write(
      line(`imageboss: Expected a Next.js build in \`${path.relative(io.cwd, project) || '.'}\` (${where}), found none: run \`next build\` first${hint}`)
    )
    return 2
  }
  const found = checkFiles(files, check)
  for (const warning of found.warnings) io.stderr.write(line(formatProblem(warning)))
  for (const problem of found.problems) io.stdout.write(line(formatProblem(problem)))
  const seconds = ((performance.now() - started) / 1000).toFixed(2)
  const count = found.problems.length
  io.stdout.write(`imageboss verify --next: ${files.length} files, ${count} finding${count === 1 ? '' : 's'} in ${seconds}s\n`)
  return count > 0 ? 1 : 0
}
