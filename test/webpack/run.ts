// Builds with webpack 5 and Rspack through their Node APIs, each with its own plugin entry.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { stripVTControlCharacters } from 'node:util'
import { rspack, type Configuration as RspackConfiguration } from '@rspack/core'
import HtmlWebpackPlugin from 'html-webpack-plugin'
import webpack, { type Compiler, type Configuration as WebpackConfiguration, type Watching } from 'webpack'
import imagebossRspack from 'imageboss-build/rspack'
import { writeFiles } from '../helpers/files.js'
import { scratchDirectories } from '../helpers/scratch.js'
import imagebossWebpack from 'imageboss-build/webpack'
import type { ImageBossOptions } from 'imageboss-build'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const EXAMPLE = path.join(ROOT, 'examples/webpack')

export type Bundler = 'webpack' | 'rspack'
export const BUNDLERS: Bundler[] = ['webpack', 'rspack']

/** What a build left: its errors and warnings as the bundler prints them, and whether it failed. */
export interface BuildResult {
  errors: string[]
  warnings: string[]
  failed: boolean
}

interface AnyStats {
  hasErrors(): boolean
  toJson(options: { all: false; errors: true; warnings: true }): { errors?: { message: string }[]; warnings?: { message: string }[] }
}

/** A compiler of either bundler, through webpack's types (Rspack's API is the same where these tests use it). */
export function createCompiler(bundler: Bundler, config: object): Compiler {
  return (bundler === 'webpack' ? webpack(config as WebpackConfiguration) : rspack(config as RspackConfiguration)) as unknown as Compiler
}

/** One run of a configuration, the compiler closed after it. */
export async function build(bundler: Bundler, config: object): Promise<BuildResult> {
  const stats = await new Promise<AnyStats>((resolve, reject) => {
    const compiler =
      bundler === 'webpack' ? webpack(config as WebpackConfiguration) : (rspack(config as RspackConfiguration) as unknown as ReturnType<typeof webpack>)
    compiler.run((error, result) => {
      compiler.close(() => (error || !result ? reject(error ?? new Error('No stats')) : resolve(result as unknown as AnyStats)))
    })
  })
  return resultOf(stats)
}

function resultOf(stats: AnyStats): BuildResult {
  const json = stats.toJson({ all: false, errors: true, warnings: true })
  // Rspack colours its messages where the environment asks for colour (FORCE_COLOR, a terminal): the text is compared without.
  return {
    errors: (json.errors ?? []).map((e) => stripVTControlCharacters(e.message)),
    warnings: (json.warnings ?? []).map((e) => stripVTControlCharacters(e.message)),
    failed: stats.hasErrors()
  }
}

/** The example's own configuration for `bundler`, written into `outDir`. */
export async function exampleConfig(bundler: Bundler, outDir: string): Promise<Record<string, unknown>> {
  const module = (await import(path.join(EXAMPLE, `${bundler}.config.js`))) as { default: Record<string, unknown> }
  const config = module.default
  return { ...config, output: { ...(config.output as object), path: outDir } }
}

/**
 * A project's configuration for `bundler`: `src/main.js`, its CSS through `css-loader`
 * (webpack) or Rspack's CSS, and `src/index.html` as the HTML plugin's template when present.
 */
export function projectConfig(
  bundler: Bundler,
  root: string,
  outDir: string,
  options: ImageBossOptions,
  more: { mode?: 'production' | 'development'; html?: boolean; plugins?: unknown[]; emitOnErrors?: boolean } = {}
): Record<string, unknown> {
  const html = more.html ?? true
  const css = bundler === 'webpack' ? { test: /\.css$/, use: ['css-loader'], sideEffects: true } : { test: /\.css$/, type: 'css', sideEffects: true }
  const plugins: unknown[] = [bundler === 'webpack' ? imagebossWebpack(options) : imagebossRspack(options)]
  if (html)
    plugins.push(
      bundler === 'webpack' ? new HtmlWebpackPlugin({ template: './src/index.html' }) : new rspack.HtmlRspackPlugin({ template: './src/index.html' })
    )
  return {
    mode: more.mode ?? 'production',
    context: root,
    entry: './src/main.js',
    devtool: false,
    output: { path: outDir, clean: true },
    module: { rules: [css] },
    optimization: { minimize: false, emitOnErrors: more.emitOnErrors ?? false },
    plugins: [...plugins, ...(more.plugins ?? [])]
  }
}

/** The first run of `compiler.watch`, then the watcher and the compiler closed. */
export async function watchOnce(bundler: Bundler, config: object): Promise<BuildResult> {
  const compiler = createCompiler(bundler, config)
  const stats = await new Promise<AnyStats>((resolve, reject) => {
    let first: { error: Error | null; result: unknown } | undefined
    const watching = compiler.watch({}, (error, result) => {
      first ??= { error: error ?? null, result }
      setImmediate(() =>
        (watching as Watching).close(() =>
          compiler.close(() => (first?.error || !first?.result ? reject(first?.error ?? new Error('No stats')) : resolve(first.result as AnyStats)))
        )
      )
    })
  })
  return resultOf(stats)
}

const { scratchIn } = scratchDirectories()

/** A project inside the repository (so that loaders and plugins resolve from its node_modules), and its output folder. */
export async function project(files: Record<string, string>): Promise<{ root: string; outDir: string }> {
  const root = await scratchIn(path.join(ROOT, '.tmp'), 'webpack-')
  writeFiles(root, {
    'src/index.html': '<!doctype html>\n<title>t</title>\n<img src="imageboss:/ok.jpg?w=10" alt="">\n',
    'src/main.js': "console.log('imageboss:/ok.jpg?w=20')\n",
    ...files
  })
  return { root, outDir: path.join(root, 'dist') }
}
