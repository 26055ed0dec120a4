// The caches the hosts keep between builds (`node_modules/.vite`, `.astro`,
// `node_modules/.astro`, `.svelte-kit`) hold no secret: a Vite dev server that prebundles a
// dependency and a build, an Astro build of a content collection (Astro 5) and a SvelteKit
// build of the example (prerendered, adapter-static), each with a long random canary
// secret in `.env`; every file they leave in the project (`.env` aside) is searched for it in
// plain, JSON-escaped, `\u` escaped, percent-encoded, hex and base64 forms, and for unkeyed
// digests of it.
import { createHash, randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { build, createServer } from 'vite'
import { afterAll, describe, expect, it } from 'vitest'
import imageboss from 'imageboss-build/vite'
import { ASTRO_5, astroCommand, runAstro } from '../astro/example-run.js'
import { copyExample as copySvelteKit, KIT_2, kitVersion, viteBuild } from '../sveltekit/run.js'
import { hmac } from '../helpers/expected.js'
import { writeFiles } from '../helpers/files.js'
import { removeDirectory, scratchDirectories } from '../helpers/scratch.js'
import { noImageBossEnv, REPO, withEnv } from '../vite/helpers.js'
import { secretForms } from '../helpers/secret-forms.js'

const { scratch, scratchIn } = scratchDirectories()
const copies: string[] = []
afterAll(async () => {
  for (const dir of copies) await removeDirectory(dir)
})

/** Long and random, with characters that JSON, `devalue` and URLs escape. */
const CANARY = `ib-canary-${randomBytes(24).toString('hex')}-"<ü>&`

/** Every form the secret could take in a text file: those of `secretForms`, and `\u` escapes. */
function forms(secret: string): string[] {
  const unicodeEscaped = (upper: boolean) =>
    [...secret]
      .map((c) => (/[\w-]/.test(c) ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))
      .map((c) => (upper ? c.toUpperCase().replace('\\U', '\\u') : c))
      .join('')
  const found = new Set([...secretForms(secret), unicodeEscaped(false), unicodeEscaped(true)])
  // Digests anyone can compute from a guess: of the secret, and of the `.env` line.
  for (const algorithm of ['sha256', 'sha1', 'md5']) {
    for (const input of [secret, `IMAGEBOSS_SECRET=${secret}`]) found.add(createHash(algorithm).update(input).digest('hex').slice(0, 16))
  }
  // And what the Astro integration once wrote into Astro's store: a digest of its variables.
  const variables = [
    ['IMAGEBOSS_SECRET', secret],
    ['IMAGEBOSS_SOURCE', 'cache-leak']
  ]
  found.add(
    createHash('sha256')
      .update(JSON.stringify({ settings: {}, variables }))
      .digest('hex')
      .slice(0, 16)
  )
  return [...found]
}
const FORMS = forms(CANARY)

/** Every file under `dir`, symbolic links not followed, `skip` (relative paths) aside. */
async function files(dir: string, skip: Set<string>): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name)
    if (entry.isSymbolicLink() || skip.has(entry.name)) continue
    if (entry.isDirectory()) out.push(...(await files(file, new Set())))
    else if (entry.isFile()) out.push(file)
  }
  return out
}

async function expectNoCanary(root: string, skip: string[]): Promise<string[]> {
  const scanned = await files(root, new Set(skip))
  for (const file of scanned) {
    const bytes = await readFile(file)
    for (const text of [bytes.toString('utf8'), bytes.toString('latin1')]) {
      for (const form of FORMS) expect(text.includes(form), `${path.relative(root, file)} holds the canary as ${JSON.stringify(form)}`).toBe(false)
    }
  }
  return scanned.map((f) => path.relative(root, f).split(path.sep).join('/'))
}

const ENV_FILE = `IMAGEBOSS_SOURCE=cache-leak\nIMAGEBOSS_SECRET='${CANARY}'\n`

