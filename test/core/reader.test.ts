// `url()`, `resolve()` and `image()` read every valid reference in one pass (src/core/reader.ts)
// and leave a rejected one to the explain pass (`explainPlan`) for its error. The two passes
// must agree: the same URL (and the same resolved image and attributes) for every reference
// the explain pass accepts, a rejection for every one it rejects. Here on every vector of the
// independent implementation and on references made to sit on the edges of the syntax;
// test/property (and `npm run fuzz`, a million cases) on generated ones.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createImageBoss, type ImageBossOptions } from '../../src/index.js'
import { expectedUrl } from '../helpers/expected.js'
import { asExplained, explainer, outcomeOf } from '../helpers/explained.js'

interface Case {
  settings: ImageBossOptions
  reference: string
  url: string | null
}

const { cases } = JSON.parse(readFileSync(new URL('../fixtures/vectors/reference-cases.json', import.meta.url), 'utf8')) as { cases: Case[] }

/** The references that put every source of `settings` in use. */
function warmUps(settings: ImageBossOptions): string[] {
  return ['', ...Object.keys(settings.sources ?? {}).map((name) => `//${name}`)].map((source) => `imageboss:${source}/warm-up.jpg`)
}

/** Both passes on one reference, on fresh instances, its sources first in use (`warm`) or not. */
function compare(options: ImageBossOptions, reference: string, warm: boolean): void {
  const warmUp = warm ? warmUps(options) : []
  const explained = explainer(options, warmUp)
  const read = (call: 'url' | 'resolve' | 'image') => {
    const boss = createImageBoss(options)
    for (const other of warmUp) outcomeOf(() => boss.url(other))
    return outcomeOf(() => boss[call](reference))
  }
  expect(asExplained(read('url')), reference).toEqual(explained.url(reference))
  expect(asExplained(read('resolve')), reference).toEqual(explained.resolve(reference))
  expect(read('image'), reference).toEqual(explained.image(reference))
}

