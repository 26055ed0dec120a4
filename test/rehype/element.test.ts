import { describe, expect, it } from 'vitest'
import { OPTIONS, SECRET, signedUrl } from './expected.js'
import { run } from './pipeline.js'

const url = (signedPath: string) => signedUrl(signedPath, SECRET)

/** Escape a URL as rehype-stringify writes it in a double-quoted attribute. */
const attr = (value: string) => value.replaceAll('&', '&#x26;')

describe('rehypeImageBoss: hast elements', () => {
  it('rewrites a Markdown image', async () => {
    const file = await run('![alt](imageboss:/a.jpg?w=800)\n', OPTIONS)
    expect(String(file)).toBe(`<p><img src="${url('/demo-images/width/800/format:auto/a.jpg')}" alt="alt"></p>`)
    expect(file.messages).toEqual([])
  })

  it('rewrites a reference-style image through its definition', async () => {
    const file = await run('![alt][hero]\n\n[hero]: imageboss:/photos/hero.png?w=640&h=360&mode=smart\n', OPTIONS)
    expect(String(file)).toBe(`<p><img src="${attr(url('/demo-images/cover:smart/640x360/format:auto/photos/hero.png'))}" alt="alt"></p>`)
  })

  it('rewrites a path with spaces and non-ASCII letters like Go’s PathEscape', async () => {
    const file = await run('![x](<imageboss:/my photos/Zürich (1).jpg?w=100>)\n', OPTIONS)
    expect(String(file)).toBe(`<p><img src="${url('/demo-images/width/100/format:auto/my%20photos/Z%C3%BCrich%20%281%29.jpg')}" alt="x"></p>`)
  })

  it('rewrites every srcset candidate and keeps descriptors (rehype-raw makes elements)', async () => {
    const md = '<img src="imageboss:/a.jpg?w=400" srcset="imageboss:/a.jpg?w=400 1x, /plain.jpg 1.5x, imageboss:/a.jpg?w=800 2x">\n'
    const file = await run(md, OPTIONS, 'rehype-raw-then-plugin')
    const a400 = url('/demo-images/width/400/format:auto/a.jpg')
    const a800 = url('/demo-images/width/800/format:auto/a.jpg')
    expect(String(file)).toBe(`<img src="${a400}" srcset="${a400} 1x, /plain.jpg 1.5x, ${a800} 2x">`)
  })

  it('rewrites style url(), link imagesrcset and href, meta content, video poster', async () => {
    const md = [
      '<div style="background: url(imageboss:/bg.jpg?w=1200) center"></div>',
      '',
      '<link rel="preload" as="image" href="imageboss:/a.jpg?w=400" imagesrcset="imageboss:/a.jpg?w=400 400w, imageboss:/a.jpg?w=800 800w">',
      '',
      '<meta property="og:image" content="imageboss:/og.png?w=1200&h=630">',
      '',
      '<video poster="imageboss:/poster.jpg?w=960"></video>',
      ''
    ].join('\n')
    const file = await run(md, OPTIONS, 'rehype-raw-then-plugin')
    const html = String(file)
    expect(html).toContain(`<div style="background: url(${url('/demo-images/width/1200/format:auto/bg.jpg')}) center"></div>`)
    expect(html).toContain(
      `<link rel="preload" as="image" href="${url('/demo-images/width/400/format:auto/a.jpg')}" imagesrcset="${url('/demo-images/width/400/format:auto/a.jpg')} 400w, ${url('/demo-images/width/800/format:auto/a.jpg')} 800w">`
    )
    expect(html).toContain(`<meta property="og:image" content="${url('/demo-images/cover/1200x630/format:auto/og.png')}">`)
    expect(html).toContain(`<video poster="${url('/demo-images/width/960/format:auto/poster.jpg')}"></video>`)
    expect(html).not.toContain('imageboss:')
    expect(file.messages).toEqual([])
  })

  it('rewrites input src only for type=image', async () => {
    const md = '<input type="image" src="imageboss:/go.png?w=40">\n<input type="text" src="imageboss:/go.png?w=40">\n'
    const file = await run(md, OPTIONS, 'rehype-raw-then-plugin')
    expect(String(file)).toBe(`<input type="image" src="${url('/demo-images/width/40/format:auto/go.png')}">\n<input type="text" src="imageboss:/go.png?w=40">`)
  })

  it('leaves the text of code alone (inline code, fenced code) and signs the elements inside <pre> and <code>', async () => {
    const md = [
      '<pre><code><img src="imageboss:/in-pre.jpg?w=1"></code></pre>',
      '',
      'Inline `![x](imageboss:/inline.jpg)` and <code><img src="imageboss:/in-code.jpg?w=1"></code>.',
      '',
      '```md',
      '![x](imageboss:/fenced.jpg?w=1)',
      '<img src="imageboss:/fenced.jpg?w=1">',
      '```',
      ''
    ].join('\n')
    for (const mode of ['rehype-raw-then-plugin', 'plugin-then-rehype-raw', 'raw-nodes'] as const) {
      const file = await run(md, OPTIONS, mode)
      const html = String(file)
      expect(html, mode).toContain(`<pre><code><img src="${url('/demo-images/width/1/format:auto/in-pre.jpg')}"></code></pre>`)
      expect(html, mode).toContain(`<code><img src="${url('/demo-images/width/1/format:auto/in-code.jpg')}"></code>`)
      expect(html, mode).toContain('<code>![x](imageboss:/inline.jpg)</code>')
      expect(html, mode).toContain('![x](imageboss:/fenced.jpg?w=1)\n&#x3C;img src="imageboss:/fenced.jpg?w=1">')
      expect(html.split('https://img.imageboss.me'), mode).toHaveLength(3)
      expect(file.messages, mode).toEqual([])
    }
  })

  it('keeps other URLs and attributes untouched', async () => {
    const md = '![a](https://example.com/a.jpg) [link](imageboss:/doc.pdf) ![b](imageboss:/b.jpg "Title")\n'
    const file = await run(md, OPTIONS)
    expect(String(file)).toBe(
      `<p><img src="https://example.com/a.jpg" alt="a"> <a href="${url('/demo-images/cdn/format:auto/doc.pdf')}">link</a> <img src="${url('/demo-images/cdn/format:auto/b.jpg')}" alt="b" title="Title"></p>`
    )
  })
})
