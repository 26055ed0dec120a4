import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { SiteFile } from './check.js'
import { listTree } from './check.js'

/** Where a Next.js build writes (`distDir`), and where `output: 'export'` writes the site. */
export interface NextFolders {
  distDir: string
  outDir: string
}

/**
 * What browsers are served of `.next/`: its static files, and the pages and payloads that static
 * generation writes (`server/app/**.html`, `.rsc`, `.segment.rsc`, `.body`, `server/pages/**.html`,
 * `.json`). The rest (server code, traces, caches) is searched for secrets only.
 */
const SERVED_RE = /^(?:static\/|server\/(?:app|pages)\/.*\.(?:html|rsc|body|json|meta)$)/

/**
 * The files of a Next.js build in `project`: `.next/` as it is served and kept, and the
 * exported site, all served; named by `show` (default: relative to `project`).
 */
export function nextBuildFiles(
  project: string,
  folders: NextFolders,
  show = (file: string) => path.relative(project, file).split(path.sep).join('/')
): SiteFile[] {
  const dist = path.resolve(project, folders.distDir)
  const out = path.resolve(project, folders.outDir)
  return [...listTree(dist, { show, served: (relative) => SERVED_RE.test(relative) }), ...(out === dist ? [] : listTree(out, { show, served: () => true }))]
}

/**
 * The environment of `next build` in `project`: the `.env*` files Next.js loads, read by its own
 * `@next/env` (resolved from the project), over the process's. `undefined` where the project
 * has no Next.js: the process's environment alone.
 */
export async function nextEnvironment(project: string): Promise<Record<string, string | undefined> | undefined> {
  let entry: string
  try {
    entry = createRequire(path.join(project, 'package.json')).resolve('@next/env')
  } catch {
    return undefined
  }
  const loaded = (await import(pathToFileURL(entry).href)) as {
    loadEnvConfig?: (dir: string, dev?: boolean, log?: { info(): void; error(message: string): void }) => { combinedEnv: Record<string, string | undefined> }
    default?: { loadEnvConfig?: unknown }
  }
  const loadEnvConfig = (loaded.loadEnvConfig ?? loaded.default?.loadEnvConfig) as typeof loaded.loadEnvConfig
  if (typeof loadEnvConfig !== 'function') return undefined
  return loadEnvConfig(project, false, { info: () => undefined, error: () => undefined }).combinedEnv
}
