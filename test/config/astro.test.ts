// The Astro integration in real Astro builds: the options given to `imageboss()` over the
// nearest `imageboss.config.*` from Astro's root, the same in templates and Markdown.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'astro'
import { describe, expect, it } from 'vitest'
import { expectedUrl } from '../helpers/expected.js'
import { scratchDirectories } from '../helpers/scratch.js'
import { noImageBossEnv, withEnv } from '../vite/helpers.js'

const repo = fileURLToPath(new URL('../..', import.meta.url))
const { scratchIn } = scratchDirectories()
const SECRET = 'astro-config-secret'

/** A small site inside the repository (so `astro` and `imageboss-build` resolve), built. */
async function buildSite(options: string, files: Record<string, string> = {}): Promise<(name: string) => Promise<string>> {
  const root = await scratchIn(path.join(repo, '.tmp'), 'astro-config-')
  const all = {
    'astro.config.mjs': `import { defineConfig } from 'astro/config'\nimport imageboss from 'imageboss-build/astro'\nexport default defineConfig({ integrations: [imageboss(${options})] })\n`,
    'src/pages/index.astro': '<img src="imageboss:/t.jpg?w=10" alt="">\n',
    'src/pages/md.md': '![m](imageboss:/m.jpg?w=20)\n',
    ...files
  }
  for (const [name, text] of Object.entries(all)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true })
    await writeFile(path.join(root, name), text)
  }
  await withEnv({ ...noImageBossEnv(), IMAGEBOSS_SECRET: SECRET }, () => build({ root, logLevel: 'silent', outDir: path.join(root, 'dist') }))
  return (name) => readFile(path.join(root, 'dist', name), 'utf8')
}

const FILE = { 'imageboss.config.json': JSON.stringify({ source: 'from-file', defaults: { format: 'webp' } }) }

describe('imageboss.config.* with Astro', () => {
  it('the file alone', async () => {
    const page = await buildSite('', FILE)
    expect(await page('index.html')).toContain(expectedUrl('/from-file/width/10/format:webp/t.jpg', SECRET))
    expect(await page('md/index.html')).toContain(expectedUrl('/from-file/width/20/format:webp/m.jpg', SECRET))
  })

  it('the options alone', async () => {
    const page = await buildSite("{ source: 'given' }")
    expect(await page('index.html')).toContain(expectedUrl('/given/width/10/format:auto/t.jpg', SECRET))
    expect(await page('md/index.html')).toContain(expectedUrl('/given/width/20/format:auto/m.jpg', SECRET))
  })

  it('both: the options win key by key, the file gives the rest', async () => {
    const page = await buildSite("{ source: 'given' }", FILE)
    expect(await page('index.html')).toContain(expectedUrl('/given/width/10/format:webp/t.jpg', SECRET))
    expect(await page('md/index.html')).toContain(expectedUrl('/given/width/20/format:webp/m.jpg', SECRET))
  })

  it('stops on a secret in the file, with the rule id and without the value', async () => {
    const error = await buildSite("{ source: 'given' }", { 'imageboss.config.json': JSON.stringify({ secret: 'do-not-print-me' }) }).then(
      () => undefined,
      (e: unknown) => e as Error
    )
    expect(error?.message).toBe(
      '[imageboss] invalid-option: Unexpected `secret` in `imageboss.config.json`, expected the secret in the `IMAGEBOSS_SECRET` variable: a config file is part of the project, and secrets stay out of it'
    )
  })
})
