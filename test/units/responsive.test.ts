// The predictions the browser tests hold Chromium to, on cases worked out by hand.
import { describe, expect, it } from 'vitest'
import { backgroundUrls, parseSrcset, pickCandidate, predictImage, slotWidth } from '../e2e/responsive.js'

const desktop = { width: 1280, height: 800, dpr: 1 }
const phone = { width: 390, height: 844, dpr: 3 }

describe('srcset and sizes predictions', () => {
  it('keeps commas inside a URL, as the HTML srcset parser does', () => {
    const candidates = parseSrcset('/w/160/a.png?t=1 1x, /w/160/dpr:2,format:auto/a.png?t=2 2x,/c.png,')
    expect(candidates.map((c) => [c.url, c.descriptor])).toEqual([
      ['/w/160/a.png?t=1', '1x'],
      ['/w/160/dpr:2,format:auto/a.png?t=2', '2x'],
      ['/c.png', '']
    ])
  })

  it('reads sizes: the first matching media condition, else the last entry', () => {
    const sizes = '(min-width: 800px) 800px, 100vw'
    expect(slotWidth(sizes, desktop)).toBe(800)
    expect(slotWidth(sizes, phone)).toBe(390)
    expect(slotWidth('(max-width: 600px) 400px, 800px', phone)).toBe(400)
    expect(slotWidth(undefined, phone)).toBe(390)
  })

  it('picks the smallest candidate at least slot × pixel ratio, else the largest', () => {
    const srcset = parseSrcset('a 640w, b 800w, c 1280w, d 1600w')
    expect(pickCandidate(srcset, '(min-width: 800px) 800px, 100vw', desktop).candidate.url).toBe('b')
    expect(pickCandidate(srcset, '(min-width: 800px) 800px, 100vw', phone).candidate.url).toBe('c') // 1170
    expect(pickCandidate(parseSrcset('a 400w, b 800w'), '800px', phone).candidate.url).toBe('b')
  })

  it('adds src as the 1x candidate of an x-descriptor srcset, and prefers a supported <source>', () => {
    const image = { alt: '', src: 's', srcset: 'm 1.5x, l 2x', sizes: null, currentSrc: '', complete: true, naturalWidth: 1, naturalHeight: 1, sources: [] }
    expect(predictImage(image, desktop)?.candidate.url).toBe('s')
    expect(predictImage(image, phone)?.candidate.url).toBe('l')
    const sources = [
      { type: 'image/jxl', media: null, srcset: 'j', sizes: null },
      { type: 'image/avif', media: '(min-width: 800px)', srcset: 'wide', sizes: null },
      { type: 'image/avif', media: null, srcset: 'narrow', sizes: null }
    ]
    expect(predictImage({ ...image, sources }, desktop)?.candidate.url).toBe('wide')
    expect(predictImage({ ...image, sources }, phone)?.candidate.url).toBe('narrow')
  })

  it('takes one option of a computed image-set(), plain url()s as they are', () => {
    const computed = 'image-set(url("a") 1dppx, url("b") 2dppx), url("c")'
    expect(backgroundUrls(computed, 1)).toEqual([{ url: 'a', density: 1 }, { url: 'c' }])
    expect(backgroundUrls(computed, 3)).toEqual([{ url: 'b', density: 2 }, { url: 'c' }])
  })
})
