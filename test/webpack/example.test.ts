// The example built with webpack 5 and with Rspack, as its own configurations say: every URL
// against the oracle, nothing unsigned, the secret in no emitted file.
import { beforeAll, describe, expect, it } from 'vitest'
import { expectedUrl } from '../helpers/expected.js'
import { readTree } from '../helpers/files.js'
import { scratchDirectories, withImageBossEnv } from '../helpers/scratch.js'
import { build, BUNDLERS, exampleConfig, type BuildResult } from './run.js'

const { scratch } = scratchDirectories()
const SOURCE = 'example-source'
const SECRET = 'example-secret-of-the-webpack-test'

describe.each(BUNDLERS)('examples/webpack built with %s', (bundler) => {
  let result: BuildResult
  let files: Map<string, string>

  beforeAll(async () => {
    const outDir = await scratch(`imageboss-${bundler}-example-`)
    const config = await exampleConfig(bundler, outDir)
    result = await withImageBossEnv({ IMAGEBOSS_SOURCE: SOURCE, IMAGEBOSS_SECRET: SECRET }, () => build(bundler, config))
    files = await readTree(outDir)
  })

  const all = () => [...files.values()].join('\n')
  const url = (signedPath: string) => expectedUrl(`/${SOURCE}${signedPath}`, SECRET)

  it('builds without errors or warnings', () => {
    expect(result.errors).toEqual([])
    expect(result.warnings).toEqual([])
  })

  it("signs the HTML plugin's template", () => {
    const html = files.get('index.html') ?? ''
    expect(html).toContain(url('/width/400/format:auto/photos/cat.jpg'))
    expect(html).toContain(url('/width/800/format:auto/photos/dog.jpg'))
    expect(html).toContain(`${url('/width/1600/format:auto/photos/dog.jpg')} 2x`)
  })

  it('signs string literals and `import … from "imageboss:…"` in scripts', () => {
    const script = files.get('main.js') ?? ''
    expect(script).toContain(url('/cover/200x200/format:auto/photos/cat.jpg'))
    expect(script).toContain(url('/width/1200/format:auto/photos/hero.jpg'))
    for (const width of [640, 1200, 2400]) expect(script).toContain(`${url(`/width/${width}/format:auto/photos/hero.jpg`)} ${width}w`)
  })

  it('signs the stylesheet', () => {
    expect(all()).toContain(`url(${url('/cover:entropy/1600x600/format:auto/photos/hero.jpg')})`)
  })

  it('leaves nothing `imageboss:` and no secret in any emitted file', () => {
    expect(files.size).toBeGreaterThanOrEqual(2)
    for (const [name, text] of files) {
      expect(text, name).not.toContain('imageboss:')
      expect(text, name).not.toContain(SECRET)
    }
  })
})

describe.each(BUNDLERS)('examples/webpack built with %s, with source maps and in development', (bundler) => {
  const url = (signedPath: string) => expectedUrl(`/${SOURCE}${signedPath}`, SECRET)

  it.each(['production', 'development'] as const)('in %s: signed, the maps holding the sources and no secret', async (mode) => {
    const outDir = await scratch(`imageboss-${bundler}-maps-`)
    const config = { ...(await exampleConfig(bundler, outDir)), mode, devtool: 'source-map' }
    const result = await withImageBossEnv({ IMAGEBOSS_SOURCE: SOURCE, IMAGEBOSS_SECRET: SECRET }, () => build(bundler, config))
    expect(result.errors).toEqual([])
    expect(result.warnings).toEqual([])
    const files = await readTree(outDir)
    expect(files.has('main.js.map')).toBe(true)
    expect(files.get('main.js')).toContain(url('/cover/200x200/format:auto/photos/cat.jpg'))
    for (const [name, text] of files) {
      expect(text, name).not.toContain(SECRET)
      // webpack's `output.pathinfo` (on in development) names an import's request in a comment.
      const code = mode === 'development' ? text.replace(/\/\*! imageboss:[^*]*\*\//g, '') : text
      if (!name.endsWith('.map')) expect(code, name).not.toContain('imageboss:')
    }
  })
})
