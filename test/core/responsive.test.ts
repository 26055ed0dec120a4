// The responsive rules: expected URLs come from the vectors or from the independent oracle.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createImageBoss, ImageBossError, type ImageBossOptions } from '../../src/index.js'
import { applyEdits } from '../../src/core/edits.js'
import { scanText } from '../../src/core/scan/index.js'
import { expectedUrl } from '../helpers/expected.js'

interface ResponsiveCase {
  markdown: string
  img: Record<string, string>
}
const { cases } = JSON.parse(readFileSync(new URL('../fixtures/vectors/responsive-cases.json', import.meta.url), 'utf8')) as {
  cases: ResponsiveCase[]
}

const SECRET = 'r-secret'
const base: ImageBossOptions = { source: 'site', secret: SECRET, defaults: {}, env: {}, production: true }
const boss = (options: ImageBossOptions = {}) => createImageBoss({ ...base, ...options })
const u = (path: string) => expectedUrl(path, SECRET)

function ruleOf(run: () => unknown): string | undefined {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(ImageBossError)
    return (error as ImageBossError).ruleId
  }
  return undefined
}

describe('image() against the worked examples', () => {
  it('has the four cases', () => {
    expect(cases).toHaveLength(4)
  })
  for (const testCase of cases) {
    it(testCase.markdown, () => {
      const reference = /\((imageboss:[^)\s]+)\)/.exec(testCase.markdown)?.[1] as string
      const { alt: _alt, ...expected } = testCase.img
      const resolver = createImageBoss({ source: 'demo-images', secret: 'demo-secret', defaults: {}, env: {} })
      expect(resolver.image(reference)).toEqual(expected)
    })
  }
})

describe('srcset=auto', () => {
  it('with a known width: W, 2W and every breakpoint below 2W, sorted', () => {
    const image = boss().image('imageboss:/a.jpg?w=500&srcset=auto')
    const widths = [500, 640, 750, 828, 960, 1000]
    expect(image.srcset).toBe(widths.map((w) => `${u(`/site/width/${w}/a.jpg`)} ${w}w`).join(', '))
    expect(image.src).toBe(u('/site/width/500/a.jpg'))
    expect(image.sizes).toBe('(min-width: 500px) 500px, 100vw')
  })
  it('caps widths at 8192 and de-duplicates', () => {
    const image = boss({ responsive: { breakpoints: [7000, 8000] } }).image('imageboss:/a.jpg?w=6000&srcset=auto')
    expect(image.srcset).toBe([6000, 7000, 8000, 8192].map((w) => `${u(`/site/width/${w}/a.jpg`)} ${w}w`).join(', '))
  })
  it('with cdn: every breakpoint as width/Wi, sizes 100vw, the original as src', () => {
    const image = boss({ responsive: { breakpoints: [300, 100, 200] } }).image('imageboss:/a.jpg?srcset=auto&grayscale=true')
    expect(image).toEqual({
      src: u('/site/cdn/grayscale:true/a.jpg'),
      srcset: [100, 200, 300].map((w) => `${u(`/site/width/${w}/grayscale:true/a.jpg`)} ${w}w`).join(', '),
      sizes: '100vw',
      loading: 'lazy',
      decoding: 'async'
    })
  })
  it('with cover: Wi x round(Wi·H/W), the mode and options kept, width and height attributes', () => {
    const image = boss({ responsive: { breakpoints: [300] } }).image('imageboss:/a.jpg?w=200&h=133&mode=face&quality=70&srcset=auto')
    const candidates = [
      [200, 133],
      [300, 200],
      [400, 266]
    ]
    expect(image.srcset).toBe(candidates.map(([w, h]) => `${u(`/site/cover:face/${w}x${h}/quality:70/a.jpg`)} ${w}w`).join(', '))
    expect(image).toMatchObject({ width: '200', height: '133' })
  })
  it('rounds half up', () => {
    // 750 · 300 / 400 = 562.5
    expect(boss({ responsive: { breakpoints: [750] } }).image('imageboss:/a.jpg?w=400&h=300&srcset=auto').srcset).toContain(
      u('/site/cover/750x563/a.jpg') + ' 750w'
    )
  })
  it('with height: an error (use densities)', () => {
    expect(ruleOf(() => boss().image('imageboss:/a.jpg?h=300&srcset=auto'))).toBe('conflicting-parameters')
  })
})

