import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping'
import { build, resolveConfig, type Plugin } from 'vite'
import { describe, expect, it } from 'vitest'
import imageboss from 'imageboss-build/vite'
import { CSS_REFERENCES, EXAMPLE_SOURCE, HTML_REFERENCES, replaceReferences, RESPONSIVE_REFERENCES, SCRIPT_REFERENCES } from './example-references.js'
import { EXAMPLE, noImageBossEnv, outputFiles, secretForms, signedUrl, withEnv, type OutputFile } from './helpers.js'

const SECRET = 'example-secret-5f2c'
const URL_RE = /https:\/\/img\.imageboss\.me\/[^"'\s)`]+/g

async function buildExample(): Promise<OutputFile[]> {
  // The example's own `vite.config.ts` (`plugins: [imageboss()]`), configured by variables.
  return withEnv({ ...noImageBossEnv(), IMAGEBOSS_SOURCE: EXAMPLE_SOURCE, IMAGEBOSS_SECRET: SECRET }, async () =>
    outputFiles(await build({ root: EXAMPLE, logLevel: 'silent', build: { write: false, sourcemap: true, manifest: true } }))
  )
}

describe('vite build of examples/vite', async () => {
  const files = await buildExample()
  const file = (name: string | RegExp) => {
    const found = files.find((f) => (typeof name === 'string' ? f.fileName === name : name.test(f.fileName)))
    if (!found) throw new Error(`Expected an output file ${name}, got ${files.map((f) => f.fileName).join(', ')}`)
    return found
  }
  const url = (signedPath: string) => signedUrl(signedPath, SECRET)

  it('signs every reference of the HTML entries', () => {
    for (const [name, table] of Object.entries(HTML_REFERENCES)) {
      const html = file(name).text
      for (const signedPath of Object.values(table)) expect(html).toContain(url(signedPath))
    }
    // Responsive references: every candidate of their `srcset`, and their `sizes`.
    for (const responsive of Object.values(RESPONSIVE_REFERENCES)) {
      const srcset = responsive.srcset.map(([signedPath, descriptor]) => `${url(signedPath)} ${descriptor}`).join(', ')
      expect(file('index.html').text + file('about.html').text).toContain(`srcset="${srcset}"`)
    }
    // `&amp;` between parameters was decoded: `h` was not lost.
    expect(file('index.html').text).toContain(url('/demo-images/cover/400x300/format:auto/photos/cat.jpg'))
  })

  it('signs `url()` and `image-set()` in stylesheets', () => {
    const css = file(/\.css$/).text
    for (const signedPath of Object.values(CSS_REFERENCES)) expect(css).toContain(url(signedPath))
  })

  it('signs string literals and `imageboss:` imports in scripts', () => {
    const js = file(/^assets\/main-.*\.js$/).text
    for (const signedPath of Object.values(SCRIPT_REFERENCES)) expect(js).toContain(url(signedPath))
  })

  it('emits only URLs it was expected to, each with the right token', () => {
    const expected = new Set(
      [
        ...Object.values(HTML_REFERENCES).flatMap((table) => Object.values(table)),
        ...Object.values(RESPONSIVE_REFERENCES).flatMap((responsive) => responsive.srcset.map(([signedPath]) => signedPath)),
        ...Object.values(CSS_REFERENCES),
        ...Object.values(SCRIPT_REFERENCES)
      ].map(url)
    )
    const found = files.flatMap((f) => f.text.match(URL_RE) ?? [])
    expect(found.length).toBeGreaterThan(20)
    for (const u of found) expect(expected.has(u), u).toBe(true)
  })

  it('leaves no `imageboss:` in the output but the `<pre><code>` sample', () => {
    for (const f of files) {
      // Source maps carry the author's sources (`sourcesContent`), references included.
      if (f.fileName.endsWith('.map')) continue
      const text = f.text.replace(/<pre><code>[\s\S]*?<\/code><\/pre>/g, '')
      expect(text, f.fileName).not.toContain('imageboss:')
    }
    expect(file('index.html').text).toContain('<pre><code>&lt;img src="imageboss:/photos/cat.jpg?w=800"&gt;</code></pre>')
  })

  it('never writes the secret, in any form, in any file', () => {
    for (const f of files) for (const form of secretForms(SECRET)) expect(f.text, f.fileName).not.toContain(form)
    for (const f of files) if (f.map) expect(JSON.stringify(f.map)).not.toContain(SECRET)
  })

  it('writes a manifest', () => {
    expect(JSON.parse(file('.vite/manifest.json').text)).toHaveProperty(['index.html'])
  })

  it('keeps source maps right: a rewritten literal maps back to its line', async () => {
    const chunk = file(/^assets\/main-.*\.js$/)
    const original = await readFile(path.join(EXAMPLE, 'src/main.ts'), 'utf8')
    const lines = original.split('\n')
    const line = lines.findIndex((l) => l.includes("face: 'imageboss:")) + 1
    const column = (lines[line - 1] ?? '').indexOf("'imageboss:")

    const offset = chunk.text.indexOf(url(SCRIPT_REFERENCES['imageboss:/photos/cat.jpg?w=200&h=200&mode=face'] ?? ''))
    expect(offset).toBeGreaterThan(0)
    const before = chunk.text.slice(0, offset)
    const generatedLine = before.split('\n').length
    const generatedColumn = offset - before.lastIndexOf('\n') - 1
    const mapFile = files.find((f) => f.fileName === chunk.fileName + '.map')
    const map = chunk.map ?? (mapFile ? JSON.parse(mapFile.text) : undefined)
    expect(map).toBeTruthy()
    // The quote opens the string one column before the URL.
    const position = originalPositionFor(new TraceMap(map), { line: generatedLine, column: generatedColumn - 1 })
    expect(position.source).toMatch(/src\/main\.ts$/)
    expect(position.line).toBe(line)
    expect(position.column).toBe(column)
  })
})

describe('HTML formatting', () => {
  it('changes only value ranges: the rest of each entry survives byte for byte', async () => {
    const plugins = imageboss({ source: EXAMPLE_SOURCE, secret: SECRET, env: {} })
    await resolveConfig({ root: EXAMPLE, configFile: false, logLevel: 'silent', plugins }, 'build')
    const html = plugins.find((p) => p.name === 'imageboss:html') as Plugin
    const hook = html.transformIndexHtml as { order: string; handler: (html: string, context: { filename: string; path: string }) => string }
    expect(hook.order).toBe('pre')
    for (const [name, table] of Object.entries(HTML_REFERENCES)) {
      const input = await readFile(path.join(EXAMPLE, name), 'utf8')
      const output = hook.handler(input, { filename: path.join(EXAMPLE, name), path: '/' + name })
      expect(output).toBe(replaceReferences(input, table, (signedPath) => signedUrl(signedPath, SECRET)))
    }
  })
})