describe('the caches hold no secret', () => {
  it('Vite: a dev server that prebundles a dependency, then a build (`node_modules/.vite`)', async () => {
    const root = await scratch('imageboss-cache-vite-')
    writeFiles(root, {
      '.env': ENV_FILE,
      'index.html': '<!doctype html>\n<img src="imageboss:/page.jpg?w=100">\n<script type="module" src="/src/main.js"></script>\n',
      'src/main.js': "import { distance } from 'fastest-levenshtein'\nconsole.log(distance('a', 'b'), 'imageboss:/script.jpg?w=200')\n"
    })
    await mkdir(path.join(root, 'node_modules'))
    await symlink(path.join(REPO, 'node_modules/fastest-levenshtein'), path.join(root, 'node_modules/fastest-levenshtein'), 'dir')
    await withEnv(noImageBossEnv(), async () => {
      const server = await createServer({ root, configFile: false, logLevel: 'silent', plugins: [imageboss()], server: { port: 0, host: '127.0.0.1' } })
      try {
        await server.listen()
        const base = server.resolvedUrls?.local[0] as string
        const page = await (await fetch(base)).text()
        expect(page).toContain(
          'https://img.imageboss.me/cache-leak/width/100/format:auto/page.jpg?bossToken=' + hmac(CANARY, '/cache-leak/width/100/format:auto/page.jpg')
        )
        await fetch(new URL('src/main.js', base))
        const metadata = path.join(root, 'node_modules/.vite/deps/_metadata.json')
        for (let i = 0; i < 200 && !existsSync(metadata); i++) await new Promise((resolve) => setTimeout(resolve, 100))
        expect(existsSync(metadata)).toBe(true)
      } finally {
        await server.close()
      }
      await build({ root, configFile: false, logLevel: 'silent', plugins: [imageboss()] })
    })
    const scanned = await expectNoCanary(root, ['.env'])
    expect(scanned.some((f) => f.startsWith('node_modules/.vite/deps/') && f.endsWith('.js'))).toBe(true)
    expect(scanned.some((f) => f.startsWith('dist/'))).toBe(true)
  }, 60_000)

  it('Astro 5: a content collection built, failing and passing (`.astro`, `node_modules/.astro`)', async () => {
    const { bin } = await astroCommand(ASTRO_5)
    const root = await scratchIn(ASTRO_5.scratch, 'cache-leak-')
    writeFiles(root, {
      '.env': ENV_FILE,
      'astro.config.mjs':
        "import { defineConfig } from 'astro/config'\nimport imageboss from 'imageboss-build/astro'\nexport default defineConfig({ integrations: [imageboss()] })\n",
      'src/content.config.ts':
        "import { defineCollection } from 'astro:content'\nimport { glob } from 'astro/loaders'\nconst posts = defineCollection({ loader: glob({ pattern: '**/*.md', base: './src/content/posts' }) })\nexport const collections = { posts }\n",
      'src/pages/[id].astro':
        "---\nimport { getCollection, render } from 'astro:content'\nexport async function getStaticPaths() {\n  return (await getCollection('posts')).map((post) => ({ params: { id: post.id }, props: { post } }))\n}\nconst { Content } = await render(Astro.props.post)\n---\n<html><body><Content /></body></html>\n",
      'src/content/posts/post.md': '---\ntitle: Post\n---\n\n![x](imageboss:/a.jpg?w=abc)\n'
    })
    const failed = await runAstro(ASTRO_5.node, bin, ['build'], root, {})
    expect(failed.code).not.toBe(0)
    await writeFile(path.join(root, 'src/content/posts/post.md'), '---\ntitle: Post\n---\n\n![x](imageboss:/a.jpg?w=40)\n')
    const passed = await runAstro(ASTRO_5.node, bin, ['build'], root, {})
    expect(passed.code, passed.output).toBe(0)
    for (const output of [failed.output, passed.output]) for (const form of FORMS) expect(output.includes(form)).toBe(false)
    const scanned = await expectNoCanary(root, ['.env'])
    expect(scanned).toContain('node_modules/.astro/data-store.json')
    expect(scanned.some((f) => f.startsWith('.astro/'))).toBe(true)
    // The store holds the rendered entry, signed with the secret: the scan saw real content.
    const store = await readFile(path.join(root, 'node_modules/.astro/data-store.json'), 'utf8')
    expect(store).toContain(hmac(CANARY, '/cache-leak/width/40/format:auto/a.jpg'))
  }, 120_000)
  it('SvelteKit 2: a build of the example, prerendered (`.svelte-kit`, `build`)', async () => {
    await kitVersion(KIT_2)
    const root = await copySvelteKit(KIT_2, { '.env': ENV_FILE })
    copies.push(root)
    const run = await viteBuild(KIT_2, root, {})
    expect(run.code, run.output).toBe(0)
    for (const form of FORMS) expect(run.output.includes(form)).toBe(false)
    const scanned = await expectNoCanary(root, ['.env'])
    expect(scanned.some((f) => f.startsWith('.svelte-kit/output/'))).toBe(true)
    // The page is signed with the secret: the scan saw real content.
    const page = await readFile(path.join(root, 'build/index.html'), 'utf8')
    expect(page).toContain(hmac(CANARY, '/cache-leak/width/800/format:auto/photos/cat.jpg'))
  }, 120_000)
})