describe('explicit widths, densities, sizes, priority', () => {
  it('srcset=400,800 uses those widths, sorted', () => {
    expect(boss().image('imageboss:/a.jpg?w=800&srcset=800,400').srcset).toBe(`${u('/site/width/400/a.jpg')} 400w, ${u('/site/width/800/a.jpg')} 800w`)
  })
  it('densities=auto is 1,2 with dpr, never a repeated width without dpr', () => {
    const image = boss({ defaults: { format: 'auto' } }).image('imageboss:/a.jpg?w=300&densities=auto')
    expect(image.srcset).toBe(`${u('/site/width/300/format:auto/a.jpg')} 1x, ${u('/site/width/300/dpr:2,format:auto/a.jpg')} 2x`)
    expect(image.sizes).toBeUndefined()
  })
  it('densities take decimals in shortest form', () => {
    expect(boss().image('imageboss:/a.jpg?w=300&densities=1.50,1').srcset).toBe(`${u('/site/width/300/a.jpg')} 1x, ${u('/site/width/300/dpr:1.5/a.jpg')} 1.5x`)
  })
  it('sizes overrides the generated one', () => {
    expect(boss().image('imageboss:/a.jpg?w=300&srcset=auto&sizes=(min-width:+60em)+50vw,+100vw').sizes).toBe('(min-width: 60em) 50vw, 100vw')
  })
  it('priority: eager and high instead of the lazy defaults', () => {
    expect(boss().image('imageboss:/a.jpg?w=300&srcset=300&priority')).toMatchObject({ loading: 'eager', fetchpriority: 'high' })
    expect(boss().image('imageboss:/a.jpg?w=300&srcset=300&priority').decoding).toBeUndefined()
  })
  it('attributes: false turns the lazy defaults off', () => {
    const image = boss({ attributes: false }).image('imageboss:/a.jpg?w=300&srcset=300')
    expect(image.loading).toBeUndefined()
    expect(image.decoding).toBeUndefined()
  })
  it('a plain reference gets only its src', () => {
    expect(boss().image('imageboss:/a.jpg?w=300&h=200')).toEqual({ src: u('/site/cover/300x200/a.jpg') })
  })
  it.each([
    ['srcset with densities', 'imageboss:/a.jpg?w=3&srcset=auto&densities=auto', 'conflicting-parameters'],
    ['densities with dpr', 'imageboss:/a.jpg?w=3&densities=auto&dpr=2', 'conflicting-parameters'],
    ['srcset=0', 'imageboss:/a.jpg?w=3&srcset=0', 'invalid-value'],
    ['srcset=9000', 'imageboss:/a.jpg?w=3&srcset=9000', 'invalid-value'],
    ['srcset=a', 'imageboss:/a.jpg?w=3&srcset=a', 'invalid-value'],
    ['densities=5', 'imageboss:/a.jpg?w=3&densities=5', 'invalid-value'],
    ['densities=0.5', 'imageboss:/a.jpg?w=3&densities=0.5', 'invalid-value'],
    ['sizes empty', 'imageboss:/a.jpg?w=3&sizes=', 'invalid-value'],
    ['priority=no', 'imageboss:/a.jpg?w=3&priority=no', 'invalid-value'],
    ['srcset twice', 'imageboss:/a.jpg?w=3&srcset=auto&srcset=auto', 'conflicting-parameters']
  ])('%s is an error', (_name, reference, rule) => {
    expect(ruleOf(() => boss().image(reference))).toBe(rule)
  })
})

describe('misplaced-parameter', () => {
  it.each(['srcset=auto', 'densities=auto', 'sizes=100vw', 'priority'])('`%s` where only a URL is written', (key) => {
    expect(ruleOf(() => boss().url(`imageboss:/a.jpg?w=3&${key}`))).toBe('misplaced-parameter')
  })
  it('in HTML: a meta tag, a srcset candidate, a CSS url()', () => {
    const resolver = boss()
    const html = [
      '<meta property="og:image" content="imageboss:/a.jpg?w=3&amp;srcset=auto">',
      '<img srcset="imageboss:/b.jpg?w=3&amp;priority 1x, imageboss:/c.jpg 2x">',
      '<div style="background:url(imageboss:/d.jpg?sizes=100vw)"></div>'
    ].join('\n')
    const result = scanText('html', html, { signer: resolver })
    expect(result.problems.map((p) => p.ruleId)).toEqual(['misplaced-parameter', 'misplaced-parameter', 'misplaced-parameter'])
  })
})

