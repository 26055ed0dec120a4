// The memos of an instance turn over in two generations of at most `cap` entries each
// (`createMemoised`, internal): with a cap small enough to turn many times, the results are
// those of an instance that never forgets, at most twice the cap is held, and `referenceOf`
// knows every URL still held (the first reference held wins) and none that was dropped.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ImageBossError } from '../../src/core/errors.js'
import { createImageBoss, createMemoised, type ImageBoss, type ImageBossOptions } from '../../src/core/imageboss.js'

const base: ImageBossOptions = { source: 'site', secret: 'memo-secret', defaults: {}, env: {}, production: true }

interface Case {
  settings: ImageBossOptions
  reference: string
  url: string | null
}

const { cases } = JSON.parse(readFileSync(new URL('../fixtures/vectors/reference-cases.json', import.meta.url), 'utf8')) as { cases: Case[] }

/** A small deterministic generator (mulberry32), so that a failure replays. */
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** What a call gives: its value (as JSON), or the rule of the error it threw. */
function outcome(call: () => unknown): string {
  try {
    return JSON.stringify(call())
  } catch (error) {
    if (!(error instanceof ImageBossError)) throw error
    return `error ${error.ruleId} ${error.reason}`
  }
}

/** References with spellings that make the same URL (`w`/`width`), responsive keys, and invalid ones. */
function references(count: number): string[] {
  const out: string[] = []
  for (let i = 0; i < count; i++) {
    out.push(`imageboss:/p/${i % 40}.jpg?${i % 3 === 0 ? 'width' : 'w'}=${10 + (i % 50)}`)
    if (i % 7 === 0) out.push(`imageboss:/r/${i}.jpg?w=100&srcset=100,200`)
    if (i % 11 === 0) out.push(`imageboss:/bad/${i}.jpg?w=0`)
  }
  return out
}

type Method = 'url' | 'resolve' | 'image' | 'referenceOf'
const METHODS: Method[] = ['url', 'resolve', 'image', 'referenceOf']

function call(boss: ImageBoss, method: Method, reference: string, oracle: ImageBoss): unknown {
  if (method !== 'referenceOf') return boss[method](reference)
  // Asked with a URL that the reference makes: the answer is that reference's URL, or nothing.
  let made: string
  try {
    made = oracle.url(reference)
  } catch {
    return undefined
  }
  const answer = boss.referenceOf(made)
  return answer === undefined ? undefined : oracle.url(answer)
}

