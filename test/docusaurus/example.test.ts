// examples/docusaurus built by `docusaurus build` (the current Docusaurus 3, test/docusaurus-current),
// with webpack and with Rspack (Docusaurus Faster), in a child process: every URL checked against
// the oracle, nothing unsigned or secret left in what the build wrote, and a bad reference failing
// the build at its place.
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { expectedUrl } from '../helpers/expected.js'
import { readTree } from '../helpers/files.js'
import { secretForms } from '../helpers/secret-forms.js'
import { BUNDLERS, checkInstalled, copyExample, docusaurus, ENV, EXAMPLE, fasterConfig, PROJECT, REPO, SECRET, SOURCE, url } from './run.js'

beforeAll(checkInstalled)

describe.each(BUNDLERS)('docusaurus build of examples/docusaurus (%s)', (bundler, files) => {
  let root = ''
  let site = new Map<string, string>()
  beforeAll(async () => {
    root = await copyExample(await files())
    const run = await docusaurus(['build'], root, ENV)
    if (run.code !== 0) throw new Error(`docusaurus build failed (${run.code}):\n${run.output}`)
    site = await readTree(path.join(root, 'build'))
  }, 300_000)

  it('builds with that bundler', () => {
    // Docusaurus Faster writes Rspack's persistent cache; webpack's is `node_modules/.cache/webpack`.
    expect(existsSync(path.join(root, 'node_modules/.cache', bundler === 'Rspack' ? 'rspack' : 'webpack'))).toBe(true)
  })

  it('signs the MDX image and the JSX <img> of a doc page', () => {
    const page = site.get('docs/intro/index.html') ?? ''
    expect(page).toContain(`src="${url('width/800', 'cat.jpg')}"`)
    expect(page).toContain(`src="${url('width/400', 'dog.jpg')}"`)
  })

  it('signs the image of a blog post', () => {
    const page = site.get('blog/2025/06/01/hello/index.html') ?? ''
    expect(page).toContain(`src="${url('width/1200', 'bird.jpg')}"`)
  })

  it('signs the CSS url() of the theme’s custom CSS and the string of a page’s script', () => {
    const css = [...site].filter(([name]) => name.endsWith('.css')).map(([, text]) => text)
    expect(css.some((text) => text.includes(url('width/1600', 'hero.jpg')))).toBe(true)
    const scripts = [...site].filter(([name]) => name.endsWith('.js')).map(([, text]) => text)
    expect(scripts.some((text) => text.includes(url('width/200', 'logo.png')))).toBe(true)
    expect(site.get('index.html')).toContain(`src="${url('width/200', 'logo.png')}"`)
  })

  it('copies the static file', () => {
    expect(site.get('img/notes.txt')).toContain('copied into the build as it is')
  })

  it('leaves `imageboss:` only in the code samples', () => {
    const samples = ['imageboss:/photos/code.jpg?w=1', 'imageboss:/photos/sample.jpg?w=640']
    const left: string[] = []
    for (const [name, text] of site)
      for (const match of text.matchAll(/imageboss:[^\s"'<>`)\\]*/g))
        if (!samples.includes(match[0].replaceAll('&#x3C;', '<'))) left.push(`${name}: ${match[0]}`)
    expect(left).toEqual([])
    expect(site.get('docs/intro/index.html')).toContain('imageboss:/photos/code.jpg?w=1')
  })

  it('writes the secret to no file of the build, .docusaurus or the caches', async () => {
    const forms = secretForms(SECRET)
    const found: string[] = []
    const dirs = ['build', '.docusaurus', 'node_modules/.cache'].map((dir) => path.join(root, dir))
    dirs.push(path.join(PROJECT, 'node_modules/.cache'))
    let files = 0
    for (const dir of dirs) {
      if (!existsSync(dir)) continue
      for (const [name, text] of await readTree(dir)) {
        files++
        for (const form of forms) if (text.includes(form)) found.push(`${path.relative(REPO, dir)}/${name}`)
      }
    }
    expect(files).toBeGreaterThan(50)
    expect(found).toEqual([])
  })
})

describe('docusaurus build with a bad reference', () => {
  it('fails at the place of a bad MDX reference, with its rule id', async () => {
    const doc = ['---', 'title: Bad', '---', '', '# Bad', '', 'Text before.', '', '![Bad](imageboss:/photos/bad.jpg?w=huge)', ''].join('\n')
    const root = await copyExample({ 'docs/bad.mdx': doc })
    const run = await docusaurus(['build'], root, ENV)
    expect(run.code, run.output).not.toBe(0)
    expect(run.output).toMatch(/docs[\\/]bad\.mdx:9:1: invalid-value: /)
  }, 300_000)

  it('fails at the place of a bad MDX reference with Rspack (Docusaurus Faster) too', async () => {
    const doc = ['# Bad', '', '![Bad](imageboss:/photos/bad.jpg?w=huge)', ''].join('\n')
    const root = await copyExample({ ...(await fasterConfig()), 'docs/bad.mdx': doc })
    const run = await docusaurus(['build'], root, ENV)
    expect(run.code, run.output).not.toBe(0)
    expect(run.output).toMatch(/docs[\\/]bad\.mdx:3:1: invalid-value: /)
    expect(existsSync(path.join(root, 'build/docs/bad/index.html'))).toBe(false)
  }, 300_000)

  it('fails at the place of a bad CSS reference, with its rule id', async () => {
    const css = (await readFile(path.join(EXAMPLE, 'src/css/custom.css'), 'utf8')) + '\n.broken {\n  background: url(imageboss:/photos/x.jpg?w=nope);\n}\n'
    const root = await copyExample({ 'src/css/custom.css': css })
    const run = await docusaurus(['build'], root, ENV)
    expect(run.code, run.output).not.toBe(0)
    expect(run.output).toMatch(/src\/css\/custom\.css:7:\d+: invalid-value: /)
  }, 300_000)

  it('fails on a static file that holds an unsigned reference, named by its place, and leaves it out', async () => {
    const root = await copyExample({ 'static/img/page.html': '<p>\n  <img src="imageboss:/photos/static.jpg?w=300">\n</p>\n' })
    const run = await docusaurus(['build'], root, ENV)
    expect(run.code, run.output).not.toBe(0)
    expect(run.output).toMatch(/img\/page\.html:2:\d+: leftover-reference: /)
    expect(existsSync(path.join(root, 'build/img/page.html'))).toBe(false)
  }, 300_000)

  it('fails after the build on a rendered page that holds an unsigned reference (the output check over build/), and removes the page', async () => {
    const page = [
      "import Layout from '@theme/Layout'",
      '',
      "const parts = ['imageboss', '/photos/computed.jpg?w=300']",
      '',
      'export default function Computed() {',
      '  return (',
      '    <Layout title="Computed">',
      '      <img src={parts.join(":")} alt="computed when rendered" />',
      '    </Layout>',
      '  )',
      '}',
      ''
    ].join('\n')
    const root = await copyExample({ 'src/pages/computed.jsx': page })
    const run = await docusaurus(['build'], root, ENV)
    expect(run.code, run.output).not.toBe(0)
    expect(run.output).toMatch(/build\/computed\/index\.html:\d+:\d+: leftover-reference: /)
    expect(existsSync(path.join(root, 'build/computed/index.html'))).toBe(false)
    expect(existsSync(path.join(root, 'build/docs/intro/index.html'))).toBe(true)
  }, 300_000)
})

describe.each(BUNDLERS)('docusaurus build again with another secret (%s)', (bundler, files) => {
  it('signs with the new secret: the persistent cache is evicted when the settings change', async () => {
    const root = await copyExample(await files())
    const first = await docusaurus(['build'], root, ENV)
    expect(first.code, first.output).toBe(0)
    expect(existsSync(path.join(root, 'node_modules/.cache', bundler === 'Rspack' ? 'rspack' : 'webpack'))).toBe(true)
    const secret = 'another-docusaurus-secret-9d2e'
    const second = await docusaurus(['build'], root, { ...ENV, IMAGEBOSS_SECRET: secret })
    expect(second.code, second.output).toBe(0)
    const page = await readFile(path.join(root, 'build/docs/intro/index.html'), 'utf8')
    expect(page).toContain(`src="${expectedUrl(`/${SOURCE}/width/800/format:auto/photos/cat.jpg`, secret)}"`)
    const css = [...(await readTree(path.join(root, 'build/assets/css')))].map(([, text]) => text).join('\n')
    expect(css).toContain(expectedUrl(`/${SOURCE}/width/1600/format:auto/photos/hero.jpg`, secret))
  }, 300_000)
})
