import { build, type Plugin } from 'vite'
import { describe, expect, it } from 'vitest'
import imageboss from 'imageboss-build/vite'
import { ImageBossError } from 'imageboss-build'
import { buildError, outputFiles, recordingLogger, signedUrl, tempProject } from './helpers.js'

const SECRET = 'scripts-secret-4e1f'
const url = (signedPath: string) => signedUrl(signedPath, SECRET)

describe('scripts', () => {
  it('signs literals, keeps import specifiers for the virtual module, and rewrites `new URL()`', async () => {
    const root = await tempProject({
      'index.html': '<script type="module" src="/src/main.ts"></script>',
      'src/main.ts': [
        "import hero from 'imageboss:/hero.jpg?w=100'",
        "export { default as second } from 'imageboss:/second.jpg?w=200'",
        "export const lazy = () => import('imageboss:/lazy.jpg?w=300')",
        "export const viaUrl: string = new URL('imageboss:/url.jpg?w=400', import.meta.url).href",
        'export const template = `imageboss:/template.jpg?w=500`',
        'export const double = "imageboss:/double.jpg?w=600&h=300&mode=center"',
        "export const lookup = { large: 'imageboss:/value.jpg?w=700' }",
        'export const ünïcode = "ü"',
        "export const after = 'ß' + 'imageboss:/after-unicode.jpg?w=800'",
        'export { hero }',
        ''
      ].join('\n')
    })
    const { logger, warnings } = recordingLogger()
    const files = outputFiles(
      await build({
        root,
        configFile: false,
        customLogger: logger,
        logLevel: 'warn',
        plugins: [imageboss({ source: 'js', secret: SECRET, env: {} })],
        // A script entry keeps its exports, so nothing is tree-shaken away.
        build: { write: false, minify: false, rollupOptions: { input: `${root}/src/main.ts`, preserveEntrySignatures: 'strict' } }
      })
    )
    const js = files
      .filter((f) => f.fileName.endsWith('.js'))
      .map((f) => f.text)
      .join('\n')
    for (const signedPath of [
      '/js/width/100/format:auto/hero.jpg',
      '/js/width/200/format:auto/second.jpg',
      '/js/width/300/format:auto/lazy.jpg',
      '/js/width/400/format:auto/url.jpg',
      '/js/width/500/format:auto/template.jpg',
      '/js/cover:center/600x300/format:auto/double.jpg',
      '/js/width/700/format:auto/value.jpg',
      '/js/width/800/format:auto/after-unicode.jpg'
    ]) {
      expect(js).toContain(url(signedPath))
    }
    // `new URL(absolute, base)` is the absolute URL: rewriting the literal is right, and Vite stays quiet.
    expect(js).toMatch(/new URL\(\s*(?:\/\* @vite-ignore \*\/\s*)?["`]https:\/\/img\.imageboss\.me\/js\/width\/400\//)
    expect(warnings.join('\n')).not.toMatch(/imageboss:|url\.jpg/)
    // Specifiers were never rewritten into `import … from "https://…"`.
    expect(js).not.toMatch(/(?:from|import\()\s*["'`]https:/)
  })

  it('fails on a string that holds a reference inside other text, at its place, and names every such file in one run', async () => {
    const root = await tempProject({
      'index.html': '<script type="module" src="/src/main.ts"></script>',
      'src/main.ts': "import './other.ts'\nexport const prose: string = 'ü imageboss:/not-whole.jpg'\n",
      'src/other.ts': "export const more = 'see imageboss:/also.jpg here'\n"
    })
    const error = await buildError(
      build({ root, configFile: false, logLevel: 'silent', plugins: imageboss({ source: 'js', secret: SECRET, env: {} }), build: { write: false } })
    )
    expect(error).toBeInstanceOf(ImageBossError)
    expect(error.message).toMatch(/^unsupported-position: 2 problems/)
    // One problem twice: one line, with both places (at the `imageboss:` in each string).
    expect(error.message).toContain(`src/main.ts:2:33: unsupported-position: Unexpected \`imageboss:\` reference in a string, inside a longer text`)
    expect(error.message).toContain('(2 times: src/main.ts:2:33, src/other.ts:1:26)')
  })

  it('calls the transform handlers only for modules that hold a reference (hook filters, Vite 8)', async () => {
    const root = await tempProject({
      'index.html': '<script type="module" src="/src/main.ts"></script>',
      'src/main.ts': "import './plain.ts'\nimport './with-reference.ts'\nimport './plain.css'\nimport './with-reference.css'\n",
      'src/plain.ts': 'export const plain = 1\n',
      'src/with-reference.ts': "export const image = 'imageboss:/filter.jpg?w=10'\n",
      'src/plain.css': 'a { color: red }\n',
      'src/with-reference.css': 'b { background: url(imageboss:/filter.jpg?w=20) }\n'
    })
    const calls: string[] = []
    const plugins = imageboss({ source: 'filter', secret: SECRET, env: {} }).map((plugin) => spyTransform(plugin, calls))
    await build({ root, configFile: false, logLevel: 'silent', plugins, build: { write: false } })
    const files = calls.map((call) => call.replace(root, '').replace(/\?.*$/, ''))
    expect(files.sort()).toEqual(['imageboss:css /src/with-reference.css', 'imageboss /src/with-reference.ts'].sort())
  })
})

/** Record the module ids a plugin's transform handler is called with. */
function spyTransform(plugin: Plugin, calls: string[]): Plugin {
  const hook = plugin.transform
  if (!hook || typeof hook === 'function') return plugin
  const handler = hook.handler
  return {
    ...plugin,
    transform: {
      ...hook,
      handler(this: unknown, code: string, id: string, ...rest: unknown[]) {
        calls.push(`${plugin.name} ${id}`)
        return (handler as (...args: unknown[]) => unknown).call(this, code, id, ...rest)
      }
    } as typeof hook
  }
}
