// Problems of webpack and Rspack builds: a bad reference located at its file, line and column
// with its rule id; the output check over every emitted asset; warnings in development; no
// signing of a reference no project file holds.
import { existsSync } from 'node:fs'
import { rspack } from '@rspack/core'
import HtmlWebpackPlugin from 'html-webpack-plugin'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { expectedUrl } from '../helpers/expected.js'
import { readTree } from '../helpers/files.js'
import { build, BUNDLERS, project, projectConfig, watchOnce, type Bundler } from './run.js'

const SECRET = 'errors-secret-of-the-webpack-test'
const OPTIONS = { source: 'site', secret: SECRET, env: {} }

/** A plugin that emits an asset holding `text` after the bundle is made, as a copy step or another plugin could. */
function emitAsset(name: string, text: string) {
  return {
    apply(compiler: { hooks: { thisCompilation: { tap(name: string, fn: (compilation: EmittingCompilation) => void): void } }; webpack: BundlerApi }) {
      compiler.hooks.thisCompilation.tap('test:emit', (compilation) => {
        compilation.hooks.processAssets.tap({ name: 'test:emit', stage: compiler.webpack.Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL }, () => {
          compilation.emitAsset(name, new compiler.webpack.sources.RawSource(text))
        })
      })
    }
  }
}

/** A plugin that adds a reference to each page at the HTML plugin's `beforeEmit`, after this package's plugin signed it. */
function lateHtml(bundler: Bundler) {
  return {
    apply(compiler: { hooks: { thisCompilation: { tap(name: string, fn: (compilation: unknown) => void): void } } }) {
      compiler.hooks.thisCompilation.tap('test:late', (compilation) => {
        const hooks =
          bundler === 'webpack' ? HtmlWebpackPlugin.getHooks(compilation as never) : rspack.HtmlRspackPlugin.getCompilationHooks(compilation as never)
        hooks.beforeEmit.tapPromise('test:late', async (data: { html: string }) => {
          data.html += '\n<img src="imageboss:/late.jpg?w=5" alt="">\n'
          return data as never
        })
      })
    }
  }
}

interface EmittingCompilation {
  hooks: { processAssets: { tap(options: { name: string; stage: number }, fn: () => void): void } }
  emitAsset(name: string, source: unknown): void
}

interface BundlerApi {
  Compilation: { PROCESS_ASSETS_STAGE_ADDITIONAL: number }
  sources: { RawSource: new (text: string) => unknown }
}

/** The bundler's messages as their located lines (without the Module Error header and Rspack's frame). */
function lines(messages: readonly string[]): string[] {
  return messages
    .flatMap((message) => message.split('\n'))
    .map((line) => line.replace(/^\s*[×│⚠]?\s*(?:Module (?:Error|Warning) \(from [^)]*\):)?/, '').trim())
    .filter((line) => line.length > 0)
}

