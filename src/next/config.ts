import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { asConfigError, ImageBossError } from '../core/errors.js'
import { checkOptionNames, type ImageBossOptions } from '../core/imageboss.js'
import type { TextKind } from '../core/scan/index.js'
import { OWN_DIST_RE } from '../vite-plugins/filters.js'

/**
 * Options of `withImageBoss()`: those of the core, over those of `imageboss.config.*`, as
 * plain data. Next.js serialises its configuration (Turbopack's loader options are JSON): the
 * secret is never one of them, the loader reads it from the build's environment.
 */
export type ImageBossNextOptions = Omit<ImageBossOptions, 'secret' | 'onWarning'>

/** What the loader is given: the options and the kind of text of the modules of its rule. */
export interface NextLoaderOptions {
  kind: Extract<TextKind, 'script' | 'css'>
  settings: Record<string, unknown>
}

/** The part of a Next.js configuration this package adds to (structural: Next.js 15 and 16). */
export interface NextConfigLike {
  webpack?: ((config: WebpackConfigLike, context: { dev: boolean; isServer: boolean }) => unknown) | null | undefined
  turbopack?: { rules?: Record<string, unknown> | undefined; [key: string]: unknown } | undefined
  [key: string]: unknown
}

/** The part of webpack's configuration the loader's rules go into. */
interface WebpackConfigLike {
  module?: { rules?: unknown[] | undefined } | undefined
  [key: string]: unknown
}

type NextConfigFunction<T> = (phase: string, context: { defaultConfig: unknown }) => T | Promise<T>

const LOADER = fileURLToPath(new URL('./loader.js', import.meta.url))

/** The author's modules the loader reads as written, by extension (Turbopack's rule globs). */
const SCRIPT_GLOBS = ['*.js', '*.jsx', '*.ts', '*.tsx', '*.mjs', '*.cjs']
const SCRIPT_RE = /\.[cm]?[jt]sx?$/i
const CSS_RE = /\.css$/i
/** Modules of packages are not the project's: their references are not signed (the output check still sees them ship). */
export const NODE_MODULES_RE = /[\\/]node_modules[\\/]/

/**
 * `export default withImageBoss(nextConfig)` in `next.config.*`: the references of the
 * project's modules (server and client components, route handlers, CSS, MDX compiled by
 * `@next/mdx`) signed at build, by one loader given to Turbopack (`turbopack.rules`) and to
 * webpack (`next build --webpack`, Next.js 15) alike, which reads each module as its author
 * wrote it. The secret is read by the loader from the environment (`.env*` files that Next.js
 * loads included), never from this configuration. `next/image` elements whose `src` is a
 * reference get `unoptimized`: the signed URL is served as it is.
 */
export function withImageBoss<T extends NextConfigLike>(nextConfig?: T, options?: ImageBossNextOptions): T
export function withImageBoss<T extends NextConfigLike>(nextConfig: NextConfigFunction<T>, options?: ImageBossNextOptions): NextConfigFunction<T>
export function withImageBoss<T extends NextConfigLike>(
  nextConfig: T | NextConfigFunction<T> = {} as T,
  options: ImageBossNextOptions = {}
): T | NextConfigFunction<T> {
  const settings = loaderSettings(options)
  if (typeof nextConfig === 'function') return async (phase, context) => withLoaders(await nextConfig(phase, context), settings)
  return withLoaders(nextConfig, settings)
}

/** The options as the loader receives them: checked, and JSON (what Turbopack passes on). */
function loaderSettings(options: ImageBossNextOptions): Record<string, unknown> {
  try {
    checkOptionNames(options, '`withImageBoss()`')
    if ('secret' in options || Object.values(options.sources ?? {}).some((source) => source !== null && typeof source === 'object' && 'secret' in source))
      throw new ImageBossError(
        'invalid-option',
        'Unexpected secret in `withImageBoss()` options, which Next.js serialises into its build; expected it only in the environment (`IMAGEBOSS_SECRET`, `IMAGEBOSS_SECRET_<NAME>`, or a `.env*` file Next.js loads)'
      )
    const json = JSON.stringify(options, (key, value: unknown) => {
      if (typeof value === 'function')
        throw new ImageBossError(
          'invalid-option',
          `Unexpected function for \`${key}\` in \`withImageBoss()\` options, expected plain data (Next.js passes them to its loaders as JSON)`
        )
      return value
    })
    return JSON.parse(json) as Record<string, unknown>
  } catch (error) {
    throw asConfigError(error)
  }
}

function withLoaders<T extends NextConfigLike>(nextConfig: T, settings: Record<string, unknown>): T {
  const script: NextLoaderOptions = { kind: 'script', settings }
  const css: NextLoaderOptions = { kind: 'css', settings }
  const turbopack = nextConfig.turbopack ?? {}
  const rules: Record<string, unknown> = { ...turbopack.rules }
  const add = nextMajor() >= 16 ? withRule : withRule15
  for (const glob of SCRIPT_GLOBS) rules[glob] = add(rules[glob], [{ loader: LOADER, options: script }])
  rules['*.css'] = add(rules['*.css'], [{ loader: LOADER, options: css }])

  const userWebpack = nextConfig.webpack
  return {
    ...nextConfig,
    turbopack: { ...turbopack, rules },
    webpack(config: WebpackConfigLike, context: { dev: boolean; isServer: boolean }) {
      const module = (config.module ??= {})
      // `pre`: the module as its author wrote it, before Next.js compiles it.
      ;(module.rules ??= []).push(
        { test: SCRIPT_RE, exclude: [NODE_MODULES_RE, OWN_DIST_RE], enforce: 'pre', use: [{ loader: LOADER, options: script }] },
        // As `resource`, not `test`: Next.js turns its own CSS support off for a rule whose `test`
        // or `include` matches CSS, taking it for one that replaces its loaders; this one runs
        // before them and hands on CSS.
        { resource: CSS_RE, exclude: [NODE_MODULES_RE, OWN_DIST_RE], enforce: 'pre', use: [{ loader: LOADER, options: css }] }
      )
      return typeof userWebpack === 'function' ? userWebpack(config, context) : config
    }
  }
}

/**
 * Next.js 16: the project's own rule for a glob kept, this package's added after it (Turbopack
 * applies a list's matching rules in turn), for the project's modules only (`foreign` are those
 * of packages).
 */
function withRule(existing: unknown, loaders: unknown[]): unknown {
  const rule = { condition: { not: 'foreign' }, loaders }
  if (existing === undefined) return [rule]
  return [...(Array.isArray(existing) ? existing : [existing]), rule]
}

/**
 * Next.js 15's form (no `condition`, no list of rules): `foreign: false` leaves the modules of
 * packages alone, `default` is every other. A project's own rule for the glob gets the loader
 * last in its list, so that it reads the module first, as written.
 */
function withRule15(existing: unknown, loaders: unknown[]): unknown {
  if (existing === undefined) return { foreign: false, default: { loaders } }
  if (Array.isArray(existing)) return [...(existing as unknown[]), ...loaders]
  const own = existing as { loaders?: unknown[] }
  if (Array.isArray(own.loaders)) return { ...own, loaders: [...own.loaders, ...loaders] }
  return existing
}

/** The major version of the Next.js that loads this configuration, from the project (16 where it cannot be told). */
function nextMajor(): number {
  try {
    const manifest = createRequire(path.join(process.cwd(), 'package.json'))('next/package.json') as { version?: unknown }
    const major = Number(String(manifest.version).split('.')[0])
    return Number.isInteger(major) ? major : 16
  } catch {
    return 16
  }
}
