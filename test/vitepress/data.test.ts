// Images in data, VitePress: front matter (a home page's `hero.image.src`, `head` entries) signed
// as the page is parsed, with the settings of the Vite plugin (`images.markdownIt`), `.env` of
// the pages' folder included; a bad value fails the build at its line in the front matter.
import { spawn } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { readTree } from '../helpers/files.js'
import { badTokens, childEnv, copyExample, lineColumn, references, SAMPLES, SECRET, SOURCE, url } from './helpers.js'

const BIN = path.join(path.dirname(new URL(import.meta.url).pathname), '../../node_modules/vitepress/bin/vitepress.js')
const HERO = `/${SOURCE}/width/400/format:auto/vitepress/hero.png`
const CARD = `/${SOURCE}/cover/1200x600/format:auto/vitepress/card.png`

/** `vitepress build docs` in `dir` with `env` as the whole of its `IMAGEBOSS_*` variables. */
function build(dir: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const base = childEnv()
  for (const name of Object.keys(base)) if (name.includes('IMAGEBOSS_')) delete base[name]
  const child = spawn(process.execPath, [BIN, 'build', 'docs'], { cwd: dir, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, output }))
  })
}

describe('vitepress build: images in front matter', () => {
  it('signs `hero.image.src` and `head` entries of the front matter, with the source and secret of `docs/.env` alone', async () => {
    const dir = await copyExample()
    await writeFile(path.join(dir, 'docs/.env'), `IMAGEBOSS_SOURCE=${SOURCE}\nIMAGEBOSS_SECRET=${SECRET}\n`)
    const { code, output } = await build(dir, {})
    expect(code, output).toBe(0)
    expect(output).not.toContain(SECRET)
    const files = await readTree(path.join(dir, 'docs/.vitepress/dist'), /\.(?:html|js|json)$/)
    const page = files.get('hero.html') ?? ''
    expect(page).toContain(`src="${url(HERO)}"`)
    expect(page).toContain(`<meta name="twitter:image" content="${url(CARD)}">`)
    for (const [name, text] of files) {
      expect(badTokens(text), name).toEqual([])
      for (const reference of references(text)) expect(SAMPLES, `${name}: ${reference}`).toContain(reference)
    }
  }, 120_000)

  it('fails on a bad front-matter value at its line and column in the page, naming the key', async () => {
    const page = '---\nlayout: home\nhero:\n  name: Broken\n  image:\n    src: imageboss:/vitepress/hero.png?w=0\n---\n'
    const dir = await copyExample({ 'docs/hero.md': page })
    const { code, output } = await build(dir, { IMAGEBOSS_SOURCE: SOURCE, IMAGEBOSS_SECRET: SECRET })
    expect(code).not.toBe(0)
    expect(output).toContain(
      `docs/hero.md:${lineColumn(page, 'imageboss:/vitepress/hero.png?w=0', 'imageboss:/vitepress/hero.png?w='.length)}: invalid-value: Unexpected value \`0\` for \`w\`, expected an integer from 1 to 8192 (front matter \`hero.image.src\`)`
    )
    expect(output).not.toContain(SECRET)
  }, 120_000)
})
