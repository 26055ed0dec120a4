import { build, createServer } from 'vite'
import { describe, expect, it } from 'vitest'
import imageboss from 'imageboss-build/vite'
import { outputFiles, signedUrl, tempProject } from './helpers.js'

const SECRET = 'responsive-vite-secret'
const url = (signedPath: string) => signedUrl(signedPath, SECRET)
const options = { source: 'rv', secret: SECRET, defaults: {}, env: {}, responsive: { breakpoints: [640] } }

describe('responsive images with Vite', () => {
  it('writes srcset, sizes, width, height and loading hints into HTML entries', async () => {
    const root = await tempProject({
      'index.html':
        '<!doctype html>\n<img src="imageboss:/a.jpg?w=400&amp;h=300&amp;srcset=auto" alt="a">\n<img src="imageboss:/b.jpg?w=100&amp;densities=auto&amp;priority" alt="b">\n'
    })
    const files = outputFiles(await build({ root, configFile: false, logLevel: 'silent', plugins: [imageboss(options)], build: { write: false } }))
    const html = files.find((f) => f.fileName === 'index.html')?.text ?? ''
    const srcset = [
      [400, 300],
      [640, 480],
      [800, 600]
    ]
      .map(([w, h]) => `${url(`/rv/cover/${w}x${h}/a.jpg`)} ${w}w`)
      .join(', ')
    expect(html).toContain(
      `<img src="${url('/rv/cover/400x300/a.jpg')}" srcset="${srcset}" sizes="(min-width: 400px) 400px, 100vw" width="400" height="300" loading="lazy" decoding="async" alt="a">`
    )
    expect(html).toContain(
      `<img src="${url('/rv/width/100/b.jpg')}" srcset="${url('/rv/width/100/b.jpg')} 1x, ${url('/rv/width/100/dpr:2/b.jpg')} 2x" loading="eager" fetchpriority="high" alt="b">`
    )
  })

  it('exports src, srcset, sizes, width and height from an import', async () => {
    const root = await tempProject({
      'main.js': "export { default, src, srcset, sizes, width, height } from 'imageboss:/a.jpg?w=400&h=200&srcset=400,800'\n"
    })
    const server = await createServer({
      root,
      configFile: false,
      logLevel: 'silent',
      server: { middlewareMode: true, ws: false },
      plugins: [imageboss(options)]
    })
    try {
      const module = (await server.ssrLoadModule('/main.js')) as Record<string, unknown>
      expect(module).toMatchObject({
        default: url('/rv/cover/400x200/a.jpg'),
        src: url('/rv/cover/400x200/a.jpg'),
        srcset: `${url('/rv/cover/400x200/a.jpg')} 400w, ${url('/rv/cover/800x400/a.jpg')} 800w`,
        sizes: '(min-width: 400px) 400px, 100vw',
        width: 400,
        height: 200
      })
      const plain = (await server.ssrLoadModule('imageboss:/a.jpg?w=5')) as Record<string, unknown>
      expect(plain).toMatchObject({ default: url('/rv/width/5/a.jpg'), srcset: undefined, width: undefined })
    } finally {
      await server.close()
    }
  })

  it('fails on a responsive key in CSS or a plain string, where no image is written', async () => {
    const root = await tempProject({
      'main.js': "import './a.css'\nexport const x = 'imageboss:/a.jpg?w=10&srcset=auto'\n",
      'a.css': '.a { background: url(imageboss:/b.jpg?priority) }\n'
    })
    const error = await build({
      root,
      configFile: false,
      logLevel: 'silent',
      plugins: [imageboss(options)],
      build: { write: false, rollupOptions: { input: `${root}/main.js` } }
    }).then(
      () => undefined,
      (e: unknown) => e as Error
    )
    expect(String(error?.message)).toContain('misplaced-parameter')
  })
})
