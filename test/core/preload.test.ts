// `priority` preloads the largest image: a `<link rel="preload" as="image" fetchpriority="high">`
// with the element's own candidates, written before the document's `</head>`. URLs from the oracle.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createImageBoss } from '../../src/index.js'
import { runCli, site } from '../cli/run.js'
import { expectedUrl } from '../helpers/expected.js'
import { signedHtml } from '../helpers/images.js'

const SECRET = 'preload-secret-0123456789'
const boss = createImageBoss({ source: 's', secret: SECRET, env: {}, production: true })
const url = (signedPath: string) => expectedUrl(signedPath, SECRET)

const html = (markup: string) => signedHtml(markup, boss)

const page = (head: string, body: string) => `<!doctype html><html><head><title>T</title>${head}</head><body>${body}</body></html>`

describe('priority preloads its image from the <head>', () => {
  it('with the element’s srcset and sizes (and no href, so nothing loads twice)', () => {
    const out = html(page('', '<img alt="" src="imageboss:/hero.jpg?w=960&amp;srcset=480,960&amp;sizes=100vw&amp;priority">'))
    const srcset = `${url('/s/width/480/format:auto/hero.jpg')} 480w, ${url('/s/width/960/format:auto/hero.jpg')} 960w`
    expect(out).toContain(`<title>T</title><link rel="preload" as="image" imagesrcset="${srcset}" imagesizes="100vw" fetchpriority="high"></head>`)
    expect(out).toContain(`srcset="${srcset}" sizes="100vw"`)
  })

  it('with `href` for an image without a srcset, once per image', () => {
    const body =
      '<img alt="" src="imageboss:/a.jpg?w=800&amp;priority"><img alt="" src="imageboss:/a.jpg?w=800&amp;priority"><img alt="" src="imageboss:/b.jpg?w=300">'
    const out = html(page('', body))
    expect(out).toContain(`<link rel="preload" as="image" href="${url('/s/width/800/format:auto/a.jpg')}" fetchpriority="high"></head>`)
    expect(out.match(/rel="preload"/g)).toHaveLength(1)
  })

  it('adds none where the author preloads the same URL, or where there is no `</head>` to write before', () => {
    const own = `<link rel="preload" as="image" href="${url('/s/width/800/format:auto/a.jpg')}">`
    const out = html(page(own, '<img alt="" src="imageboss:/a.jpg?w=800&amp;priority">'))
    expect(out.match(/rel="preload"/g)).toHaveLength(1)
    // A fragment (Markdown's raw HTML, a component without the page's head): the element only.
    const fragment = html('<p><img alt="" src="imageboss:/a.jpg?w=800&amp;priority"></p>')
    expect(fragment).toBe(`<p><img alt="" src="${url('/s/width/800/format:auto/a.jpg')}" loading="eager" fetchpriority="high"></p>`)
  })

  it('ignores a `</head>` inside SVG, and an image without `priority`', () => {
    const out = html(page('', '<svg><head></head></svg><img alt="" src="imageboss:/b.jpg?w=300">'))
    expect(out).not.toContain('rel="preload"')
  })

  it('is written by `imageboss rewrite` into a built page', async () => {
    const dir = site({ 'index.html': page('', '<img alt="" src="imageboss:/a.jpg?w=800&amp;priority">') })
    const result = await runCli(['rewrite', '--threads', '1', 'site'], { cwd: dir, vars: { IMAGEBOSS_SOURCE: 's', IMAGEBOSS_SECRET: SECRET } })
    expect(result.code, result.stderr).toBe(0)
    expect(readFileSync(path.join(dir, 'site/index.html'), 'utf8')).toContain(
      `<link rel="preload" as="image" href="${url('/s/width/800/format:auto/a.jpg')}" fetchpriority="high"></head>`
    )
  })
})
