// The integration's own wiring: where its values come from, and that every layer uses them.
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'astro'
import { afterAll, describe, expect, it } from 'vitest'
import { expectedUrl } from '../helpers/expected.js'
import { withEnv } from '../vite/helpers.js'
import { removeDirectory } from '../helpers/scratch.js'

const repo = fileURLToPath(new URL('../..', import.meta.url))
const scratch = path.join(repo, '.tmp')
const made: string[] = []

afterAll(async () => {
  for (const dir of made) await removeDirectory(dir)
})

/** A small Astro site inside the repository, so `astro` and `imageboss-build` resolve. */
async function site(files: Record<string, string>): Promise<string> {
  await mkdir(scratch, { recursive: true })
  const root = await mkdtemp(path.join(scratch, 'astro-integration-'))
  made.push(root)
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true })
    await writeFile(path.join(root, name), text)
  }
  return root
}

const CONFIG = `import { defineConfig } from 'astro/config'
import mdx from '@astrojs/mdx'
import imageboss from 'imageboss-build/astro'
export default defineConfig({ integrations: [mdx(), imageboss()] })
`

describe('astro integration', () => {
  it('builds with exactly what `astro add imageboss-build` writes: the root default export, the integration loaded by its first hook', async () => {
    const root = await site({
      // As `astro add` writes it (its import name is the package name in camel case).
      'astro.config.mjs':
        "import { defineConfig } from 'astro/config';\nimport imagebossBuild from 'imageboss-build';\n\n// https://astro.build/config\nexport default defineConfig({\n  integrations: [imagebossBuild()]\n});\n",
      'src/pages/index.astro': '<img src="imageboss:/added.jpg?w=10" alt="">\n',
      'src/pages/md.md': '![m](imageboss:/added-md.jpg?w=20)\n'
    })
    await withEnv({ IMAGEBOSS_SOURCE: 'added', IMAGEBOSS_SECRET: 'astro-add-secret-0123' }, () =>
      build({ root, logLevel: 'silent', outDir: path.join(root, 'dist') })
    )
    const page = (name: string) => readFile(path.join(root, 'dist', name), 'utf8')
    expect(await page('index.html')).toContain(expectedUrl('/added/width/10/format:auto/added.jpg', 'astro-add-secret-0123'))
    expect(await page('md/index.html')).toContain(expectedUrl('/added/width/20/format:auto/added-md.jpg', 'astro-add-secret-0123'))
    for (const name of ['index.html', 'md/index.html']) expect(await page(name)).not.toContain('imageboss:')
  })

  it('reads IMAGEBOSS_* from .env with the environment winning, the same in templates, Markdown and MDX', async () => {
    const root = await site({
      'astro.config.mjs': CONFIG,
      '.env': 'IMAGEBOSS_SOURCE=from-dotenv\nIMAGEBOSS_SECRET=dotenv-secret\n',
      'src/pages/index.astro': '<img src="imageboss:/t.jpg?w=10" alt="">\n',
      'src/pages/md.md': '![m](imageboss:/m.jpg?w=20)\n',
      'src/pages/x.mdx': '<img src="imageboss:/x.jpg?w=30" />\n'
    })
    await withEnv({ IMAGEBOSS_SOURCE: undefined, IMAGEBOSS_SECRET: 'env-wins' }, () => build({ root, logLevel: 'silent', outDir: path.join(root, 'dist') }))
    const page = (name: string) => readFile(path.join(root, 'dist', name), 'utf8')
    expect(await page('index.html')).toContain(expectedUrl('/from-dotenv/width/10/format:auto/t.jpg', 'env-wins'))
    expect(await page('md/index.html')).toContain(expectedUrl('/from-dotenv/width/20/format:auto/m.jpg', 'env-wins'))
    expect(await page('x/index.html')).toContain(expectedUrl('/from-dotenv/width/30/format:auto/x.jpg', 'env-wins'))
    for (const name of ['index.html', 'md/index.html', 'x/index.html']) {
      const html = await page(name)
      expect(html).not.toContain('imageboss:')
      expect(html).not.toContain('dotenv-secret')
      expect(html).not.toContain('env-wins')
    }
  })

  it('fails a build whose secret sits in a PUBLIC_ variable, without printing it', async () => {
    const root = await site({
      'astro.config.mjs': CONFIG,
      '.env': 'IMAGEBOSS_SOURCE=s\nPUBLIC_IMAGEBOSS_SECRET=leaked-value\n',
      'src/pages/index.astro': '<img src="imageboss:/t.jpg" alt="">\n'
    })
    const error = await withEnv({ IMAGEBOSS_SOURCE: undefined, IMAGEBOSS_SECRET: undefined }, () =>
      build({ root, logLevel: 'silent', outDir: path.join(root, 'dist') }).then(
        () => undefined,
        (e: unknown) => e as Error
      )
    )
    expect(String(error?.message)).toContain('exposed-secret')
    expect(String(error?.message)).toContain('PUBLIC_IMAGEBOSS_SECRET')
    expect(String(error?.message)).not.toContain('leaked-value')
  })

  it('fails a production build with a missing secret, naming the variable', async () => {
    const root = await site({
      'astro.config.mjs': CONFIG,
      'src/pages/md.md': '![m](imageboss:/m.jpg?w=20)\n'
    })
    const error = await withEnv({ IMAGEBOSS_SOURCE: 'nosecret', IMAGEBOSS_SECRET: undefined }, () =>
      build({ root, logLevel: 'silent', outDir: path.join(root, 'dist') }).then(
        () => undefined,
        (e: unknown) => e as Error
      )
    )
    expect(String(error?.message)).toContain('missing-secret')
    expect(String(error?.message)).toContain('IMAGEBOSS_SECRET')
  })
})
