// `placeholder`: a tiny variant of the same image, signed, as the `<img>`'s CSS background while
// it loads. Worked cases written from docs/syntax.md#placeholders by hand; URLs from the oracle.
import MarkdownIt from 'markdown-it'
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

const SECRET = 'placeholder-secret-0123456789'
const settings: ImageBossOptions = { source: 's', secret: SECRET, env: {}, production: true }

/** The style the case's `<img>` gets: its tiny variant's signed path, as written by hand. */
const style = (path: string) => `background-image:url(${expectedUrl(path, SECRET)});background-size:cover;background-position:center`

const CASES: ReadonlyArray<{ reference: string; src: string; placeholder: string }> = [
  { reference: 'imageboss:/a.jpg?w=800&h=400&placeholder', src: '/s/cover/800x400/format:auto/a.jpg', placeholder: '/s/cover/16x8/blur:2,format:auto/a.jpg' },
  {
    reference: 'imageboss:/a.jpg?w=600&h=600&mode=face&placeholder=blur',
    src: '/s/cover:face/600x600/format:auto/a.jpg',
    placeholder: '/s/cover:face/16x16/blur:2,format:auto/a.jpg'
  },
  { reference: 'imageboss:/a.jpg?w=800&placeholder=color', src: '/s/width/800/format:auto/a.jpg', placeholder: '/s/width/1/format:auto/a.jpg' },
  { reference: 'imageboss:/a.jpg?h=600&placeholder', src: '/s/height/600/format:auto/a.jpg', placeholder: '/s/width/16/blur:2,format:auto/a.jpg' },
  { reference: 'imageboss:/a.jpg?placeholder', src: '/s/cdn/format:auto/a.jpg', placeholder: '/s/width/16/blur:2,format:auto/a.jpg' },
  { reference: 'imageboss:/a.jpg?w=3200&h=50&placeholder', src: '/s/cover/3200x50/format:auto/a.jpg', placeholder: '/s/cover/16x1/blur:2,format:auto/a.jpg' },
  {
    reference: 'imageboss:/a.jpg?w=400&h=300&grayscale=true&placeholder',
    src: '/s/cover/400x300/format:auto,grayscale:true/a.jpg',
    placeholder: '/s/cover/16x12/blur:2,format:auto,grayscale:true/a.jpg'
  }
]

const html = (markup: string) => signedHtml(markup, createImageBoss(settings))

describe('placeholder', () => {
  it.each(CASES)('HTML: $reference', (item) => {
    const [image] = images(html(`<img alt="x" src="${item.reference.replaceAll('&', '&amp;')}">`))
    expect(image).toEqual({ alt: 'x', src: expectedUrl(item.src, SECRET), style: style(item.placeholder) })
  })

  it.each(CASES)('Markdown (markdown-it and rehype): $reference', async (item) => {
    const expected = [{ alt: 'x', src: expectedUrl(item.src, SECRET), style: style(item.placeholder) }]
    expect(images(new MarkdownIt().use(markdownItImageBoss, settings).render(`![x](${item.reference})\n`))).toEqual(expected)
    const rehype = await unified().use(remarkParse).use(remarkRehype).use(rehypeImageBoss, settings).use(rehypeStringify).process(`![x](${item.reference})\n`)
    expect(images(String(rehype))).toEqual(expected)
  })

  it('leaves the author’s `style` as written: theirs wins', () => {
    const [image] = images(html('<img alt="x" style="border:0" src="imageboss:/a.jpg?w=8&amp;h=8&amp;placeholder">'))
    expect(image).toEqual({ alt: 'x', style: 'border:0', src: expectedUrl('/s/cover/8x8/format:auto/a.jpg', SECRET) })
  })

  it('is a key of the `<img>` written for a reference: a mistake elsewhere, and a bad value, are located errors', () => {
    const boss = createImageBoss(settings)
    expect(() => boss.url('imageboss:/a.jpg?w=8&placeholder')).toThrow(expect.objectContaining({ ruleId: 'misplaced-parameter' }))
    expect(() => boss.image('imageboss:/a.jpg?placeholder=lqip')).toThrow(
      expect.objectContaining({ ruleId: 'invalid-value', offset: 'imageboss:/a.jpg?placeholder='.length })
    )
  })
})
