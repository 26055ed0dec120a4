// A small Astro site that uses the image service, written into a temporary directory and
// built in a child process (Astro 5 on this Node, Astro 7 on the Node 22 from the registry).
import { execFile } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const SOURCE = 'svc-site'
export const SECRET = 'svc-Secret_9f3e'

/** How the service gets its resolver. */
export type Variant =
  | 'shared' // a tiny integration sets the shared state, as `imageboss-build/astro` does
  | 'env' // no integration: the service makes its own resolver from `process.env`
  | 'integration' // the real `imageboss-build/astro` integration

export interface BuildResult {
  dir: string
  dist: string
  stdout: string
  stderr: string
  fetched: string[]
}

const PAGE = `---
import { Image, Picture } from 'astro:assets'
import local from '../assets/local.png'
__IMPORTS__
---
<html><body>
<Image id="fixed" src="imageboss:/a.jpg" width={800} height={600} alt="fixed" />
<Image id="widths" src="imageboss:/a.jpg?blur=2" width={800} height={600} widths={[400, 800]} sizes="50vw" alt="widths" />
<Image id="densities" src="imageboss:/a.jpg" width={400} height={300} densities={[1, 2]} alt="densities" />
<Image id="constrained" src="imageboss:/a.jpg" width={800} height={600} layout="constrained" alt="constrained" />
<Picture id="picture" src="imageboss:/a.jpg" width={800} height={600} formats={['avif', 'webp']} alt="picture" />
<Image id="from-reference" src="imageboss:/b.jpg?w=640&h=480" alt="from reference" />
<Image id="width-only" src="imageboss:/c.jpg" width={500} alt="width only" />
<Image id="format" src="imageboss:/a.jpg" width={300} height={200} format="png" quality="high" alt="format" />
<Image id="contain" src="imageboss:/a.jpg" width={400} height={400} fit="contain" alt="contain" />
<Image id="own-mode" src="imageboss:/a.jpg?w=300&h=300&mode=face" width={400} height={400} fit="contain" alt="own mode" />
<Image id="named-source" src="imageboss://other/d.png" width={200} height={100} alt="named source" />
<Image id="local" src={local} width={100} alt="local" />
<Image src="imageboss:/photos/boats.jpg?w=400" height={300} alt="Boats" />
<Image src="imageboss:/photos/boats.jpg?w=400" height={300} widths={[400, 800]} sizes="400px" alt="Boats, responsive" />
<Picture src="imageboss:/photos/boats.jpg?w=400&h=300" width={200} widths={[200, 400]} formats={['webp']} alt="Boats, small" />
<Picture id="picture-png" src="imageboss:/e.png" width={200} height={100} formats={['webp']} alt="picture of a PNG" />
<Picture id="picture-own-format" src="imageboss:/a.jpg?format=png" width={200} height={100} formats={['webp']} alt="picture with its own format" />
<Picture id="picture-fallback-format" src="imageboss:/a.jpg" width={200} height={100} formats={['avif']} fallbackFormat="webp" alt="picture with a fallback format" />
__EXTRA__
</body></html>
`

/** A preloaded module: every `fetch` is recorded and fails, as it would offline. */
const NO_NETWORK = `import { appendFileSync } from 'node:fs'
globalThis.fetch = async (input) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
  appendFileSync(process.env.FETCH_LOG, url + '\\n')
  throw new TypeError('fetch failed: no network in this test (' + url + ')')
}
`

