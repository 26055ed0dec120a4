// The Vite plugin with real in-memory builds: `imageboss.config.*` under the options given
// (`imageboss()`, `imageboss({})` and `imageboss({ … })` alike), and `include`/`exclude`.
import { build } from 'vite'
import { describe, expect, it } from 'vitest'
import imageboss, { type ImageBossPluginOptions } from 'imageboss-build/vite'
import { buildError, noImageBossEnv, outputFiles, signedUrl, tempProject, withEnv } from '../vite/helpers.js'

const SECRET = 'vite-config-secret'
const ENV = { ...noImageBossEnv(), IMAGEBOSS_SECRET: SECRET }
const PAGE = '<!doctype html><img src="imageboss:/a.jpg?w=40">\n'
const FILE = JSON.stringify({ source: 'from-file', defaults: { format: 'webp' } })

/** Every output file of a production build of `root`, by name. */
async function buildSite(root: string, options?: ImageBossPluginOptions): Promise<Map<string, string>> {
  const result = await withEnv(ENV, () =>
    build({ root, configFile: false, logLevel: 'silent', plugins: [imageboss(options)], build: { write: false, minify: false } })
  )
  return new Map(outputFiles(result).map((file) => [file.fileName, file.text]))
}

/** The error of a failing production build. */
function failure(root: string, options?: ImageBossPluginOptions) {
  return buildError(withEnv(ENV, () => build({ root, configFile: false, logLevel: 'silent', plugins: [imageboss(options)], build: { write: false } })))
}

describe('imageboss.config.* and the options of `imageboss()`', () => {
  it('the file alone, for `imageboss()` and `imageboss({})` alike', async () => {
    const root = await tempProject({ 'package.json': '{}', 'imageboss.config.json': FILE, 'index.html': PAGE })
    const expected = `<img src="${signedUrl('/from-file/width/40/format:webp/a.jpg', SECRET)}">`
    expect((await buildSite(root)).get('index.html')).toContain(expected)
    expect((await buildSite(root, {})).get('index.html')).toContain(expected)
  })

  it('the options alone', async () => {
    const root = await tempProject({ 'package.json': '{}', 'index.html': PAGE })
    expect((await buildSite(root, { source: 'given' })).get('index.html')).toContain(`<img src="${signedUrl('/given/width/40/format:auto/a.jpg', SECRET)}">`)
  })

  it('both: the options win key by key, the file gives the rest', async () => {
    const root = await tempProject({ 'package.json': '{}', 'imageboss.config.json': FILE, 'index.html': PAGE })
    expect((await buildSite(root, { source: 'given' })).get('index.html')).toContain(`<img src="${signedUrl('/given/width/40/format:webp/a.jpg', SECRET)}">`)
  })

  it('is found from Vite’s `root`, up to the project root', async () => {
    const root = await tempProject({ 'package.json': '{}', 'imageboss.config.mjs': `export default ${FILE}\n`, 'site/index.html': PAGE })
    const html = await withEnv(ENV, () =>
      build({ root: `${root}/site`, configFile: false, logLevel: 'silent', plugins: [imageboss()], build: { write: false } })
    )
    expect(outputFiles(html).find((f) => f.fileName === 'index.html')?.text).toContain(signedUrl('/from-file/width/40/format:webp/a.jpg', SECRET))
  })

  it('stops the build on a secret in the file, with the rule id and without the value', async () => {
    const root = await tempProject({
      'package.json': '{}',
      'imageboss.config.json': JSON.stringify({ source: 's', secret: 'do-not-print-me' }),
      'index.html': PAGE
    })
    const error = await failure(root, { source: 'given' })
    expect(error.message).toBe(
      '[imageboss] invalid-option: Unexpected `secret` in `imageboss.config.json`, expected the secret in the `IMAGEBOSS_SECRET` variable: a config file is part of the project, and secrets stay out of it'
    )
  })
})

/** A page whose script imports an app module and one export of a fixture module. */
const APP = {
  'package.json': '{}',
  'index.html': '<!doctype html><script type="module" src="/src/main.js"></script>\n',
  'src/main.js': "import { count } from './fixtures/sample.js'\nimport hero from './app/hero.js'\ndocument.title = hero\nconsole.log(count)\n",
  'src/app/hero.js': "export default 'imageboss:/hero.jpg?w=100'\n",
  // A fixture whose unused export (removed from the bundle) holds a reference that cannot be signed.
  'src/fixtures/sample.js': "export const count = 3\nexport const sample = 'imageboss:/sample.jpg?w=wide'\n"
}

