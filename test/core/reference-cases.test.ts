import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createImageBoss, ImageBossError, type ImageBossOptions } from '../../src/index.js'

interface Case {
  settings: ImageBossOptions
  reference: string
  url: string | null
}

const { cases } = JSON.parse(readFileSync(new URL('../fixtures/vectors/reference-cases.json', import.meta.url), 'utf8')) as {
  cases: Case[]
}

// The rule each rejected case must report (the vectors only say “rejected”).
const RULES: Record<string, string> = {
  'imageboss:/photos/cat.jpg?w=800&w=900': 'conflicting-parameters',
  'imageboss:/photos/cat.jpg?w=800&width=900': 'conflicting-parameters',
  'imageboss:/photos/cat.jpg?quailty=80': 'unknown-parameter',
  'imageboss:/photos/cat.jpg?h=300&mode=face': 'conflicting-parameters',
  'imageboss:/photos/cat.jpg?op=height&w=300': 'conflicting-parameters',
  'imageboss:/photos/cat.jpg?w=10000': 'invalid-value',
  'imageboss:/photos/cat.jpg?quality=0': 'invalid-value',
  'imageboss:/photos/../cat.jpg': 'invalid-path',
  'imageboss:/photos//cat.jpg': 'invalid-path',
  'imageboss:/photos/cat.jpg#top': 'invalid-reference',
  'imageboss:/bad%zz.jpg': 'invalid-path',
  'imageboss://no_good!/x.jpg': 'invalid-reference',
  'imageboss:/photos/cat.jpg?format=tiff': 'invalid-value',
  'imageboss:/photos/cat.jpg?preset=missing': 'unknown-preset'
}

describe('reference cases (independent implementation)', () => {
  it('has all 37 cases', () => {
    expect(cases).toHaveLength(37)
  })

  for (const testCase of cases) {
    it(`${testCase.reference}${testCase.settings.presets ? ' (presets, sources, baseUrl)' : ''}`, () => {
      const boss = createImageBoss({ ...testCase.settings, env: {}, production: true })
      if (testCase.url === null) {
        let caught: unknown
        try {
          boss.url(testCase.reference)
        } catch (error) {
          caught = error
        }
        expect(caught).toBeInstanceOf(ImageBossError)
        expect((caught as ImageBossError).ruleId).toBe(RULES[testCase.reference])
      } else {
        expect(boss.url(testCase.reference)).toBe(testCase.url)
        expect(boss.resolve(testCase.reference).url).toBe(testCase.url)
      }
    })
  }
})