function config(variant: Variant): string {
  const lines = [`import { defineConfig } from 'astro/config'`, `import { imagebossService } from 'imageboss-build/astro/service'`]
  let integrations = '[]'
  if (variant === 'shared') {
    lines.push(`import { createImageBoss } from 'imageboss-build'`)
    // The shared slot is keyed with `Symbol.for`, so setting it needs no private import; with
    // one entry and no key, the service takes it.
    integrations = `[{
    name: 'test-shared-state',
    hooks: {
      'astro:config:setup'() {
        const imageboss = createImageBoss({ source: ${JSON.stringify(SOURCE)}, secret: ${JSON.stringify(SECRET)}, sources: { other: { signed: false } }, env: {}, production: true })
        globalThis[Symbol.for('imageboss-build/astro')] = { states: new Map([['only', { imageboss }]]), next: 2 }
      }
    }
  }]`
  } else if (variant === 'integration') {
    lines.push(`import imageboss from 'imageboss-build/astro'`)
    integrations = `[imageboss({ sources: { other: { signed: false } } })]`
  }
  // In the `env` variant the service's own options carry what is not a secret.
  const serviceOptions = variant === 'env' ? `{ sources: { other: { signed: false } } }` : ''
  lines.push(`export default defineConfig({
  image: { service: imagebossService(${serviceOptions}) },
  integrations: ${integrations}
})`)
  return lines.join('\n') + '\n'
}

/**
 * Write the site into `dir` with its own copy of this package (`dist/` and `package.json`),
 * so that `astro` resolves from `dir`'s ancestors: the Astro 5 of the repository, or the
 * Astro 7 of `test/astro-current`. A symlink to the repository would make the service's
 * `astro/…` imports resolve to the repository's Astro 5 even in the Astro 7 build.
 */
export async function writeProject(dir: string, variant: Variant): Promise<void> {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(path.join(dir, 'src/pages'), { recursive: true })
  mkdirSync(path.join(dir, 'src/assets'), { recursive: true })
  const self = path.join(dir, 'node_modules/imageboss-build')
  mkdirSync(self, { recursive: true })
  cpSync(path.join(ROOT, 'dist'), path.join(self, 'dist'), { recursive: true })
  cpSync(path.join(ROOT, 'package.json'), path.join(self, 'package.json'))
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify(
      // Listed as a dependency, as in a real site: Astro then bundles the package (it has a peer
      // dependency on `astro`), so the sharp service it imports sees Vite's `import.meta.env`.
      { name: 'service-test-site', private: true, type: 'module', dependencies: { 'imageboss-build': '*' } },
      null,
      2
    )
  )
  writeFileSync(path.join(dir, 'astro.config.mjs'), config(variant))
  writeFileSync(path.join(dir, 'no-network.mjs'), NO_NETWORK)
  const imports = variant === 'integration' ? `import hero from 'imageboss:/hero.jpg?w=1200&h=800'` : ''
  // With the integration, string props are signed before the service sees them, so each
  // reference must be complete on its own; without it, the service completes `?mode=face`.
  const extra =
    variant === 'integration'
      ? `<Image id="imported" src={hero} width={600} height={400} alt="imported" />`
      : `<Image id="mode-only" src="imageboss:/a.jpg?mode=face" width={400} height={400} alt="mode only" />`
  writeFileSync(path.join(dir, 'src/pages/index.astro'), PAGE.replace('__IMPORTS__', imports).replace('__EXTRA__', extra))
  await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 200, g: 80, b: 40 } } })
    .png()
    .toFile(path.join(dir, 'src/assets/local.png'))
}

/** Build the site with `node astro.js build`; the environment is only what is given here. */
export function buildProject(dir: string, node: string, astroBin: string, env: Record<string, string>): Promise<BuildResult> {
  const log = path.join(dir, 'fetch.log')
  writeFileSync(log, '')
  const childEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    ASTRO_TELEMETRY_DISABLED: '1',
    FETCH_LOG: log,
    ...env
  }
  return new Promise((resolve, reject) => {
    execFile(
      node,
      ['--import', path.join(dir, 'no-network.mjs'), astroBin, 'build'],
      { cwd: dir, env: childEnv, maxBuffer: 64 * 1024 * 1024, timeout: 240_000 },
      (error, stdout, stderr) => {
        const fetched = readFileSync(log, 'utf8').split('\n').filter(Boolean)
        if (error) {
          reject(Object.assign(new Error(`astro build failed in ${dir}:\n${stdout}\n${stderr}`), { cause: error }))
          return
        }
        resolve({ dir, dist: path.join(dir, 'dist'), stdout, stderr, fetched })
      }
    )
  })
}

/** Every file under `dir`, with its path relative to `dir`. */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
}