describe.each(BUNDLERS)('problems of a %s build', (bundler: Bundler) => {
  it('fails on a bad reference in a script, located at file:line:column with its rule id', async () => {
    const { root, outDir } = await project({
      'src/main.js': "const ok = 'imageboss:/ok.jpg?w=20'\nconst bad = 'imageboss:/bad.jpg?w=abc'\nconsole.log(ok, bad)\n"
    })
    const result = await build(bundler, projectConfig(bundler, root, outDir, OPTIONS))
    expect(result.failed).toBe(true)
    expect(lines(result.errors)).toEqual(['src/main.js:2:35: invalid-value: Unexpected value `abc` for `w`, expected an integer from 1 to 8192'])
  })

  it('fails on bad references in a stylesheet, a template and an import, each at its place', async () => {
    const { root, outDir } = await project({
      'src/main.js': "import './style.css'\nimport bad from 'imageboss:/imported.jpg?w=abc'\nconsole.log(bad)\n",
      'src/style.css': '.a {\n  background: url(imageboss:/css.jpg?w=abc);\n}\n',
      'src/index.html': '<!doctype html>\n<title>t</title>\n<p>\n  <img src="imageboss:/page.jpg?w=abc" alt="">\n</p>\n'
    })
    const result = await build(bundler, projectConfig(bundler, root, outDir, OPTIONS))
    expect(result.failed).toBe(true)
    const reason = 'invalid-value: Unexpected value `abc` for `w`, expected an integer from 1 to 8192'
    expect(lines(result.errors).sort()).toEqual(
      [
        `src/style.css:2:40: ${reason}`,
        `src/main.js:2:44: ${reason} (in \`import … from 'imageboss:/imported.jpg?w=abc'\`)`,
        `src/index.html:4:35: ${reason}`
      ].sort()
    )
  })

  it('reports bad references as warnings in development, the reference left as written', async () => {
    const { root, outDir } = await project({ 'src/main.js': "window.bad = 'imageboss:/bad.jpg?w=abc'\n" })
    const result = await build(bundler, projectConfig(bundler, root, outDir, OPTIONS, { mode: 'development' }))
    expect(result.failed).toBe(false)
    expect(lines(result.warnings)).toEqual(['src/main.js:1:36: invalid-value: Unexpected value `abc` for `w`, expected an integer from 1 to 8192'])
    const html = (await readTree(outDir)).get('index.html') ?? ''
    expect(html).toContain(expectedUrl('/site/width/10/format:auto/ok.jpg', SECRET))
  })

  it('catches a reference slipped into an asset by another plugin, and leaves the asset out', async () => {
    const { root, outDir } = await project({})
    const plugins = [emitAsset('extra.txt', 'first line\nsee imageboss:/slipped.jpg?w=5\n')]
    // Written despite errors, so that what is left out is the flagged asset alone.
    const result = await build(bundler, projectConfig(bundler, root, outDir, OPTIONS, { plugins, emitOnErrors: true }))
    expect(result.failed).toBe(true)
    const [line, ...rest] = lines(result.errors)
    expect(rest).toEqual([])
    expect(line).toMatch(/^extra\.txt:2:5: leftover-reference: Unexpected `imageboss:` reference left in the output/)
    expect(line).toContain('imageboss:/slipped.jpg?w=5')
    expect(existsSync(path.join(outDir, 'extra.txt'))).toBe(false)
    expect(existsSync(path.join(outDir, 'index.html'))).toBe(true)
  })

  it('checks the pages the HTML plugin emits: a reference another plugin adds after the signing is caught', async () => {
    const { root, outDir } = await project({})
    const result = await build(bundler, projectConfig(bundler, root, outDir, OPTIONS, { plugins: [lateHtml(bundler)], emitOnErrors: true }))
    expect(result.failed).toBe(true)
    expect(lines(result.errors)).toEqual([expect.stringMatching(/^index\.html:\d+:\d+: leftover-reference: .*imageboss:\/late\.jpg\?w=5/)])
    expect(existsSync(path.join(outDir, 'index.html'))).toBe(false)
    expect(existsSync(path.join(outDir, 'main.js'))).toBe(true)
  })

  it('reports what the output check finds as warnings in watch mode, the asset still left out', async () => {
    const { root, outDir } = await project({})
    const plugins = [emitAsset('extra.txt', 'see imageboss:/slipped.jpg?w=5\n')]
    const result = await watchOnce(bundler, projectConfig(bundler, root, outDir, OPTIONS, { plugins }))
    expect(result.errors).toEqual([])
    expect(lines(result.warnings)[0]).toMatch(/^extra\.txt:1:5: leftover-reference: /)
    expect(existsSync(path.join(outDir, 'extra.txt'))).toBe(false)
    expect(existsSync(path.join(outDir, 'index.html'))).toBe(true)
  })

  it('catches the secret written into a bundle by another route, and writes no file holding it', async () => {
    const { root, outDir } = await project({ 'src/main.js': 'console.log("key: " + SECRET_KEY)\n' })
    const { DefinePlugin } = bundler === 'webpack' ? (await import('webpack')).default : (await import('@rspack/core')).rspack
    const plugins = [new DefinePlugin({ SECRET_KEY: JSON.stringify(SECRET) })]
    const result = await build(bundler, projectConfig(bundler, root, outDir, OPTIONS, { plugins, emitOnErrors: true }))
    expect(result.failed).toBe(true)
    expect(lines(result.errors).join('\n')).toMatch(/^main\.js:\d+:\d+: secret-in-output: /m)
    const files = await readTree(outDir)
    expect([...files.keys()]).toEqual(['index.html'])
    for (const [name, text] of files) expect(text, name).not.toContain(SECRET)
  })

  it("searches a server bundle (target: 'node') for secrets only", async () => {
    const { root, outDir } = await project({ 'src/main.js': 'console.log(process.argv[2] === "key" ? SECRET_KEY : "")\n' })
    const { DefinePlugin } = bundler === 'webpack' ? (await import('webpack')).default : (await import('@rspack/core')).rspack
    const kept = emitAsset('server.txt', 'resolved at run time: imageboss:/runtime.jpg?w=5\n')
    const config = projectConfig(bundler, root, outDir, OPTIONS, { html: false, plugins: [kept], emitOnErrors: true })
    const clean = await build(bundler, { ...config, target: 'node' })
    expect(clean.errors).toEqual([])
    expect(existsSync(path.join(outDir, 'server.txt'))).toBe(true)
    const plugins = [...(config.plugins as unknown[]), new DefinePlugin({ SECRET_KEY: JSON.stringify(SECRET) })]
    const leaked = await build(bundler, { ...config, target: 'node', plugins })
    expect(lines(leaked.errors).join('\n')).toMatch(/^main\.js:\d+:\d+: secret-in-output: /m)
    expect(existsSync(path.join(outDir, 'main.js'))).toBe(false)
  })

  it('signs no reference that only a crafted request holds: no project file imports it', async () => {
    const crafted = 'data:text/javascript,export { default } from "imageboss:/never.jpg?w=1"'
    const { root, outDir } = await project({ 'src/main.js': `import never from '${crafted}'\nconsole.log(never)\n` })
    const result = await build(bundler, projectConfig(bundler, root, outDir, OPTIONS, { html: false }))
    expect(result.failed).toBe(true)
    expect(result.errors.join('\n')).toContain('imageboss:/never.jpg?w=1')
    const token = expectedUrl('/site/width/1/format:auto/never.jpg', SECRET).split('bossToken=')[1] as string
    const files = existsSync(outDir) ? await readTree(outDir) : new Map<string, string>()
    for (const [name, text] of files) expect(text, name).not.toContain(token)
  })
})