describe('the responsive setting', () => {
  it('applies to every <img> reference; the reference’s keys win', () => {
    const resolver = boss({ responsive: { srcset: 'auto', breakpoints: [100] } })
    expect(resolver.image('imageboss:/a.jpg?w=100').srcset).toBe(`${u('/site/width/100/a.jpg')} 100w, ${u('/site/width/200/a.jpg')} 200w`)
    expect(resolver.image('imageboss:/a.jpg?w=100&densities=2').srcset).toBe(`${u('/site/width/100/dpr:2/a.jpg')} 2x`)
    // An image of a fixed height gets no srcset from the setting.
    expect(resolver.image('imageboss:/a.jpg?h=100')).toEqual({ src: u('/site/height/100/a.jpg') })
  })
  it('densities and sizes', () => {
    const resolver = boss({ responsive: { densities: [1, 3] } })
    expect(resolver.image('imageboss:/a.jpg?w=100').srcset).toBe(`${u('/site/width/100/a.jpg')} 1x, ${u('/site/width/100/dpr:3/a.jpg')} 3x`)
    expect(boss({ responsive: { srcset: [50], sizes: '50vw' } }).image('imageboss:/a.jpg?w=100').sizes).toBe('50vw')
  })
  it('rejects bad settings at once', () => {
    expect(() => boss({ responsive: { srcset: [0] } })).toThrow(/responsive\.srcset/)
    expect(() => boss({ responsive: { srcset: 'auto', densities: 'auto' } })).toThrow(ImageBossError)
    expect(() => boss({ responsive: { breakpoints: [] } })).toThrow(/breakpoints/)
  })
})

describe('<img> and <picture> in HTML', () => {
  const resolver = boss({ responsive: { breakpoints: [640] } })
  const rewrite = (html: string) => applyEdits(html, scanText('html', html, { signer: resolver }).edits)

  it('inserts the attributes right after src, as text, keeping the rest byte for byte', () => {
    const html = '<p>\n  <img  class="hero"\n       src="imageboss:/a.jpg?w=400&amp;h=300&amp;srcset=auto"   alt="A">\n</p>'
    const srcset = [
      [400, 300],
      [640, 480],
      [800, 600]
    ]
      .map(([w, h]) => `${u(`/site/cover/${w}x${h}/a.jpg`)} ${w}w`)
      .join(', ')
    expect(rewrite(html)).toBe(
      '<p>\n  <img  class="hero"\n       src="' +
        u('/site/cover/400x300/a.jpg') +
        `" srcset="${srcset}" sizes="(min-width: 400px) 400px, 100vw" width="400" height="300" loading="lazy" decoding="async"   alt="A">\n</p>`
    )
  })
  it('keeps every attribute the author wrote', () => {
    const out = rewrite('<img sizes="33vw" loading="eager" width="10" src="imageboss:/a.jpg?w=400&amp;h=300&amp;srcset=400">')
    expect(out).toBe(
      `<img sizes="33vw" loading="eager" width="10" src="${u('/site/cover/400x300/a.jpg')}" srcset="${u('/site/cover/400x300/a.jpg')} 400w" decoding="async">`
    )
  })
  it('turns a <source> reference into its srcset, with sizes', () => {
    const out = rewrite('<picture><source media="(min-width: 800px)" src="imageboss:/a.jpg?w=320&amp;srcset=auto"><img src="imageboss:/a.jpg?w=320"></picture>')
    const srcset = [320, 640].map((w) => `${u(`/site/width/${w}/a.jpg`)} ${w}w`).join(', ')
    expect(out).toBe(
      `<picture><source media="(min-width: 800px)" srcset="${srcset}" sizes="(min-width: 320px) 320px, 100vw"><img src="${u('/site/width/320/a.jpg')}"></picture>`
    )
  })
  it('a <source srcset> with one reference and densities', () => {
    const out = rewrite('<picture><source srcset="imageboss:/a.jpg?w=10&amp;densities=auto"></picture>')
    expect(out).toBe(`<picture><source srcset="${u('/site/width/10/a.jpg')} 1x, ${u('/site/width/10/dpr:2/a.jpg')} 2x"></picture>`)
  })
})
