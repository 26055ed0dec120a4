import { describe, expect, it } from 'vitest'
import { findCssReferences } from '../../src/core/css.js'

function slices(css: string, lineComments = false): string[] {
  return findCssReferences(css, { lineComments }).map((r) => {
    expect(css.slice(r.start, r.end)).toBe(r.reference)
    return r.reference
  })
}

describe('findCssReferences', () => {
  it('finds url() arguments, quoted or not', () => {
    const css = `.a { background: url(imageboss:/a.jpg?w=1); }\n.b { background: url( "imageboss:/b.jpg" ) }\n.c { background: URL('imageboss:/c.jpg') }`
    expect(slices(css)).toEqual(['imageboss:/a.jpg?w=1', 'imageboss:/b.jpg', 'imageboss:/c.jpg'])
  })

  it('finds image-set() strings and url()s', () => {
    const css = `.a { background-image: image-set("imageboss:/a.jpg?w=400" 1x, url(imageboss:/a.jpg?w=800) 2x); }\n.b { background: -webkit-image-set('imageboss:/b.jpg' 1x) }`
    expect(slices(css)).toEqual(['imageboss:/a.jpg?w=400', 'imageboss:/a.jpg?w=800', 'imageboss:/b.jpg'])
  })

  it('skips comments and other strings', () => {
    const css = `/* url(imageboss:/comment.jpg) */ .a::before { content: "imageboss:/content.jpg" } .b { background: url(/local.png) }`
    expect(slices(css)).toEqual([])
  })

  it('skips `//` comments only where the language has them', () => {
    const scss = `// url(imageboss:/line.jpg)\n.a { background: url(imageboss:/a.jpg) } // x\n.b { background: url(http://x.test/a.png) }`
    expect(slices(scss, true)).toEqual(['imageboss:/a.jpg'])
  })

  it('keeps going after unterminated strings and url(', () => {
    expect(slices(`.a { content: "unterminated\n.b { background: url(imageboss:/b.jpg) }`)).toEqual(['imageboss:/b.jpg'])
    expect(slices('.a { background: url(imageboss:/end.jpg')).toEqual(['imageboss:/end.jpg'])
    expect(slices('/* unterminated url(imageboss:/x.jpg)')).toEqual([])
  })
})