describe('memo turned over in two generations', () => {
  it('gives the vectors whatever the cap', () => {
    for (const cap of [1, 2, 3, 5]) {
      const bosses = new Map<string, ReturnType<typeof createMemoised>>()
      for (let pass = 0; pass < 3; pass++) {
        for (const testCase of cases) {
          const key = JSON.stringify(testCase.settings)
          let memoised = bosses.get(key)
          if (memoised === undefined) {
            memoised = createMemoised({ ...testCase.settings, env: {}, production: true }, true, cap)
            bosses.set(key, memoised)
          }
          const { boss, held } = memoised
          if (testCase.url === null) {
            expect(outcome(() => boss.url(testCase.reference))).toMatch(/^error /)
          } else {
            expect(boss.url(testCase.reference)).toBe(testCase.url)
            expect(boss.resolve(testCase.reference).url).toBe(testCase.url)
            const back = boss.referenceOf(testCase.url)
            if (back !== undefined) expect(boss.url(back)).toBe(testCase.url)
          }
          expect(held()).toBeLessThanOrEqual(2 * cap)
        }
      }
    }
  })

  it('answers as an instance that never forgets, holding at most twice the cap', () => {
    const pool = references(300)
    for (const [cap, seed] of [
      [1, 1],
      [4, 2],
      [16, 3],
      [64, 4]
    ] as const) {
      const next = random(seed)
      const oracle = createImageBoss(base)
      const { boss, held } = createMemoised(base, true, cap)
      let most = 0
      for (let step = 0; step < 4000; step++) {
        // Mostly the recent part of the pool (a build's repeats), now and then anywhere.
        const index = next() < 0.7 ? Math.floor(next() * Math.min(pool.length, 20 + step / 10)) : Math.floor(next() * pool.length)
        const reference = pool[index] as string
        const method = METHODS[Math.floor(next() * METHODS.length)] as Method
        const got = outcome(() => call(boss, method, reference, oracle))
        if (method === 'referenceOf') {
          // Forgotten, or a reference that makes that URL: never another one.
          if (got !== undefined) expect(got).toBe(outcome(() => oracle.url(reference)))
        } else {
          expect(got, `${method} ${reference}`).toBe(outcome(() => call(oracle, method, reference, oracle)))
        }
        most = Math.max(most, held())
        expect(held()).toBeLessThanOrEqual(2 * cap)
      }
      // Both generations were in use (with a cap of 1, the newer one turns as soon as it holds one).
      expect(most).toBe(Math.max(1, 2 * cap - 1))
    }
  })

  it('knows the URLs of the last `cap` entries, and none of those dropped', () => {
    const cap = 8
    const oracle = createImageBoss(base)
    const { boss, held } = createMemoised(base, true, cap)
    const made: string[] = []
    for (let i = 0; i < 100; i++) {
      const reference = `imageboss:/d/${i}.jpg`
      made.push(boss.url(reference))
      for (let j = 0; j <= i; j++) {
        const answer = boss.referenceOf(made[j] as string)
        if (j > i - cap) expect(answer).toBe(`imageboss:/d/${j}.jpg`)
        else if (j <= i - 2 * cap) expect(answer).toBeUndefined()
        else if (answer !== undefined) expect(answer).toBe(`imageboss:/d/${j}.jpg`)
      }
      expect(held()).toBeLessThanOrEqual(2 * cap)
    }
    // A URL dropped from the memo is still made right when asked again.
    expect(boss.url('imageboss:/d/0.jpg')).toBe(oracle.url('imageboss:/d/0.jpg'))
    expect(boss.referenceOf(made[0] as string)).toBe('imageboss:/d/0.jpg')
  })

  it('keeps what a build keeps asking for: a hit in the older generation is carried into the newer', () => {
    const cap = 4
    const { boss } = createMemoised(base, true, cap)
    const kept = boss.url('imageboss:/kept.jpg')
    for (let i = 0; i < 50; i++) {
      boss.url(`imageboss:/filler/${i}.jpg`)
      boss.url('imageboss:/kept.jpg')
      expect(boss.referenceOf(kept)).toBe('imageboss:/kept.jpg')
    }
  })

  it('lets the first reference held for a URL win', () => {
    const cap = 4
    const first = 'imageboss:/same.jpg?w=10'
    const second = 'imageboss:/same.jpg?width=10'
    const fill = (boss: ImageBoss, from: number, count: number) => {
      for (let i = from; i < from + count; i++) boss.url(`imageboss:/fill/${i}.jpg`)
    }

    // Both in the same generation, and then in the older one.
    let { boss } = createMemoised(base, true, cap)
    const made = boss.url(first)
    expect(boss.url(second)).toBe(made)
    expect(boss.referenceOf(made)).toBe(first)
    fill(boss, 0, 2)
    expect(boss.referenceOf(made)).toBe(first)

    // The first in the older generation, the second in the newer: the older wins.
    ;({ boss } = createMemoised(base, true, cap))
    boss.url(first)
    fill(boss, 0, 3)
    boss.url(second)
    expect(boss.referenceOf(made)).toBe(first)
    // Once the first is dropped, the second (still held) answers; then neither.
    fill(boss, 10, 4)
    expect(boss.referenceOf(made)).toBe(second)
    fill(boss, 20, 8)
    expect(boss.referenceOf(made)).toBeUndefined()

    // `image()` and `resolve()` pairs take their turn in the order they were made.
    ;({ boss } = createMemoised(base, true, cap))
    const { src } = boss.image(second)
    boss.url(first)
    expect(boss.referenceOf(src)).toBe(second)
    fill(boss, 0, 8)
    expect(boss.referenceOf(src)).toBeUndefined()
    boss.resolve(first)
    boss.image(second)
    expect(boss.referenceOf(src)).toBe(first)
  })
})
