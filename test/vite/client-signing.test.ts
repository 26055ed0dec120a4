// This package's signers reached from browser code in ways the script transform cannot see
// (`import()`, a re-export in a module of the project, a `resolve.alias`): real `vite build`s
// of a project that has `imageboss-build` installed (a link to this package, as npm makes).
import { mkdir, symlink } from 'node:fs/promises'
import path from 'node:path'
import { build, type InlineConfig } from 'vite'
import { describe, expect, it } from 'vitest'
import imageboss from 'imageboss-build/vite'
import { buildError, outputFiles, REPO, tempProject } from './helpers.js'

const CASES = {
  're-export through a module of the project': {
    entry: 'src/main.js',
    files: {
      'src/main.js': "import { sign } from './lib.js'\nexport const token = sign('s', '/a.jpg')\n",
      'src/lib.js': "// A helper module: it names no signer where main.js imports it.\nexport { signPath as sign } from 'imageboss-build'\n"
    },
    importer: 'src/lib.js',
    at: 'src/lib.js:2:'
  },
  'dynamic `import()`': {
    entry: 'src/main.js',
    files: { 'src/main.js': "export const load = () => import('imageboss-build').then((m) => m.createImageBoss())\n" },
    importer: 'src/main.js',
    at: 'src/main.js:1:'
  },
  '`resolve.alias`': {
    entry: 'src/main.js',
    files: { 'src/main.js': "import { signPath } from 'ib'\nexport const token = signPath('s', '/a.jpg')\n" },
    importer: 'src/main.js',
    at: 'src/main.js:1:'
  },
  'the Astro runtime signer under an alias': {
    entry: 'src/main.js',
    files: { 'src/main.js': "import { imagebossUrl } from 'ib/astro/runtime'\nexport const url = imagebossUrl(location.hash)\n" },
    importer: 'src/main.js',
    at: 'src/main.js:1:'
  }
} as const

async function project(files: Record<string, string>): Promise<string> {
  const root = await tempProject(files)
  await mkdir(path.join(root, 'node_modules'))
  await symlink(REPO, path.join(root, 'node_modules/imageboss-build'), 'dir')
  return root
}

function config(root: string, entry: string, ssr: boolean): InlineConfig {
  return {
    root,
    configFile: false,
    logLevel: 'silent',
    resolve: { alias: { ib: 'imageboss-build' } },
    plugins: [imageboss({ source: 'cs', secret: 'client-signing-secret', env: {} })],
    build: {
      write: false,
      minify: false,
      ...(ssr ? { ssr: path.join(root, entry) } : { rollupOptions: { input: path.join(root, entry) } })
    }
  }
}

describe('signers reached from browser code', () => {
  for (const [name, spec] of Object.entries(CASES)) {
    it(`${name}: \`client-signing\` naming the module that imports the package`, async () => {
      const root = await project(spec.files)
      const error = await buildError(build(config(root, spec.entry, false)))
      expect(error.message).toContain('client-signing')
      expect(error.message).toContain(`imported by \`${spec.importer}\``)
      expect(error.message).toContain('in code that runs in the browser')
      expect(error.message).toContain(spec.at)
    })

    it(`${name}: allowed in server code (SSR build)`, async () => {
      const root = await project(spec.files)
      const files = outputFiles(await build(config(root, spec.entry, true)))
      expect(files.length).toBeGreaterThan(0)
    })
  }

  it('a client module that imports no signer builds as before', async () => {
    const root = await project({ 'src/main.js': "console.log('imageboss:/a.jpg?w=10')\n" })
    const files = outputFiles(await build(config(root, 'src/main.js', false)))
    expect(files.map((f) => f.text).join('\n')).toMatch(/https:\/\/img\.imageboss\.me\/cs\/width\/10\/format:auto\/a\.jpg\?bossToken=[0-9a-f]{64}/)
  })
})
