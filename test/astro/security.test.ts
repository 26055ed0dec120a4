// Astro builds as an attacker or an unlucky user would run them: two builds at once in one
// process, with different sources and secrets (each site's URLs — templates, `<Image>` and
// `<Picture>` through the image service, `imagebossUrl()` when a page renders — are signed
// with its own; tokens checked with the oracle), a `$` in a `.env` secret, and the runtime
// signer imported into browser code.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { build } from 'astro'
import { describe, expect, it } from 'vitest'
import { hmac } from '../helpers/expected.js'
import { scratchDirectories, withImageBossEnv } from '../helpers/scratch.js'
import { ROOT } from './service-project.js'

const { scratchIn } = scratchDirectories()

const PAGE = `---
import { Image, Picture } from 'astro:assets'
import { imagebossUrl } from 'imageboss-build/astro/runtime'
const rendered = imagebossUrl(['imageboss:/rendered.jpg', 'w=120'].join('?'))
---
<html><body>
<img src="imageboss:/static.jpg?w=100" alt="static">
<img src={rendered} alt="rendered">
<Image src="imageboss:/a.jpg" width={800} height={600} alt="a" />
<Image src="imageboss:/b.jpg" width={800} height={600} widths={[400, 800]} sizes="50vw" alt="b" />
<Image src="imageboss:/c.jpg" width={400} height={300} densities={[1, 2]} alt="c" />
<Picture src="imageboss:/d.jpg" width={800} height={600} formats={['avif', 'webp']} alt="d" />
</body></html>
`

async function site(name: string, source: string, secret: string): Promise<string> {
  await mkdir(path.join(ROOT, '.tmp'), { recursive: true })
  const root = await scratchIn(path.join(ROOT, '.tmp'), `concurrent-${name}-`)
  await mkdir(path.join(root, 'src/pages'), { recursive: true })
  await writeFile(
    path.join(root, 'astro.config.mjs'),
    `import { defineConfig } from 'astro/config'
import imageboss from 'imageboss-build/astro'
import { imagebossService } from 'imageboss-build/astro/service'
export default defineConfig({
  integrations: [imageboss({ source: ${JSON.stringify(source)}, secret: ${JSON.stringify(secret)}, env: {} })],
  image: { service: imagebossService() }
})
`
  )
  await writeFile(path.join(root, 'src/pages/index.astro'), PAGE)
  return root
}

/** The error of a build of `root` that should fail, or `undefined`. */
function buildFailure(root: string): Promise<Error | undefined> {
  return withImageBossEnv({}, () =>
    build({ root, logLevel: 'silent', cacheDir: path.join(root, '.cache'), vite: { cacheDir: path.join(root, '.vite') } })
  ).then(
    () => undefined,
    (error: unknown) => error as Error
  )
}

const URL_RE = /https:\/\/img\.imageboss\.me(\/[^"'\s?]+)\?bossToken=([0-9a-f]{64})/g

describe('a `$` in a `.env` secret (Astro 5, Node 20)', () => {
  it('stops the build with `expanded-variable` at the file and line, rather than sign with a cut secret', async () => {
    const root = await site('dollar', 'srcD', 'unused')
    await writeFile(
      path.join(root, 'astro.config.mjs'),
      "import { defineConfig } from 'astro/config'\nimport imageboss from 'imageboss-build/astro'\nexport default defineConfig({ integrations: [imageboss()] })\n"
    )
    await writeFile(path.join(root, '.env'), 'IMAGEBOSS_SOURCE=srcD\nIMAGEBOSS_SECRET=Abc$Def9Ghi\n')
    const failure = await buildFailure(root)
    expect(failure?.message).toMatch(/expanded-variable: Unexpected `\$` in `IMAGEBOSS_SECRET` \(.*\.env:2\)/)
    expect(failure?.message).not.toContain('Def9Ghi')
  }, 120_000)
})

describe('the runtime signer in browser code (Astro 5, Node 20)', () => {
  it("stops the build with `client-signing` at the import in the page's client script", async () => {
    const root = await site('client', 'srcC', 'secret-c')
    await writeFile(
      path.join(root, 'src/pages/index.astro'),
      "---\n---\n<html><body><img id=\"i\">\n<script>\nimport { imagebossUrl } from 'imageboss-build/astro/runtime'\ndocument.getElementById('i').src = imagebossUrl(location.hash.slice(1))\n</script></body></html>\n"
    )
    const failure = await buildFailure(root)
    expect(failure?.message).toMatch(/client-signing: Unexpected `imagebossUrl` of imageboss-build imported into code that runs in the browser/)
    expect(failure?.message).toMatch(/index\.astro:5:\d+/)
  }, 120_000)
})

describe('two Astro builds at once (Astro 5, Node 20)', () => {
  it('never mix sources or secrets', async () => {
    const sites = [
      { root: await site('a', 'srcA', 'secret-of-a'), source: 'srcA', secret: 'secret-of-a' },
      { root: await site('b', 'srcB', 'secret-of-b'), source: 'srcB', secret: 'secret-of-b' }
    ]
    await withImageBossEnv({}, () =>
      Promise.all(
        sites.map(({ root }) => build({ root, logLevel: 'error', cacheDir: path.join(root, '.cache'), vite: { cacheDir: path.join(root, '.vite') } }))
      )
    )
    for (const { root, source, secret } of sites) {
      const html = await readFile(path.join(root, 'dist/index.html'), 'utf8')
      const urls = [...html.matchAll(URL_RE)]
      // 2 `<img>`, 1 + 2 + 2 `<Image>` candidates and sources, and the `<Picture>`'s sources and fallback.
      expect(urls.length, html).toBeGreaterThanOrEqual(10)
      for (const [, signedPath, token] of urls) {
        expect(signedPath, html).toMatch(new RegExp(`^/${source}/`))
        expect(token).toBe(hmac(secret, signedPath as string))
      }
      expect(html).not.toContain('imageboss:')
    }
  }, 180_000)
})
