import { describe, expect, it } from 'vitest'
import { parseSrcset } from '../../src/core/srcset.js'

function candidates(value: string) {
  return parseSrcset(value).map((c) => {
    expect(value.slice(c.start, c.end)).toBe(c.url)
    return [c.url, c.descriptor]
  })
}

describe('parseSrcset', () => {
  it('splits candidates and keeps descriptors', () => {
    expect(candidates('a.jpg 1x, b.jpg 2x')).toEqual([
      ['a.jpg', '1x'],
      ['b.jpg', '2x']
    ])
  })
  it('allows commas inside URLs and strips trailing ones', () => {
    expect(candidates('imageboss:/a,b.jpg 640w,imageboss:/c.jpg, imageboss:/d.jpg,, 2x,e.jpg,f.jpg')).toEqual([
      ['imageboss:/a,b.jpg', '640w'],
      ['imageboss:/c.jpg', ''],
      ['imageboss:/d.jpg', ''],
      ['2x,e.jpg,f.jpg', '']
    ])
  })
  it('handles whitespace, newlines and a lone URL', () => {
    expect(candidates('\n  a.jpg\n  400w ,\n b.jpg')).toEqual([
      ['a.jpg', '400w'],
      ['b.jpg', '']
    ])
    expect(candidates('')).toEqual([])
    expect(candidates(' , , ')).toEqual([])
  })
  it('keeps parenthesised descriptors whole', () => {
    expect(candidates('a.jpg (x, y) 1x, b.jpg 2x')).toEqual([
      ['a.jpg', '(x, y) 1x'],
      ['b.jpg', '2x']
    ])
  })
})
