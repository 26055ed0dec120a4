// The packed package in a fresh project, as a user installs it from the registry: its types
// check without `@types/node`, and `vite` and `astro dev` run it without a warning of its own
// (source maps pointing at files the package does not ship made Vite print one per module).
// Needs a build (`npm test` makes one). Tokens come from node:crypto (test/helpers/expected.ts).
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { expectedUrl } from '../helpers/expected.js'
import { scratchDirectories } from '../helpers/scratch.js'
import { installPackedProject, serve, suspiciousLines, writeFiles, type DevServer } from './packed-project.js'
import { PEER_CONSUMERS, PLAIN_CONSUMERS, typeCheck } from './types.js'

const { scratch } = scratchDirectories()

const SOURCE = 'packed-site'
const SECRET = 'Packed-s3cret_41c9'
const ENV = { IMAGEBOSS_SOURCE: SOURCE, IMAGEBOSS_SECRET: SECRET }
const url = (signedPath: string) => expectedUrl(signedPath, SECRET)

const VITE_SITE = {
  'vite-site/vite.config.js': `import imageboss from 'imageboss-build/vite'\n\nexport default { plugins: [imageboss()] }\n`,
  'vite-site/index.html': `<!doctype html>
<html><body>
<img src="imageboss:/photos/cat.jpg?w=800" alt="A cat">
<script type="module" src="./main.js"></script>
</body></html>
`,
  'vite-site/main.js': `import hero from 'imageboss:/photos/hero.jpg?w=1200'\n\ndocument.body.append(hero)\n`
}

const ASTRO_SITE = {
  'astro-site/astro.config.mjs': `import { defineConfig } from 'astro/config'
import imageboss from 'imageboss-build/astro'
import { imagebossService } from 'imageboss-build/astro/service'

export default defineConfig({ integrations: [imageboss()], image: { service: imagebossService() } })
`,
  'astro-site/src/pages/index.astro': `---
import { Image } from 'astro:assets'
---
<html><body>
<img src="imageboss:/photos/cat.jpg?w=800" alt="A cat">
<Image src="imageboss:/photos/boat.jpg" width={400} height={300} alt="A boat" />
</body></html>
`
}

let project = ''

beforeAll(async () => {
  const dir = await scratch('imageboss-packed-')
  await installPackedProject(dir)
  project = path.join(dir, 'project')
  await writeFiles(project, { ...VITE_SITE, ...ASTRO_SITE })
}, 180_000)

/** Run `visit` against a dev server, then return every line it printed that the package may have caused. */
async function suspiciousOutput(server: DevServer, visit: () => Promise<void>): Promise<string[]> {
  try {
    await visit()
    await server.settle()
    return suspiciousLines(server.output())
  } finally {
    await server.stop()
  }
}

async function text(address: string): Promise<string> {
  const response = await fetch(address)
  expect(response.status, address).toBe(200)
  return response.text()
}

describe('the packed package in a fresh project', () => {
  it('has no @types/node in the project (so the type checks below mean something)', () => {
    expect(existsSync(path.join(project, 'node_modules/@types/node'))).toBe(false)
    expect(existsSync(path.join(project, 'node_modules/imageboss-build/dist/index.js'))).toBe(true)
  })

  it('type-checks every entry point without Node types: the core, rehype, markdown-it, Eleventy, webpack and Rspack, the Astro runtime, the client types', async () => {
    const dir = path.join(project, 'types-plain')
    await mkdir(dir)
    expect((await typeCheck(dir, PLAIN_CONSUMERS)).map((problem) => problem.text)).toEqual([])
  })

  // Vite's and Astro's own declarations import `node:*` modules: in a project without
  // `@types/node` they fail to check whatever imports them. What is checked here is that
  // none of those failures is in this package's declarations or in the code that uses them.
  it('type-checks the Vite and Astro entry points without Node types, but for Vite’s and Astro’s own declarations', async () => {
    const dir = path.join(project, 'types-peers')
    await mkdir(dir)
    const problems = await typeCheck(dir, PEER_CONSUMERS)
    const ours = problems.filter((problem) => !problem.file.startsWith('../node_modules/') || problem.file.startsWith('../node_modules/imageboss-build/'))
    expect(ours.map((problem) => problem.text)).toEqual([])
  })

  it('runs in `vite` dev (Vite 8): signed URLs, and nothing printed about the package', async () => {
    const server = await serve(project, 'vite', [], path.join(project, 'vite-site'), ENV)
    let page = ''
    let hero = ''
    const lines = await suspiciousOutput(server, async () => {
      page = await text(server.url + '/')
      const main = await text(server.url + '/main.js')
      const module = /from "([^"]*imageboss:[^"]*)"/.exec(main)?.[1]
      expect(module, main).toBeDefined()
      hero = await text(server.url + module)
    })
    expect(page).toContain(`<img src="${url(`/${SOURCE}/width/800/format:auto/photos/cat.jpg`)}" alt="A cat">`)
    expect(hero).toContain(JSON.stringify(url(`/${SOURCE}/width/1200/format:auto/photos/hero.jpg`)))
    expect(lines).toEqual([])
  })

  it('runs in `astro dev` (Astro 5, the integration and the image service): signed URLs, no source-map warning', async () => {
    const server = await serve(project, 'astro', ['dev'], path.join(project, 'astro-site'), ENV)
    let page = ''
    const lines = await suspiciousOutput(server, async () => {
      page = await text(server.url + '/')
    })
    expect(page).toMatch(new RegExp(`<img src="${escape(url(`/${SOURCE}/width/800/format:auto/photos/cat.jpg`))}" alt="A cat"`))
    expect(page).toMatch(new RegExp(`<img src="${escape(url(`/${SOURCE}/cover/400x300/format:auto/photos/boat.jpg`))}"[^>]* width="400" height="300"`))
    expect(lines).toEqual([])
  })
})

const escape = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
