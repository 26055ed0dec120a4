import path from 'node:path'
import { asConfigError } from '../core/errors.js'
import type { ImageBossOptions } from '../core/imageboss.js'
import { formatProblem, prefixed } from '../core/problems.js'
import { loadProject, type Project } from '../core/project.js'
import { scriptSyntaxOf } from '../core/scan/script-syntax.js'
import { nextEnvironment, nextProjectOf } from '../site/next.js'
import { OWN_DIST_RE } from '../vite-plugins/filters.js'
import { transformModule } from '../webpack-plugins/module.js'
import { NODE_MODULES_RE, type NextLoaderOptions } from './config.js'

/** What this loader reads of the loader context: webpack's, and the subset Turbopack gives. */
interface LoaderContext {
  getOptions(): NextLoaderOptions
  resourcePath: string
  rootContext?: string | undefined
  sourceMap?: boolean | undefined
  async(): (error: Error | null, code?: string, map?: unknown) => void
  emitError(error: Error): void
  emitWarning(error: Error): void
}

/** Components whose `src` is served as it is once signed: `next/image` optimises no signed URL. */
const FLAG_COMPONENTS = [
  { from: 'next/image', attribute: 'unoptimized' },
  { from: 'next/legacy/image', attribute: 'unoptimized' }
]

/** One project per root and options in this process (Turbopack runs loaders in a pool of processes). */
const projects = new Map<string, Promise<Project>>()

function projectOf(root: string, settings: Record<string, unknown>): Promise<Project> {
  const key = JSON.stringify([root, settings])
  let project = projects.get(key)
  if (!project) {
    // Turbopack's loader processes do not see the `.env*` files Next.js loaded: read as it reads them.
    const env = nextEnvironment(root)
    project = loadProject({
      root,
      options: { ...(settings as ImageBossOptions), ...(env ? { env } : {}) },
      onWarning: (warning) => console.warn(prefixed(formatProblem(warning)))
    })
    // A failure is not kept: the next module tries again (the environment may be fixed in `next dev`).
    project.catch(() => projects.delete(key))
    projects.set(key, project)
  }
  return project
}

/**
 * The loader of `withImageBoss()`: a module of the project as its author wrote it
 * (TypeScript, JSX, CSS), its references signed by the core. Production (`NODE_ENV`, as
 * `next build` sets it) fails the module on a problem; `next dev` warns and leaves the
 * reference. It signs only what the module's own text holds: no request reaches it.
 */
export default function imagebossNextLoader(this: LoaderContext, source: string, map?: unknown): void {
  const callback = this.async()
  const file = this.resourcePath
  // Modules of packages are not the project's (the rules leave them out; this says so again), and
  // this package's own (linked from outside `node_modules` too) mention references in their messages.
  if (!source.includes('imageboss:') || NODE_MODULES_RE.test(file) || OWN_DIST_RE.test(file)) return callback(null, source, map)
  const { kind, settings } = this.getOptions()
  const root = nextProjectOf(file, this.rootContext && path.isAbsolute(this.rootContext) ? this.rootContext : process.cwd())
  projectOf(root, settings).then(
    (project) => {
      const scanOptions = kind === 'script' ? { syntax: scriptSyntaxOf(file), inlineImports: true, flagComponents: FLAG_COMPONENTS } : {}
      const result = transformModule(project.imageboss, { kind, source, file, map, sourceMap: this.sourceMap === true }, root, scanOptions)
      for (const error of result.errors) (project.production ? this.emitError : this.emitWarning).call(this, error)
      callback(null, result.code, result.map ?? map)
    },
    (error: unknown) => callback(asConfigError(error) as Error)
  )
}
