import { describe, expect, it } from 'vitest'
import { DEV_OPTIONS, OPTIONS, SECRET, signedUrl } from './expected.js'
import { run } from './pipeline.js'

const url = (signedPath: string) => signedUrl(signedPath, SECRET)
const cover = url('/demo-images/cover/400x300/format:auto/a.jpg')

describe('rehypeImageBoss: raw nodes (remark-rehype `allowDangerousHtml`)', () => {
  it('rewrites a raw <img>, decoding `&amp;` so `h` is not lost', async () => {
    const file = await run('<img src="imageboss:/a.jpg?w=400&amp;h=300" alt="A">\n', OPTIONS, 'raw-nodes')
    expect(String(file)).toBe(`<img src="${cover}" alt="A">`)
    expect(file.messages).toEqual([])
  })

  it('decodes entities in a raw srcset and keeps the author’s formatting', async () => {
    const md = "<div>\n<img  alt='x'\n  srcset='imageboss:/a.jpg?w=400&amp;h=300 1x,\n  imageboss:/a.jpg?w=400&h=300 2x' >\n</div>\n"
    const file = await run(md, OPTIONS, 'raw-nodes')
    expect(String(file)).toBe(`<div>\n<img  alt='x'\n  srcset='${cover} 1x,\n  ${cover} 2x' >\n</div>`)
  })

  it('works with rehype-raw after the plugin (raw path) and before it (element path)', async () => {
    const md = '<p class="c">\n  <img src="imageboss:/a.jpg?w=400&amp;h=300">\n</p>\n'
    const after = await run(md, OPTIONS, 'plugin-then-rehype-raw')
    const before = await run(md, OPTIONS, 'rehype-raw-then-plugin')
    expect(String(after)).toBe(`<p class="c">\n  <img src="${cover}">\n</p>`)
    expect(String(before)).toBe(String(after))
  })

  it('reports a problem in a raw node at its exact place in the file', async () => {
    const md = 'Intro.\n\n<div>\n  <img src="imageboss:/a.jpg?w=40&qualty=80">\n</div>\n'
    const file = await run(md, DEV_OPTIONS, 'raw-nodes')
    expect(file.messages.map(String)).toEqual(['page.md:4:35-4:44: Unexpected unknown parameter `qualty`, expected a known parameter such as `quality`'])
    // Offsets agree with the source.
    const message = file.messages[0]
    expect(md.slice(message?.place && 'start' in message.place ? message.place.start.offset : -1)).toMatch(/^qualty=80">/)
    expect(String(file)).toContain('<img src="imageboss:/a.jpg?w=40&qualty=80">')
  })

  it('falls back to the raw node’s place when a container strips prefixes from later lines', async () => {
    const md = '> <div>\n> <img src="imageboss:/a.jpg?qualty=1">\n> </div>\n'
    const file = await run(md, DEV_OPTIONS, 'raw-nodes')
    expect(file.messages.map(String)).toEqual(['page.md:1:3-3:9: Unexpected unknown parameter `qualty`, expected a known parameter such as `quality`'])
  })

  it('signs raw tags inside code, split around it as raw nodes, and leaves the text of the code alone', async () => {
    const md = 'See <code>imageboss:/t.jpg <img src="imageboss:/x.jpg?w=10"></code> and <kbd>\n<img src="imageboss:/y.jpg?w=20">\n</kbd>.\n'
    const file = await run(md, OPTIONS, 'raw-nodes')
    expect(file.messages).toEqual([])
    expect(String(file)).toBe(
      `<p>See <code>imageboss:/t.jpg <img src="${url('/demo-images/width/10/format:auto/x.jpg')}"></code> and <kbd>\n<img src="${url('/demo-images/width/20/format:auto/y.jpg')}">\n</kbd>.</p>`
    )
  })

  it('reports an invalid reference in a raw tag inside code at its place', async () => {
    const md = 'See <code><img src="imageboss:/x.jpg?qualty=1"></code>.\n'
    const file = await run(md, DEV_OPTIONS, 'raw-nodes')
    const column = md.indexOf('qualty') + 1
    expect(file.messages.map((m) => [m.ruleId, m.line, m.column])).toEqual([['unknown-parameter', 1, column]])
    expect(String(file)).toContain('<img src="imageboss:/x.jpg?qualty=1">')
  })

  it('does not touch raw HTML without references, nor comments', async () => {
    const md = '<!-- <img src="imageboss:/a.jpg?w=1"> -->\n\n<img src="/local.png">\n'
    const file = await run(md, OPTIONS, 'raw-nodes')
    expect(String(file)).toBe('<!-- <img src="imageboss:/a.jpg?w=1"> -->\n<img src="/local.png">')
    expect(file.messages).toEqual([])
  })
})
