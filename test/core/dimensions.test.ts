// The `dimensions` option: `width` and `height` from the reference where it fixes both sides.
// Worked cases written from docs/syntax.md#dimensions by hand: the expected sizes are the
// case's own, the expected URLs come from the oracle (test/helpers/expected.ts).
import MarkdownIt from 'markdown-it'
import rehypeRaw from 'rehype-raw'
import rehypeStringify from 'rehype-stringify'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import { unified } from 'unified'
import { describe, expect, it } from 'vitest'
import { createImageBoss, type ImageBossOptions } from '../../src/index.js'
import markdownItImageBoss from '../../src/markdown-it.js'
import rehypeImageBoss from '../../src/rehype.js'
import { expectedUrl } from '../helpers/expected.js'
import { images, signedHtml } from '../helpers/images.js'

const SECRET = 'dimensions-secret-0123456789'
const settings: ImageBossOptions = {
  source: 's',
  secret: SECRET,
  env: {},
  production: true,
  dimensions: true,
  presets: { card: { w: 600, h: 315 }, wide: { w: 1200 } }
}

/** A reference, the signed path it becomes, and the size it fixes (`undefined`: none). */
const CASES: ReadonlyArray<{ reference: string; path: string; size: [string, string] | undefined }> = [
  { reference: 'imageboss:/a.jpg?w=800&h=400', path: '/s/cover/800x400/format:auto/a.jpg', size: ['800', '400'] },
  { reference: 'imageboss:/a.jpg?width=300&height=300&mode=face', path: '/s/cover:face/300x300/format:auto/a.jpg', size: ['300', '300'] },
  { reference: 'imageboss:/a.jpg?op=cover&w=640&h=480&mode=contain', path: '/s/cover:contain/640x480/format:auto/a.jpg', size: ['640', '480'] },
  { reference: 'imageboss:/a.jpg?preset=card', path: '/s/cover/600x315/format:auto/a.jpg', size: ['600', '315'] },
  { reference: 'imageboss:/a.jpg?w=800', path: '/s/width/800/format:auto/a.jpg', size: undefined },
  { reference: 'imageboss:/a.jpg?h=800', path: '/s/height/800/format:auto/a.jpg', size: undefined },
  { reference: 'imageboss:/a.jpg', path: '/s/cdn/format:auto/a.jpg', size: undefined },
  { reference: 'imageboss:/a.jpg?preset=wide', path: '/s/width/1200/format:auto/a.jpg', size: undefined },
  { reference: 'imageboss:/a.jpg?w=800&h=400&mode=inside', path: '/s/cover:inside/800x400/format:auto/a.jpg', size: undefined },
  {
    reference: 'imageboss:/a.jpg?w=800&h=400&withoutEnlargement=true',
    path: '/s/cover/800x400/format:auto,withoutEnlargement:true/a.jpg',
    size: undefined
  }
]

/** The attributes the case's `<img>` must end with (besides `alt`). */
function expected(item: (typeof CASES)[number]): Record<string, string> {
  const src = expectedUrl(item.path, SECRET)
  return item.size ? { src, width: item.size[0], height: item.size[1] } : { src }
}

const html = (markup: string, options: ImageBossOptions = settings) => signedHtml(markup, createImageBoss(options))

describe('dimensions: true', () => {
  it.each(CASES)('HTML: $reference', (item) => {
    const [image] = images(html(`<img alt="x" src="${item.reference.replaceAll('&', '&amp;')}">`))
    expect(image).toEqual({ alt: 'x', ...expected(item) })
  })

  it.each(CASES)('Markdown (markdown-it): $reference', (item) => {
    const out = new MarkdownIt({ html: true }).use(markdownItImageBoss, settings).render(`![x](${item.reference})\n`)
    expect(images(out)).toEqual([{ alt: 'x', ...expected(item) }])
  })

  it.each(CASES)('Markdown (rehype): $reference', async (item) => {
    const out = String(
      await unified()
        .use(remarkParse)
        .use(remarkRehype, { allowDangerousHtml: true })
        .use(rehypeRaw)
        .use(rehypeImageBoss, settings)
        .use(rehypeStringify)
        .process(`![x](${item.reference})\n`)
    )
    expect(images(out)).toEqual([{ alt: 'x', ...expected(item) }])
  })

  it('gives a `<picture>`’s `<source>` its own size, and the `<img>` its own', () => {
    const out = html(
      '<picture><source media="(min-width: 800px)" srcset="imageboss:/w.jpg?w=1600&amp;h=800"><img alt="x" src="imageboss:/n.jpg?w=400&amp;h=400"></picture>'
    )
    expect(out).toContain(
      `<source media="(min-width: 800px)" srcset="${expectedUrl('/s/cover/1600x800/format:auto/w.jpg', SECRET)}" width="1600" height="800">`
    )
    expect(out).toContain(`<img alt="x" src="${expectedUrl('/s/cover/400x400/format:auto/n.jpg', SECRET)}" width="400" height="400">`)
  })

  it('leaves both out where the author wrote either, and writes the author’s as they are', () => {
    const [only] = images(html('<img alt="x" width="100%" src="imageboss:/a.jpg?w=800&amp;h=400">'))
    expect(only).toEqual({ alt: 'x', width: '100%', src: expectedUrl('/s/cover/800x400/format:auto/a.jpg', SECRET) })
    const [both] = images(html('<img alt="x" height="10" src="imageboss:/a.jpg?w=800&amp;h=400">'))
    expect(both).toEqual({ alt: 'x', height: '10', src: expectedUrl('/s/cover/800x400/format:auto/a.jpg', SECRET) })
  })

  it('is off by default: an image without responsive keys gets no size', () => {
    const [image] = images(html('<img alt="x" src="imageboss:/a.jpg?w=800&amp;h=400">', { ...settings, dimensions: undefined }))
    expect(image).toEqual({ alt: 'x', src: expectedUrl('/s/cover/800x400/format:auto/a.jpg', SECRET) })
    // `image()` reads the same with the option: its size is data, the marker is not enumerable.
    const off = createImageBoss({ ...settings, dimensions: false }).image('imageboss:/a.jpg?w=8&h=4')
    const on = createImageBoss(settings).image('imageboss:/a.jpg?w=8&h=4')
    expect(Object.keys(on)).toEqual(['src', 'width', 'height'])
    expect(Object.keys(off)).toEqual(['src'])
  })
})