// webpack has no TypeScript loader of its own; the script loader runs after whichever the
// project uses, with or without its source map.
describe('problems of TypeScript compiled by Rspack’s builtin:swc-loader', () => {
  it.each([false, 'source-map'] as const)('locates a bad reference in the author’s file (devtool: %s)', async (devtool) => {
    const { root, outDir } = await project({
      'src/main.ts': "interface Size {\n  w: number\n}\n\nconst size: Size = { w: 1 }\nconst bad: string = 'imageboss:/bad.jpg?w=abc'\nconsole.log(size, bad)\n"
    })
    const config = projectConfig('rspack', root, outDir, OPTIONS, { html: false })
    const swc = { test: /\.ts$/, loader: 'builtin:swc-loader', options: { jsc: { parser: { syntax: 'typescript' } } }, type: 'javascript/auto' }
    const module = config.module as { rules: unknown[] }
    const result = await build('rspack', { ...config, devtool, entry: './src/main.ts', module: { rules: [...module.rules, swc] } })
    expect(result.failed).toBe(true)
    expect(lines(result.errors)).toEqual(['src/main.ts:6:43: invalid-value: Unexpected value `abc` for `w`, expected an integer from 1 to 8192'])
  })
})

describe.each(BUNDLERS)('settings of a %s build', (bundler: Bundler) => {
  it('reads imageboss.config.json from the context, under the options given', async () => {
    const { root, outDir } = await project({ 'imageboss.config.json': '{ "source": "from-config", "defaults": { "format": "webp" } }\n' })
    const result = await build(bundler, projectConfig(bundler, root, outDir, { secret: SECRET, env: {}, defaults: { format: 'avif' } }))
    expect(result.errors).toEqual([])
    const files = await readTree(outDir)
    expect(files.get('index.html')).toContain(expectedUrl('/from-config/width/10/format:avif/ok.jpg', SECRET))
    expect(files.get('main.js')).toContain(expectedUrl('/from-config/width/20/format:avif/ok.jpg', SECRET))
  })

  it('fails a production build without the secret at each reference, as missing-secret', async () => {
    const { root, outDir } = await project({})
    const result = await build(bundler, projectConfig(bundler, root, outDir, { source: 'site', env: {} }))
    expect(result.failed).toBe(true)
    const found = lines(result.errors)
    expect(found.some((line) => /^src\/main\.js:1:14: missing-secret: /.test(line))).toBe(true)
    expect(found.some((line) => /^src\/index\.html:3:11: missing-secret: /.test(line))).toBe(true)
  })

  it('leaves the modules of `exclude` as they are; one of their references that ships fails the output check', async () => {
    const { root, outDir } = await project({
      'src/main.js': "import { sample } from './fixtures/sample.js'\nwindow.sample = sample\nconsole.log('imageboss:/ok.jpg?w=20')\n",
      'src/fixtures/sample.js': "export const sample = 'imageboss:/sample.jpg?w=abc'\n"
    })
    const options = { ...OPTIONS, exclude: /[\\/]fixtures[\\/]/ }
    const result = await build(bundler, projectConfig(bundler, root, outDir, options, { html: false, emitOnErrors: true }))
    expect(result.failed).toBe(true)
    expect(lines(result.errors)).toEqual([expect.stringMatching(/^main\.js:\d+:\d+: leftover-reference: .*imageboss:\/sample\.jpg\?w=abc/)])
    expect(existsSync(path.join(outDir, 'main.js'))).toBe(false)
  })

  it('signs only the modules of `include`', async () => {
    const { root, outDir } = await project({
      'src/main.js': "import { other } from './other.js'\nwindow.other = other\nconsole.log('imageboss:/ok.jpg?w=20')\n",
      'src/other.js': "export const other = 'imageboss:/other.jpg?w=30'\n"
    })
    const options = { ...OPTIONS, include: path.join(root, 'src/main.js') }
    const result = await build(bundler, projectConfig(bundler, root, outDir, options, { html: false, emitOnErrors: true }))
    expect(lines(result.errors)).toEqual([expect.stringMatching(/^main\.js:\d+:\d+: leftover-reference: .*imageboss:\/other\.jpg\?w=30/)])
  })

  it('refuses an unknown option when the plugin is made', async () => {
    const { default: imageboss } = bundler === 'webpack' ? await import('imageboss-build/webpack') : await import('imageboss-build/rspack')
    expect(() => imageboss({ sorce: 'site' } as never)).toThrow(/invalid-option|sorce/)
  })
})
