import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { liveEnvironment, productionByDefault } from '../core/environment.js'
import type { SiteFile } from './check.js'
import { listTree } from './check.js'

/** Where a Next.js build writes (`distDir`), and where `output: 'export'` writes the site. */
export interface NextFolders {
  distDir: string
  outDir: string
}

/**
 * Where the build of `project` is, given next.config's `distDir`: the build folder, or, with
 * `output: 'export'` and a `distDir` of its own, the exported site (Next.js then keeps its
 * manifests in `.next`). A build folder holds `BUILD_ID`; an exported site does not.
 */
export function nextFolders(project: string, distDir: string): NextFolders {
  if (distDir === '.next' || existsSync(path.join(project, distDir, 'BUILD_ID'))) return { distDir, outDir: 'out' }
  return { distDir: '.next', outDir: distDir }
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
 * has no Next.js: the process's environment alone. Synchronous, for a rehype plugin.
 */
export function nextEnvironment(project: string): Record<string, string | undefined> | undefined {
  const require = createRequire(path.join(project, 'package.json'))
  let loaded: {
    loadEnvConfig?: (
      dir: string,
      dev?: boolean,
      log?: { info(): void; error(message: string): void },
      forceReload?: boolean
    ) => { combinedEnv: Record<string, string | undefined> }
  }
  try {
    loaded = require('@next/env') as typeof loaded
  } catch {
    return undefined
  }
  if (typeof loaded.loadEnvConfig !== 'function') return undefined
  // Development or production, as Next.js itself chooses (`next dev` sets `NODE_ENV` first);
  // read again (`forceReload`): a process Next.js started has its marker that the files were
  // read, without their values.
  return loaded.loadEnvConfig(project, !productionByDefault(liveEnvironment()), { info: () => undefined, error: () => undefined }, true).combinedEnv
}

const CONFIG_NAMES = ['next.config.js', 'next.config.mjs', 'next.config.cjs', 'next.config.ts', 'next.config.mts']

/**
 * The Next.js project of a module: the nearest folder above it with a `next.config.*` (in a
 * monorepo, the app, not the workspace root a bundler may take as its root); else `fallback`.
 */
export function nextProjectOf(file: string, fallback: string): string {
  const start = path.dirname(file)
  const known = projects.get(start)
  if (known !== undefined) return known || fallback
  let dir = start
  let found = ''
  for (;;) {
    if (CONFIG_NAMES.some((name) => existsSync(path.join(dir, name)))) {
      found = dir
      break
    }
    const parent = path.dirname(dir)
    if (parent === dir) break
    dir = parent
  }
  projects.set(start, found)
  return found || fallback
}

/** The project found for each folder of modules (`''`: none), looked for once per folder and process. */
const projects = new Map<string, string>()
