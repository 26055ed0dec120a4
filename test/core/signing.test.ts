import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createPathSigner } from '../../src/core/sign.js'
import { createImageBoss, signPath } from '../../src/index.js'

interface Vector {
  id: string
  secret: string
  signedPath: string
  token: string
  valid_for_current_api?: boolean
}

const { vectors } = JSON.parse(readFileSync(new URL('../fixtures/vectors/signing.json', import.meta.url), 'utf8')) as {
  vectors: Vector[]
}
const valid = vectors.filter((v) => v.valid_for_current_api !== false)

describe('signPath', () => {
  it('has the 22 valid vectors to check', () => {
    expect(valid).toHaveLength(22)
  })

  it.each(valid)('$id', (vector) => {
    expect(signPath(vector.secret, vector.signedPath)).toBe(vector.token)
  })

  it.each(valid)('$id, with a signer made once (as the resolver keeps one per source)', (vector) => {
    const sign = createPathSigner(vector.secret)
    expect(sign(vector.signedPath)).toBe(vector.token)
    expect(sign(vector.signedPath)).toBe(vector.token)
  })

  it('signs as node:crypto HMAC does: any secret (longer than a block too), any path (longer than the buffer too), one signer for many paths', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 200 })
    fc.assert(
      fc.property(
        fc.oneof(
          text.filter((s) => s.length > 0),
          fc.string({ minLength: 60, maxLength: 300 })
        ),
        fc.array(fc.oneof(text, fc.string({ minLength: 300, maxLength: 3000 }), fc.string({ unit: 'binary', maxLength: 1200 })), {
          minLength: 1,
          maxLength: 6
        }),
        (secret, paths) => {
          const sign = createPathSigner(secret)
          for (const path of paths) expect(sign(path)).toBe(createHmac('sha256', Buffer.from(secret, 'utf8')).update(path, 'utf8').digest('hex'))
        }
      ),
      { numRuns: 300 }
    )
  })

  it('does not reproduce superseded tokens for the current path shape', () => {
    for (const vector of vectors.filter((v) => v.valid_for_current_api === false)) {
      // These tokens were made over the image path only; they still verify over that path…
      expect(signPath(vector.secret, vector.signedPath)).toBe(vector.token)
      // …but a current URL signs the whole path from the source on, so they never appear.
      expect(vector.signedPath.split('/').length).toBeLessThan(4)
    }
  })
})

// References written by hand so that the package emits exactly a vector's signed path.
const REFERENCES: Record<string, { source: string; reference: string }> = {
  'C-1': { source: 'mysecureimages', reference: 'imageboss:/01.jpg?w=500' },
  'C-2': { source: 'mywebsite', reference: 'imageboss:/assets/img01.jpg?w=100' },
  'C-3': { source: 'myassets', reference: 'imageboss:/assets/img01.jpg?width=100' },
  'T-RAILS-1': { source: 'mywebsite', reference: 'imageboss:/assets/nice.jpg?w=100&h=100' },
  'C-6': { source: 'mywebsite', reference: 'imageboss:/assets/img01.jpg?w=100&h=100&wmk-path=/my/nice/image.jpg' },
  'C-7': { source: 'mywebsite', reference: 'imageboss:/assets/img01.jpg?format=auto' },
  'C-8': { source: 'mywebsite', reference: 'imageboss:/assets/my image (1).jpg?w=100' },
  'C-9': { source: 'mywebsite', reference: 'imageboss:/assets/café/ñandú,1.jpg?w=100' },
  'C-10': { source: 'mywebsite-images', reference: 'imageboss:/examples/02.jpg?w=700&format=auto&blur=4' },
  'C-12': { source: 'mywebsite-images', reference: 'imageboss:/examples/02.jpg?w=700&progressive=false' },
  'C-13': { source: 'mywebsite-images', reference: 'imageboss:/examples/02.jpg?w=700&format=jpeg' },
  'C-14': { source: 'mywebsite-images', reference: 'imageboss:/examples/02.jpg?w=300&h=300' },
  'C-15': { source: 'mywebsite-images', reference: 'imageboss:/examples/02.jpg?w=320&h=320&mode=center' },
  'C-16': { source: 'mywebsite-images', reference: 'imageboss:/examples/02.jpg' },
  'C-17': { source: 'mywebsite-images', reference: 'imageboss:/examples/02.jpg?h=700' },
  'C-18': { source: 'mywebsite-images', reference: 'imageboss:/examples/02.jpg?format=auto' },
  'C-19': { source: 'mysecureimages', reference: 'imageboss:/01.jpg?w=500' },
  'C-20': { source: 'mysecureimages', reference: 'imageboss:/images/img01.jpg?w=100' }
}

describe('createImageBoss against the official clients', () => {
  for (const vector of valid) {
    const entry = REFERENCES[vector.id]
    if (!entry) continue
    it(`${vector.id}: ${entry.reference}`, () => {
      const boss = createImageBoss({ source: entry.source, secret: vector.secret, defaults: {}, env: {} })
      const resolved = boss.resolve(entry.reference)
      expect(resolved.signedPath).toBe(vector.signedPath)
      expect(resolved.url).toBe(`https://img.imageboss.me${vector.signedPath}?bossToken=${vector.token}`)
    })
  }

  it('covers most vectors', () => {
    expect(valid.filter((v) => REFERENCES[v.id]).length).toBeGreaterThanOrEqual(18)
  })
})