describe('include and exclude', () => {
  it('signs every module by default: the fixture’s bad reference fails the build', async () => {
    const root = await tempProject(APP)
    const error = await failure(root, { source: 'vite' })
    expect(error.message).toContain('invalid-value')
    expect(error.message).toContain('src/fixtures/sample.js')
  })

  it('`exclude` (a glob from the root) leaves a module alone: not signed, no problem at transform time', async () => {
    const root = await tempProject(APP)
    const files = await buildSite(root, { source: 'vite', exclude: 'src/fixtures/**' })
    const chunk = [...files].find(([name]) => name.endsWith('.js'))?.[1] ?? ''
    expect(chunk).toContain(signedUrl('/vite/width/100/format:auto/hero.jpg', SECRET))
    expect(chunk).not.toContain('imageboss:')
  })

  it('`include` (a regular expression and a glob) signs only the modules it matches', async () => {
    const root = await tempProject(APP)
    const files = await buildSite(root, { source: 'vite', include: [/\/src\/app\//, 'src/main.js'] })
    const chunk = [...files].find(([name]) => name.endsWith('.js'))?.[1] ?? ''
    expect(chunk).toContain(signedUrl('/vite/width/100/format:auto/hero.jpg', SECRET))
  })

  it('matches a module’s file without its query: excluding a component excludes its style block', async () => {
    const files = {
      'package.json': '{}',
      'index.html': '<!doctype html><div id="app"></div><script type="module" src="/main.js"></script>\n',
      'main.js': "import { createApp } from 'vue'\nimport App from './App.vue'\ncreateApp(App).mount('#app')\n",
      'App.vue': '<template><p>Hi</p></template>\n<style>\n.a { background: url(imageboss:/s.jpg?w=20) }\n</style>\n'
    }
    const root = await tempProject(files, { nodeModules: true })
    const { default: vue } = await import('@vitejs/plugin-vue')
    const vueBuild = (options: ImageBossPluginOptions) =>
      withEnv(ENV, () => build({ root, configFile: false, logLevel: 'silent', plugins: [imageboss(options), vue()], build: { write: false } }))
    const signed = outputFiles(await vueBuild({ source: 'vite' })).find((f) => f.fileName.endsWith('.css'))?.text
    expect(signed).toContain(signedUrl('/vite/width/20/format:auto/s.jpg', SECRET))
    // `App.vue?vue&type=style&index=0&lang.css` is `App.vue` to the patterns: left alone, and caught in the output.
    const error = await buildError(vueBuild({ source: 'vite', exclude: ['App.vue'] }))
    expect(error.message).toMatch(/^[\w./-]+:\d+:\d+: leftover-reference: Unexpected `imageboss:` reference left in the output in a CSS `url\(\)`/)
  })

  it('an excluded module that ships a reference still fails the build (the output check reads the bundle)', async () => {
    const root = await tempProject(APP)
    const error = await failure(root, { source: 'vite', exclude: [/\/src\/app\//, 'src/fixtures/**'] })
    expect(error.message).toMatch(/^[\w./-]+:\d+:\d+: leftover-reference: Unexpected `imageboss:` reference left in the output/)
    expect(error.message).toContain('imageboss:/hero.jpg?w=100')
  })

  it('an excluded HTML entry or stylesheet with a reference fails the build too', async () => {
    const html = await tempProject({ 'package.json': '{}', 'index.html': PAGE })
    expect((await failure(html, { source: 'vite', exclude: 'index.html' })).message).toBe(
      'index.html:1:26: leftover-reference: Unexpected `imageboss:` reference left in the output in `src`, expected it signed; it reached the output without passing through imageboss-build (from index.html): imageboss:/a.jpg?w=40'
    )
    const css = await tempProject({
      'package.json': '{}',
      'index.html': '<!doctype html><link rel="stylesheet" href="/style.css">\n',
      'style.css': '.a { background: url(imageboss:/s.jpg?w=20) }\n'
    })
    expect((await failure(css, { source: 'vite', exclude: 'style.css' })).message).toMatch(
      /^assets\/index-[\w-]+\.css:1:19: leftover-reference: Unexpected `imageboss:` reference left in the output in a CSS `url\(\)`.*: imageboss:\/s\.jpg\?w=20$/
    )
  })

  it('leaves an excluded MDX document to `images.rehype` unsigned, as the plugin leaves its modules', async () => {
    const root = await tempProject(
      {
        'package.json': '{}',
        'index.html': '<div id="app"></div><script type="module" src="/src/main.js"></script>\n',
        'src/main.js': "import { h, render } from 'preact'\nimport Page from './page.mdx'\nrender(h(Page, {}), document.getElementById('app'))\n",
        'src/page.mdx': '![A cat](imageboss:/photos/cat.jpg?w=800)\n'
      },
      { nodeModules: true }
    )
    const { default: mdx } = await import('@mdx-js/rollup')
    const mdxBuild = (options: ImageBossPluginOptions) => {
      const images = imageboss(options)
      const plugins = [mdx({ jsxImportSource: 'preact', rehypePlugins: [images.rehype] }), images]
      return withEnv(ENV, () => build({ root, configFile: false, logLevel: 'silent', plugins, build: { write: false } }))
    }
    const chunk = outputFiles(await mdxBuild({ source: 'vite' })).find((f) => f.fileName.endsWith('.js'))?.text
    expect(chunk).toContain(signedUrl('/vite/width/800/format:auto/photos/cat.jpg', SECRET))
    const error = await buildError(mdxBuild({ source: 'vite', exclude: /\.mdx$/ }))
    expect(error.message).toMatch(/^assets\/index-[\w-]+\.js:\d+:\d+: leftover-reference: .*: imageboss:\/photos\/cat\.jpg\?w=800$/)
  })
})
