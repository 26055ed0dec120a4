import { describe, expect, it } from 'vitest'
import imageboss from 'imageboss-build/vite'
import { buildError, outputFiles, signedUrl, tempProject } from './helpers.js'

const SECRET = 'compat-secret-9a7e'
const url = (signedPath: string) => signedUrl(signedPath, SECRET)

const FILES = {
  'index.html':
    '<!doctype html>\n<img src="imageboss:/compat/a.jpg?w=100&amp;h=50" style="background:url(imageboss:/compat/s.jpg?h=40)">\n<script type="module" src="/src/main.ts"></script>\n',
  'src/main.ts':
    "import './style.css'\nimport hero from 'imageboss:/compat/hero.jpg?w=300'\nconst a: string = 'imageboss:/compat/b.jpg?w=200'\ndocument.body.append(a, hero)\n",
  'src/style.css': 'body { background: url("imageboss:/compat/c.jpg?op=cdn") }\n'
}

const EXPECTED = [
  '/compat/cover/100x50/format:auto/compat/a.jpg',
  '/compat/height/40/format:auto/compat/s.jpg',
  '/compat/width/300/format:auto/compat/hero.jpg',
  '/compat/width/200/format:auto/compat/b.jpg',
  '/compat/cdn/format:auto/compat/c.jpg'
]

type Build = (config: Record<string, unknown>) => Promise<unknown>

describe.each([
  ['vite6', () => import('vite6')],
  ['vite7', () => import('vite7')],
  ['vite', () => import('vite')]
])('%s', (name, load) => {
  it(`builds and signs with ${name}`, async () => {
    const vite = (await load()) as unknown as { build: Build; version: string }
    const root = await tempProject(FILES)
    const files = outputFiles(
      await vite.build({ root, configFile: false, logLevel: 'silent', plugins: [imageboss({ source: 'compat', secret: SECRET, env: {} })], build: { write: false } })
    )
    const all = files.map((f) => f.text).join('\n')
    for (const signedPath of EXPECTED) expect(all).toContain(url(signedPath))
    for (const f of files) expect(f.text, `${vite.version} ${f.fileName}`).not.toContain('imageboss:')
  })

  it(`reports located errors with ${name}`, async () => {
    const vite = (await load()) as unknown as { build: Build }
    const root = await tempProject({ ...FILES, 'src/main.ts': "const a: string = 'imageboss:/x.jpg?w=0'\nexport const b = `imageboss:/y.jpg?w=${a}`\n" })
    const error = await buildError(
      vite.build({ root, configFile: false, logLevel: 'silent', plugins: [imageboss({ source: 'compat', secret: SECRET, env: {} })], build: { write: false } })
    )
    // At the bad value `0`, 1-based.
    const column = "const a: string = 'imageboss:/x.jpg?w=0'".indexOf('w=0') + 3
    expect(error.message).toContain(`src/main.ts:1:${column}  invalid-value`)
    expect(error.message).toContain('src/main.ts:2:18  dynamic-reference')
    expect(error.pluginCode).toBe('invalid-value')
    expect(error.loc).toMatchObject({ line: 1, column })
  })
})
