import { build } from 'vite'
import { describe, expect, it } from 'vitest'
import imageboss from 'imageboss-build/vite'
import { outputFiles, recordingLogger, signedUrl, tempProject } from './helpers.js'

const SECRET = 'runtime-signing-secret'

describe('references signed when the code runs', () => {
  it("leaves the argument of this package's own `boss.url()`, `resolve()` and `imagebossUrl()` to the code, traced from their imports; signs that of any other `.url()`", async () => {
    const root = await tempProject({
      'src/main.js': [
        "import { createImageBoss } from 'imageboss-build'",
        "import { imagebossUrl } from 'imageboss-build/astro/runtime'",
        "import { createImageBoss as lookalike } from './core.js'",
        'const boss = createImageBoss()',
        'const other = lookalike()',
        "export const a = (w) => boss.url('imageboss:/a.jpg?w=' + w)",
        'export const b = (name) => imagebossUrl(`imageboss:/${name}.jpg?w=100`)',
        "export const c = boss.resolve('imageboss:/static.jpg?w=5')",
        "export const d = 'imageboss:/signed-now.jpg?w=6'",
        "export const e = other.url('imageboss:/not-exempt.jpg?w=7')",
        ''
      ].join('\n'),
      'src/core.js': 'export const createImageBoss = () => ({ url: (r) => r, resolve: (r) => r })\n'
    })
    const { logger, warnings } = recordingLogger()
    const files = outputFiles(
      await build({
        root,
        configFile: false,
        customLogger: logger,
        logLevel: 'warn',
        plugins: [imageboss({ source: 'rt', secret: SECRET, env: {} })],
        // Server code, where runtime signing belongs (in browser code it is `client-signing`).
        build: { ssr: `${root}/src/main.js`, write: false, minify: false, rollupOptions: { external: [/^imageboss-build/] } }
      })
    )
    const js = files.map((f) => f.text).join('\n')
    // A production build: a dynamic reference anywhere else would have failed it.
    expect(js).toMatch(/boss\.url\(["']imageboss:\/a\.jpg\?w=["'] \+ w\)/)
    expect(js).toContain('`imageboss:/${name}.jpg?w=100`')
    expect(js).toContain('imageboss:/static.jpg?w=5')
    expect(js).toContain(signedUrl('/rt/width/6/format:auto/signed-now.jpg', SECRET))
    expect(js).toContain(signedUrl('/rt/width/7/format:auto/not-exempt.jpg', SECRET))
    expect(warnings.filter((w) => w.includes('imageboss'))).toEqual([])
  })
})
