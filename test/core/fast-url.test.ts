// `url()` takes a one-pass fast path for plain references (src/core/fast-url.ts) and the full
// path for everything else. The two must give the same bytes: here on every vector of the
// independent implementation and on references made to sit on the edge of what the fast
// path accepts; test/property (and `npm run fuzz`, a million cases) on generated ones.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createFastPath, fastUrl } from '../../src/core/fast-url.js'
import { checkOptions } from '../../src/core/options.js'
import { sourceKey, type SourceState } from '../../src/core/sources.js'
import { createImageBoss, ImageBossError, type ImageBossOptions } from '../../src/index.js'
import { expectedUrl } from '../helpers/expected.js'

interface Case {
  settings: ImageBossOptions
  reference: string
  url: string | null
}

const { cases } = JSON.parse(readFileSync(new URL('../fixtures/vectors/reference-cases.json', import.meta.url), 'utf8')) as { cases: Case[] }

/** The fast path of an instance of `settings` whose sources are all in use (else it always declines). */
function fastPathOf(settings: ImageBossOptions) {
  const checked = checkOptions({ ...settings, env: {}, production: true })
  const states = new Map<string, SourceState>()
  for (const source of [checked.defaultSource, ...Object.keys(checked.sources)]) {
    if (source !== undefined) sourceKey(checked, states, source, 'imageboss:/x')
  }
  return createFastPath(checked, states)
}

/** The outcome of the full path: `resolve()` never takes the fast one. */
function full(settings: ImageBossOptions, reference: string): string | { rule: string; reason: string; offset: number | undefined } {
  try {
    return createImageBoss({ ...settings, env: {}, production: true }).resolve(reference).url
  } catch (error) {
    if (!(error instanceof ImageBossError)) throw error
    return { rule: error.ruleId, reason: error.reason, offset: error.offset }
  }
}

/** `url()` on an instance that has used its sources, so that the fast path may answer. */
function warmUrl(settings: ImageBossOptions, reference: string): ReturnType<typeof full> {
  const boss = createImageBoss({ ...settings, env: {}, production: true })
  for (const source of ['', ...Object.keys(settings.sources ?? {}).map((name) => `//${name}`)]) {
    try {
      boss.url(`imageboss:${source}/warm-up.jpg`)
    } catch {
      // A source that cannot sign stays out of use.
    }
  }
  try {
    return boss.url(reference)
  } catch (error) {
    if (!(error instanceof ImageBossError)) throw error
    return { rule: error.ruleId, reason: error.reason, offset: error.offset }
  }
}

describe('the fast path of `url()`', () => {
  it('gives every vector its URL, or leaves it to the full path, which rejects it', () => {
    let fast = 0
    for (const testCase of cases) {
      const made = fastUrl(fastPathOf(testCase.settings), testCase.reference)
      if (made !== undefined) {
        fast++
        expect(made, testCase.reference).toBe(testCase.url)
      }
      expect(warmUrl(testCase.settings, testCase.reference)).toEqual(full(testCase.settings, testCase.reference))
    }
    // Not vacuous: most valid vectors are plain.
    expect(fast).toBeGreaterThan(15)
  })

  const settings: ImageBossOptions = {
    source: 'fast',
    secret: 'fast-secret',
    sources: { other: { secret: 'other-secret' }, open: { signed: false } },
    defaults: { format: 'auto', quality: 80 },
    presets: { thumb: { w: 100, h: 100 } },
    extraOptions: ['future']
  }
  const sign = (path: string, secret = 'fast-secret') => expectedUrl(path, secret)

  it.each<[string, string | undefined]>([
    ['imageboss:/a.jpg', sign('/fast/cdn/format:auto,quality:80/a.jpg')],
    ['imageboss:a/b.jpg?w=10', sign('/fast/width/10/format:auto,quality:80/a/b.jpg')],
    ['imageboss:/a.jpg?width=10&h=20&mode=north', sign('/fast/cover:north/10x20/format:auto,quality:80/a.jpg')],
    ['imageboss:/a.jpg?quality=10&blur=2.50&dpr=2&format=webp', sign('/fast/cdn/blur:2.5,dpr:2,format:webp,quality:10/a.jpg')],
    ['imageboss:/a.jpg?fill-color=ABC&grayscale=true&zz=', undefined],
    ['imageboss:/a.jpg?fill-color=ABC&grayscale=true', sign('/fast/cdn/fill-color:aabbcc,format:auto,grayscale:true,quality:80/a.jpg')],
    ['imageboss:/a.jpg?&&w=10&&', sign('/fast/width/10/format:auto,quality:80/a.jpg')],
    ['imageboss:/~a_b-c.d/x.jpg?op=cdn', sign('/fast/cdn/format:auto,quality:80/~a_b-c.d/x.jpg')],
    ['imageboss://other/a.jpg?h=5', sign('/other/height/5/format:auto,quality:80/a.jpg', 'other-secret')],
    ['imageboss://open/a.jpg?w=5', 'https://img.imageboss.me/open/width/5/format:auto,quality:80/a.jpg'],
    ['imageboss:/café/a b.jpg?w=5', sign('/fast/width/5/format:auto,quality:80/caf%C3%A9/a%20b.jpg')],
    // Left to the full path: encoded or `+` values, presets, responsive keys, extra options, unknown sources, errors.
    ['imageboss:/a.jpg?w=1%30', undefined],
    ['imageboss:/a.jpg?format=web+p', undefined],
    ['imageboss:/a.jpg?preset=thumb', undefined],
    ['imageboss:/a.jpg?w=10&srcset=auto', undefined],
    ['imageboss:/a.jpg?future=1', undefined],
    ['imageboss://nope/a.jpg', undefined],
    ['imageboss:/a.jpg?w=10&w=10', undefined],
    ['imageboss:/a.jpg?h=10&mode=north', undefined],
    ['imageboss:/a/../b.jpg', undefined],
    ['imageboss:/a//b.jpg', undefined],
    ['imageboss:/a.jpg#x', undefined],
    ['imageboss:/a.jpg?constructor=1', undefined]
  ])('%s', (reference, expected) => {
    expect(fastUrl(fastPathOf(settings), reference)).toBe(expected)
    expect(warmUrl(settings, reference)).toEqual(full(settings, reference))
  })

  it('declines a near-miss path in linear time (no backtracking regex)', () => {
    const path = 'a'.repeat(100_000) + '!'
    expect(fastUrl(fastPathOf(settings), `imageboss:/${path}?w=1`)).toBe(expectedUrl(`/fast/width/1/format:auto,quality:80/${path.replace('!', '%21')}`, 'fast-secret'))
    expect(fastUrl(fastPathOf(settings), `imageboss:/${'a/'.repeat(50_000)}/x`)).toBeUndefined()
  })
})