describe('the reference parser against the explain pass', () => {
  it('agree on every vector, which the parser gives its URL', () => {
    for (const testCase of cases) {
      const options = { ...testCase.settings, env: {}, production: true }
      for (const warm of [false, true]) compare(options, testCase.reference, warm)
      if (testCase.url !== null) expect(createImageBoss(options).url(testCase.reference)).toBe(testCase.url)
    }
  })

  const settings: ImageBossOptions = {
    source: 'fast',
    secret: 'fast-secret',
    sources: { other: { secret: 'other-secret' }, open: { signed: false }, bare: {} },
    defaults: { format: 'auto', quality: 80 },
    presets: { thumb: { w: 100, h: 100, mode: 'smart' }, gray: { grayscale: true, quality: 50 }, wide: { w: 300 } },
    extraOptions: ['future', 'constructor'],
    env: {},
    production: true
  }
  const sign = (path: string, secret = 'fast-secret') => expectedUrl(path, secret)

  it.each<[string, string | undefined]>([
    ['imageboss:/a.jpg', sign('/fast/cdn/format:auto,quality:80/a.jpg')],
    ['imageboss:a/b.jpg?w=10', sign('/fast/width/10/format:auto,quality:80/a/b.jpg')],
    ['imageboss:/a.jpg?width=10&h=20&mode=north', sign('/fast/cover:north/10x20/format:auto,quality:80/a.jpg')],
    ['imageboss:/a.jpg?quality=10&blur=2.50&dpr=2&format=webp', sign('/fast/cdn/blur:2.5,dpr:2,format:webp,quality:10/a.jpg')],
    [
      'imageboss:/a.jpg?w=0800&dpr=.5&blur=1.&sharpen=00&gamma=010.0100',
      sign('/fast/width/800/blur:1,dpr:0.5,format:auto,gamma:10.01,quality:80,sharpen:0/a.jpg')
    ],
    ['imageboss:/a.jpg?fill-color=ABC&grayscale=true&zz=', undefined],
    ['imageboss:/a.jpg?fill-color=ABC&grayscale=true', sign('/fast/cdn/fill-color:aabbcc,format:auto,grayscale:true,quality:80/a.jpg')],
    ['imageboss:/a.jpg?&&w=10&&', sign('/fast/width/10/format:auto,quality:80/a.jpg')],
    ['imageboss:/~a_b-c.d/x.jpg?op=cdn', sign('/fast/cdn/format:auto,quality:80/~a_b-c.d/x.jpg')],
    ['imageboss://other/a.jpg?h=5', sign('/other/height/5/format:auto,quality:80/a.jpg', 'other-secret')],
    ['imageboss://open/a.jpg?w=5', 'https://img.imageboss.me/open/width/5/format:auto,quality:80/a.jpg'],
    // Paths: encoded, non-ASCII, spaces, and what `encodeURI` keeps but the path encoding escapes.
    ['imageboss:/café/a b.jpg?w=5', sign('/fast/width/5/format:auto,quality:80/caf%C3%A9/a%20b.jpg')],
    ["imageboss:/a!'()*,;$&=+:@~b.jpg", sign('/fast/cdn/format:auto,quality:80/a%21%27%28%29%2A%2C%3B$&=+:@~b.jpg')],
    ['imageboss:/%23a%3Fb%2Fc%25d%20e%2B.jpg', sign('/fast/cdn/format:auto,quality:80/%23a%3Fb/c%25d%20e+.jpg')],
    ['imageboss:/фото/猫 1.jpg', sign('/fast/cdn/format:auto,quality:80/%D1%84%D0%BE%D1%82%D0%BE/%E7%8C%AB%201.jpg')],
    ['imageboss:/😀/a[b]{c}|d^e`f"g<h>i\\j.jpg', sign('/fast/cdn/format:auto,quality:80/%F0%9F%98%80/a%5Bb%5D%7Bc%7D%7Cd%5Ee%60f%22g%3Ch%3Ei%5Cj.jpg')],
    // Encoded and `+` keys and values, presets, extra options.
    ['imageboss:/a.jpg?w=1%30', sign('/fast/width/10/format:auto,quality:80/a.jpg')],
    ['imageboss:/a.jpg?%77=10&format=web%70', sign('/fast/width/10/format:webp,quality:80/a.jpg')],
    ['imageboss:/a.jpg?format=web+p', undefined],
    ['imageboss:/a.jpg?preset=thumb', sign('/fast/cover:smart/100x100/format:auto,quality:80/a.jpg')],
    ['imageboss:/a.jpg?preset=thumb&mode=face&quality=90', sign('/fast/cover:face/100x100/format:auto,quality:90/a.jpg')],
    ['imageboss:/a.jpg?preset=gray&format=png', sign('/fast/cdn/format:png,grayscale:true,quality:50/a.jpg')],
    ['imageboss:/a.jpg?preset=wide&h=10', sign('/fast/cover/300x10/format:auto,quality:80/a.jpg')],
    ['imageboss:/a.jpg?preset=wide&op=cdn', undefined],
    ['imageboss:/a.jpg?preset=nope', undefined],
    ['imageboss:/a.jpg?future=1.x&constructor=b', sign('/fast/cdn/constructor:b,format:auto,future:1.x,quality:80/a.jpg')],
    ['imageboss:/a.jpg?future=1&future=2', undefined],
    ['imageboss:/a.jpg?future=a%20b', undefined],
    // Rejected: responsive keys where no image is written, unknown sources, every kind of error.
    ['imageboss:/a.jpg?w=10&srcset=auto', undefined],
    ['imageboss://nope/a.jpg', undefined],
    ['imageboss://bare/a.jpg', undefined],
    ['imageboss://-x/a.jpg', undefined],
    ['imageboss://a_b-/a.jpg', undefined],
    ['imageboss:///a.jpg', undefined],
    ['imageboss://other', undefined],
    ['imageboss:/a.jpg?w=10&w=10', undefined],
    ['imageboss:/a.jpg?w=10&width=10', undefined],
    ['imageboss:/a.jpg?h=10&mode=north', undefined],
    ['imageboss:/a.jpg?w=8193', undefined],
    ['imageboss:/a.jpg?w=1e3', undefined],
    ['imageboss:/a/../b.jpg', undefined],
    ['imageboss:/a/%2E%2E/b.jpg', undefined],
    ['imageboss:/a%2F%2Fb.jpg', undefined],
    ['imageboss:/a//b.jpg', undefined],
    ['imageboss:/a/', undefined],
    ['imageboss:/', undefined],
    ['imageboss:', undefined],
    ['imageboss:/a%zz.jpg', undefined],
    ['imageboss:/a%C3.jpg', undefined],
    ['imageboss:/a%00.jpg', undefined],
    ['imageboss:/a\u0001.jpg', undefined],
    ['imageboss:/a\ud800.jpg', undefined],
    ['imageboss:/a\udc00\ud800.jpg', undefined],
    ['imageboss:/a.jpg#x', undefined],
    ['imageboss:/a.jpg?constructor=1&constructor=2', undefined],
    ['imageboss:/a.jpg?toString=1', undefined],
    ['imageboss:/a.jpg?__proto__=1', undefined],
    ['IMAGEBOSS:/a.jpg', undefined]
  ])('%s', (reference, expected) => {
    const made = outcomeOf(() => createImageBoss(settings).url(reference))
    if (expected !== undefined) expect(made).toBe(expected)
    else expect(typeof made).toBe('object')
    for (const warm of [false, true]) compare(settings, reference, warm)
  })

  it('reads responsive keys for `image()` as the explain pass does', () => {
    for (const query of [
      'srcset=auto&w=400',
      'w=400&h=300&srcset=200,%20400',
      'densities=auto&w=300',
      'w=300&sizes=50vw&srcset=auto',
      'priority&w=10',
      'priority=true',
      'priority=no',
      'srcset=auto&densities=1,2&w=5',
      'sr%63set=auto&w=9',
      'srcset=auto&srcset=auto'
    ]) {
      compare(settings, `imageboss:/a.jpg?${query}`, true)
    }
  })

  it('warns once for a source without a secret in development, when a reference of it is first valid', () => {
    const warnings: string[] = []
    const boss = createImageBoss({ source: 'dev', env: {}, production: false, onWarning: (warning) => warnings.push(warning.ruleId) })
    expect(outcomeOf(() => boss.url('imageboss:/a//b.jpg'))).toMatchObject({ rule: 'invalid-path' })
    expect(warnings).toEqual([])
    expect(boss.url('imageboss:/a.jpg?w=1')).toBe('https://img.imageboss.me/dev/width/1/format:auto/a.jpg')
    expect(boss.url('imageboss:/b.jpg?w=1')).toBe('https://img.imageboss.me/dev/width/1/format:auto/b.jpg')
    expect(warnings).toEqual(['missing-secret'])
  })

  it('reads a near-miss path in linear time (no backtracking regex)', () => {
    const path = 'a'.repeat(100_000) + '!'
    expect(createImageBoss(settings).url(`imageboss:/${path}?w=1`)).toBe(
      expectedUrl(`/fast/width/1/format:auto,quality:80/${path.replace('!', '%21')}`, 'fast-secret')
    )
    expect(outcomeOf(() => createImageBoss(settings).url(`imageboss:/${'a/'.repeat(50_000)}/x`))).toMatchObject({ rule: 'invalid-path' })
  })
})
