import { execFile, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { scratchDirectories } from '../helpers/scratch.js'
import { signedUrl, unsignedUrl } from '../rehype/expected.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
// Made when the test runs (not when the file is collected, as by `vitest list`), removed after it.
const { scratch } = scratchDirectories()

const demo = (signedPath: string) => signedUrl(signedPath, 'demo-secret')

describe('examples/unified', () => {
  it('builds HTML with signed URLs (demo source and secret when no variables are set)', async () => {
    expect(existsSync(join(root, 'dist/rehype.js')), 'run `npm run build` first').toBe(true)
    const out = await scratch('imageboss-unified-')
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', EXAMPLE_OUT_DIR: out }
    const { stdout } = await promisify(execFile)(process.execPath, ['examples/unified/build.js'], { cwd: root, env })
    expect(stdout).toContain('using the demo source `demo-images` with secret `demo-secret`')
    expect(stdout).toContain('index.md: no issues')
    expect(stdout).toContain('howto.md: no issues')

    const index = readFileSync(join(out, 'index.html'), 'utf8')
    expect(index).toContain(`<img src="${demo('/demo-images/width/800/format:auto/photos/harbour.jpg')}" alt="Harbour at dawn">`)
    expect(index).toContain(`<img src="${demo('/demo-images/cover:smart/400x400/format:auto/photos/lighthouse.jpg')}" alt="Lighthouse">`)
    expect(index).toContain(`<img src="${demo('/demo-images/cover/640x360/format:auto/photos/market.jpg')}" alt="Market street" width="640" height="360">`)
    expect(index).not.toContain('imageboss:')

    const howto = readFileSync(join(out, 'howto.html'), 'utf8')
    expect(howto).toContain(`<img src="${demo('/demo-images/width/400/format:webp/photos/cat.jpg')}" alt="A cat">`)
    // The code samples keep their references.
    expect(howto).toContain('![A cat](imageboss:/photos/cat.jpg?w=400)\n&#x3C;img src="imageboss:/photos/cat.jpg?w=400">')
    expect(howto).toContain('<code>imageboss:/photos/cat.jpg?w=400</code>')
  })
})

/** The first fenced block of `language` after `heading` in a Markdown file of the repo. */
function codeAfter(file: string, heading: string, language: string): string {
  const text = readFileSync(join(root, file), 'utf8')
  const start = text.indexOf(heading)
  const block = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(text.slice(start))
  if (start === -1 || !block?.[1]) throw new Error(`Expected a ${language} block after ${heading} in ${file}`)
  return block[1]
}

/** Run a script of the docs as a plain Node.js script does: no NODE_ENV, the package from dist. */
function runScript(script: string, env: Record<string, string>) {
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } })
}

const SECRET = 'readme-script-secret'
const CAT = (secret: string) => signedUrl('/my-source/width/800/format:auto/photos/cat.jpg', secret)

describe('the README unified script, run as written', () => {
  const script = codeAfter('README.md', '### unified and MDX', 'js')

  it('prints the signed HTML and exits 0', () => {
    expect(script).toContain('console.error(String(error))')
    const run = runScript(script, { IMAGEBOSS_SOURCE: 'my-source', IMAGEBOSS_SECRET: SECRET })
    expect(run.stderr).toBe('')
    expect(run.stdout).toBe(`<p><img src="${CAT(SECRET)}" alt="A cat"></p>\n`)
    expect(run.status).toBe(0)
  })

  it('without NODE_ENV, prints a typo at its line:column with its rule id, and exits 1 without HTML', () => {
    const typo = script.replace('cat.jpg?w=800', 'cat.jpg?wdth=800')
    expect(typo).not.toBe(script)
    const run = runScript(typo, { IMAGEBOSS_SOURCE: 'my-source', IMAGEBOSS_SECRET: SECRET })
    expect(run.status).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr).toMatch(/^ {2}1:1: unknown-parameter: Unexpected unknown parameter `wdth`, expected a known parameter such as `width`$/m)
    expect(run.stderr).not.toContain(SECRET)
  })

  it('without NODE_ENV, fails on a missing secret, naming the variable, rather than print an unsigned URL', () => {
    const run = runScript(script, { IMAGEBOSS_SOURCE: 'my-source' })
    expect(run.status).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr).toContain('missing-secret')
    expect(run.stderr).toContain('IMAGEBOSS_SECRET')
  })

  it('with NODE_ENV=development, prints the HTML with the unsigned URL and exits 0', () => {
    const run = runScript(script, { IMAGEBOSS_SOURCE: 'my-source', NODE_ENV: 'development' })
    expect(run.status).toBe(0)
    expect(run.stdout).toBe(`<p><img src="${unsignedUrl('/my-source/width/800/format:auto/photos/cat.jpg')}" alt="A cat"></p>\n`)
  })
})

describe('the markdown-it script of docs/vitepress.md, run as written', () => {
  const script = codeAfter('docs/vitepress.md', '## Other markdown-it hosts', 'js')
  const withSource = (markdown: string) => `const source = ${JSON.stringify(markdown)}\n${script}`

  it('prints the signed HTML and exits 0', () => {
    const run = runScript(withSource('![A cat](imageboss:/photos/cat.jpg?w=800)\n'), { IMAGEBOSS_SOURCE: 'my-source', IMAGEBOSS_SECRET: SECRET })
    expect(run.stderr).toBe('')
    expect(run.stdout).toBe(`<p><img src="${CAT(SECRET)}" alt="A cat"></p>\n\n`)
    expect(run.status).toBe(0)
  })

  it('without NODE_ENV, prints each problem at docs/guide.md:line:column and exits 1 without HTML', () => {
    const markdown = '# Guide\n\n![A cat](imageboss:/photos/cat.jpg?wdth=800)\n\n![A dog](imageboss:/photos/dog.jpg?w=0)\n'
    const run = runScript(withSource(markdown), { IMAGEBOSS_SOURCE: 'my-source', IMAGEBOSS_SECRET: SECRET })
    expect(run.status).toBe(1)
    expect(run.stdout).toBe('')
    const lines = markdown.split('\n')
    expect(run.stderr).toContain(`docs/guide.md:3:${lines[2]!.indexOf('wdth') + 1}: unknown-parameter: Unexpected unknown parameter \`wdth\``)
    expect(run.stderr).toContain(`docs/guide.md:5:${lines[4]!.indexOf('=0') + 2}: invalid-value: Unexpected value \`0\` for \`w\``)
  })

  it('with NODE_ENV=development, warns and prints the HTML with the reference as written', () => {
    const run = runScript(withSource('![A cat](imageboss:/photos/cat.jpg?wdth=800)\n'), {
      IMAGEBOSS_SOURCE: 'my-source',
      IMAGEBOSS_SECRET: SECRET,
      NODE_ENV: 'development'
    })
    expect(run.status).toBe(0)
    expect(run.stdout).toContain('src="imageboss:/photos/cat.jpg?wdth=800"')
    expect(run.stderr).toContain('unknown-parameter')
  })
})
