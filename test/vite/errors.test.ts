import vue from '@vitejs/plugin-vue'
import { build } from 'vite'
import { describe, expect, it } from 'vitest'
import imageboss from 'imageboss-build/vite'
import { buildError, secretForms, tempProject } from './helpers.js'

const SECRET = 'errors-secret-77d0'

/** 1-based line and column of `needle` (its `at`-th character) in `text`. */
function position(text: string, needle: string, at = 0): string {
  const offset = text.indexOf(needle) + at
  const before = text.slice(0, offset)
  return `${before.split('\n').length}:${offset - before.lastIndexOf('\n')}`
}

const HTML = `<!doctype html>
<html>
  <body>
    <img src="imageboss:/a.jpg?qualty=80">
    <img src="imageboss:/b.jpg?w=abc" alt="">
    <img srcset="imageboss:/c.jpg?w=100 1x, imageboss://nowhere/c.jpg 2x">
    <script type="module" src="/src/main.ts"></script>
  </body>
</html>
`

const TS = `const width: number = 400
export const a: string = 'imageboss:/a.jpg?qualty=80'
export const b = \`imageboss:/b.jpg?w=\${width}\`
export const c = 'imageboss:/c.jpg?w=' + width
export const d = 'imageboss:/d.jpg#top'
`

function plugins() {
  return [imageboss({ source: 'errors', secret: SECRET, env: {} })]
}

describe('build errors', () => {
  it('reports every problem of an HTML entry in one error, each with its rule id and line:column', async () => {
    const root = await tempProject({ 'index.html': HTML, 'src/main.ts': 'export {}\n' })
    const error = await buildError(build({ root, configFile: false, logLevel: 'silent', plugins: plugins(), build: { write: false } }))
    const lines = [
      `index.html:${position(HTML, 'qualty')}: unknown-parameter`,
      `index.html:${position(HTML, 'abc')}: invalid-value`,
      `index.html:${position(HTML, 'imageboss://nowhere', 'imageboss://'.length)}: unknown-source`
    ]
    for (const line of lines) expect(error.message).toContain(line)
    expect(error.message).toMatch(/^(?:\[[^\]]+\] )?unknown-parameter: 3 problems/m)
    expect(error.id).toBe(`${root}/index.html`)
    expect(error.pluginCode).toBe('unknown-parameter')
    const [line, column] = position(HTML, 'qualty').split(':').map(Number)
    expect(error.loc).toEqual({ file: `${root}/index.html`, line, column })
    expect(error.frame).toContain('> 4 |     <img src="imageboss:/a.jpg?qualty=80">')
    // The caret stands under the `q` of `qualty`.
    const frameLines = String(error.frame).split('\n')
    const marked = frameLines.findIndex((l) => l.startsWith('>'))
    expect(frameLines[marked + 1]?.indexOf('^')).toBe(frameLines[marked]?.indexOf('qualty'))
    for (const form of secretForms(SECRET)) expect(JSON.stringify(error)).not.toContain(form)
    for (const form of secretForms(SECRET)) expect(error.message).not.toContain(form)
  })

  it('reports every problem of a TypeScript module at the place the author wrote it, dynamic references included', async () => {
    const root = await tempProject({ 'index.html': '<script type="module" src="/src/main.ts"></script>', 'src/main.ts': TS })
    const error = await buildError(build({ root, configFile: false, logLevel: 'silent', plugins: plugins(), build: { write: false } }))
    const expected = [
      `src/main.ts:${position(TS, 'qualty')}: unknown-parameter`,
      `src/main.ts:${position(TS, '`imageboss:/b.jpg')}: dynamic-reference`,
      `src/main.ts:${position(TS, "'imageboss:/c.jpg")}: dynamic-reference`,
      `src/main.ts:${position(TS, '#top')}: invalid-reference`
    ]
    for (const line of expected) expect(error.message).toContain(line)
    expect(error.message).toContain('lookup object')
    expect(error.pluginCode).toBe('unknown-parameter')
    expect(String(error.id)).toMatch(/src\/main\.ts$/)
    expect(error.loc).toMatchObject({ line: 2 })
    expect(error.frame).toContain("export const a: string = 'imageboss:/a.jpg?qualty=80'")
    for (const form of secretForms(SECRET)) expect(error.message).not.toContain(form)
  })

  it('reports problems in stylesheets, skipping `//` comments in SCSS', async () => {
    const scss = '// url(imageboss:/commented.jpg?nope=1)\n.a { background: url("imageboss:/a.jpg?w=9999"); }\n'
    const root = await tempProject({
      'index.html': '<script type="module" src="/main.js"></script>',
      'main.js': 'import "./style.scss"\n',
      'style.scss': scss
    })
    const error = await buildError(build({ root, configFile: false, logLevel: 'silent', plugins: plugins(), build: { write: false } }))
    expect(error.message).toContain(`style.scss:${position(scss, '9999')}`)
    expect(error.message).toContain('invalid-value')
    expect(error.message).not.toContain('nope')
  })

  it.each([
    ['a build', { build: { write: false } }],
    ['a build with source maps', { build: { write: false, sourcemap: true } }]
  ])("places a problem in a Vue component's `<style>` at its line in the component file, in %s", async (_, extra) => {
    const component = `<template>\n  <div class="a">\n    <img src="imageboss:/fine.jpg?w=100" alt="">\n  </div>\n</template>\n\n<style scoped>\n.a {\n  color: red;\n  background: url(imageboss:/a.jpg?w=1600&hh=600);\n}\n</style>\n`
    const root = await tempProject(
      {
        'index.html': '<div id="app"></div><script type="module" src="/main.js"></script>',
        'main.js': "import { createApp } from 'vue'\nimport App from './App.vue'\ncreateApp(App).mount('#app')\n",
        'App.vue': component
      },
      { nodeModules: true }
    )
    const error = await buildError(build({ root, configFile: false, logLevel: 'silent', plugins: [vue(), ...plugins()], ...extra }))
    expect(error.message).toContain('unknown-parameter')
    expect(error.message).toContain(`App.vue:${position(component, 'hh')}`)
  })

  it('fails an invalid `imageboss:` import', async () => {
    const root = await tempProject({
      'index.html': '<script type="module" src="/main.js"></script>',
      'main.js': 'import u from "imageboss:/a.jpg?w=0"\nconsole.log(u)\n'
    })
    const error = await buildError(build({ root, configFile: false, logLevel: 'silent', plugins: plugins(), build: { write: false } }))
    expect(error.message).toContain('invalid-value')
    expect(error.pluginCode).toBe('invalid-value')
  })

  it('rejects bad options at once', () => {
    expect(() => imageboss({ sorce: 'x' } as never)).toThrow(/invalid-option.*`sorce`.*`source`/)
  })

  it('lets configuration errors of the core surface with their message, and no stack of this package', async () => {
    const root = await tempProject({ 'index.html': '<p>hi</p>' })
    const error = await buildError(
      build({ root, configFile: false, logLevel: 'silent', plugins: [imageboss({ baseUrl: 'ftp://x', env: {} })], build: { write: false } })
    )
    expect(error.message).toMatch(/invalid-option: Unexpected `baseUrl`/)
    expect(error.stack).toBe(`ImageBossError: ${error.message}\n`)
    let thrown: unknown
    try {
      imageboss({ sorce: 'x' } as never)
    } catch (caught) {
      thrown = caught
    }
    expect((thrown as Error).stack).toBe(`ImageBossError: ${(thrown as Error).message}\n`)
  })
})
