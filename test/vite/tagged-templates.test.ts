// Tagged templates through a real `vite build`: a project with Lit-style `html` and `css` tag
// functions of its own (no lit package), whose templates hold references. They come out
// signed, and the output check passes; a reference built with an expression fails the build
// at its line and column. Expected URLs come from the oracle (test/helpers/expected.ts).
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'vite'
import { describe, expect, it } from 'vitest'
import imageboss from 'imageboss-build/vite'
import { buildError, outputFiles, signedUrl, tempProject } from './helpers.js'

const SECRET = 'tagged-vite-secret'
const url = (signedPath: string) => signedUrl(signedPath, SECRET)

/** Tag functions as Lit writes them: the strings and values, read when the template runs. */
const TAGS = [
  'const join = (strings, ...values) => strings.reduce((out, s, i) => out + s + (i < values.length ? String(values[i]) : ""), "")',
  'export const html = (strings, ...values) => ({ markup: join(strings, ...values) })',
  'export const css = (strings, ...values) => ({ css: join(strings, ...values) })',
  ''
].join('\n')

/** The Vite 5 that VitePress 1.6 runs, nested in its folder (as test/vite/compatibility.test.ts finds it). */
const VITE5_DIR = path.dirname(createRequire(createRequire(import.meta.url).resolve('vitepress/package.json')).resolve('vite/package.json'))
type Build = (config: Record<string, unknown>) => Promise<unknown>

describe('tagged templates in a Vite build', () => {
  // Where the template's pieces are comes from the host's parser: Rollup's (Vite 5 to 7) and Rolldown's (Vite 8).
  it.each([
    ['vite5', () => import(pathToFileURL(path.join(VITE5_DIR, 'dist/node/index.js')).href)],
    ['vite6', () => import('vite6')],
    ['vite7', () => import('vite7')],
    ['vite', () => import('vite')]
  ])('signs references in Lit-style `html` and `css` templates and in `String.raw`, and passes the output check (%s)', async (_, load) => {
    const vite = (await load()) as unknown as { build: Build }
    const root = await tempProject({
      'index.html': '<script type="module" src="/src/main.js"></script>',
      'src/tags.js': TAGS,
      'src/main.js': [
        "import { css, html } from './tags.js'",
        'export const card = (alt) => html`<figure><img src="imageboss:/lit/card.jpg?w=320" alt=${alt}><code>imageboss:/lit/sample.jpg</code></figure>`',
        'export const styles = css`.hero { background-image: url("imageboss:/lit/hero.jpg?w=1200") }`',
        'export const raw = String.raw`imageboss:/lit/raw.png`',
        ''
      ].join('\n')
    })
    const files = outputFiles(
      await vite.build({
        root,
        configFile: false,
        logLevel: 'silent',
        plugins: [imageboss({ source: 'lit', secret: SECRET, env: {} })],
        build: { write: false, rollupOptions: { input: `${root}/src/main.js`, preserveEntrySignatures: 'strict' } }
      })
    )
    const js = files
      .filter((f) => f.fileName.endsWith('.js'))
      .map((f) => f.text)
      .join('\n')
    expect(js).toContain(url('/lit/width/320/format:auto/lit/card.jpg'))
    expect(js).toContain(url('/lit/width/1200/format:auto/lit/hero.jpg'))
    expect(js).toContain(url('/lit/cdn/format:auto/lit/raw.png'))
    // The text of the code sample stays as written; nothing else is left.
    expect(js).toContain('<code>imageboss:/lit/sample.jpg</code>')
    expect(js.replace('<code>imageboss:/lit/sample.jpg</code>', '')).not.toContain('imageboss:')
  })

  it('fails on a reference split by an expression and on one in text, each at its line and column', async () => {
    const main = [
      "import { html } from './tags.js'",
      'export const photo = (name) => html`<img src="imageboss:/lit/${name}.jpg">`',
      'export const prose = html`<p>See imageboss:/lit/prose.jpg</p>`',
      ''
    ].join('\n')
    const root = await tempProject({ 'index.html': '<script type="module" src="/src/main.js"></script>', 'src/tags.js': TAGS, 'src/main.js': main })
    const error = await buildError(
      build({ root, configFile: false, logLevel: 'silent', plugins: imageboss({ source: 'lit', secret: SECRET, env: {} }), build: { write: false } })
    )
    const lines = main.split('\n')
    const dynamicColumn = (lines[1] as string).indexOf('imageboss:') + 1
    const textColumn = (lines[2] as string).indexOf('imageboss:') + 1
    expect(error.message).toContain(`src/main.js:2:${dynamicColumn}: dynamic-reference: Unexpected dynamic reference in a tagged template`)
    expect(error.message).toContain(`src/main.js:3:${textColumn}: unsupported-position: Unexpected \`imageboss:\` reference in text`)
  })
})
