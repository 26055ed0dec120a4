// The content-collection schema `imagebossImage()` parsed with Astro 5's zod, as a collection
// loads, with a resolver in the integration's shared slot. Expected URLs are signed here with
// node:crypto, never by the package.
import { z } from 'astro/zod'
import { afterEach, describe, expect, it } from 'vitest'
import { imagebossImage } from '../../src/astro/content.js'
import { newInstanceKey, setSharedState } from '../../src/astro/shared.js'
import { createImageBoss } from '../../src/core/imageboss.js'
import { expectedUrl } from '../helpers/expected.js'
import { secretForms } from '../helpers/secret-forms.js'

const SOURCE = 'content-src'
const SECRET = 'content-Secret_5b2e'
const url = (signedPath: string) => expectedUrl(`/${SOURCE}${signedPath}`, SECRET)

let instance: string | undefined

function withIntegration(production = true): void {
  instance = newInstanceKey()
  setSharedState(instance, { imageboss: createImageBoss({ source: SOURCE, secret: SECRET, production, env: {} }) })
}

afterEach(() => {
  if (instance !== undefined) setSharedState(instance, undefined)
  instance = undefined
})

/** The messages of the issues a value raises. */
async function issues(schema: z.ZodTypeAny, value: unknown): Promise<string[]> {
  const parsed = await schema.safeParseAsync(value)
  expect(parsed.success).toBe(false)
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
}

describe('imagebossImage()', () => {
  it('gives the signed URL of a reference, inside the user’s own schema', async () => {
    withIntegration()
    const schema = z.object({ title: z.string(), cover: imagebossImage() })
    const data = await schema.parseAsync({ title: 'Morning', cover: 'imageboss:/photos/harbour.jpg?w=1200&h=500' })
    expect(data).toEqual({ title: 'Morning', cover: url('/cover/1200x500/format:auto/photos/harbour.jpg') })
  })

  it('gives the `<img>` attributes with `{ attributes: true }`', async () => {
    withIntegration()
    const photo = await imagebossImage({ attributes: true }).parseAsync('imageboss:/photos/quay.jpg?w=400&h=300&srcset=400,800')
    expect(photo).toEqual({
      src: url('/cover/400x300/format:auto/photos/quay.jpg'),
      srcset: `${url('/cover/400x300/format:auto/photos/quay.jpg')} 400w, ${url('/cover/800x600/format:auto/photos/quay.jpg')} 800w`,
      sizes: '(min-width: 400px) 400px, 100vw',
      width: '400',
      height: '300',
      loading: 'lazy',
      decoding: 'async'
    })
    // Plain `{ src }` for a reference without responsive keys.
    expect(await imagebossImage({ attributes: true }).parseAsync('imageboss:/a.jpg?w=300')).toEqual({ src: url('/width/300/format:auto/a.jpg') })
  })

  it('composes: `.optional()` and `.array()` work as with any zod schema', async () => {
    withIntegration()
    const schema = z.object({ cover: imagebossImage().optional(), gallery: imagebossImage().array() })
    expect(await schema.parseAsync({ gallery: ['imageboss:/a.jpg?w=300'] })).toEqual({ gallery: [url('/width/300/format:auto/a.jpg')] })
  })

  it('passes the URL of an image hosted elsewhere through with `otherUrls`, and nothing else', async () => {
    withIntegration()
    const other = 'https://images.example.com/a.jpg?w=300'
    expect(await imagebossImage({ otherUrls: true }).parseAsync(other)).toBe(other)
    expect(await imagebossImage({ otherUrls: true, attributes: true }).parseAsync(other)).toEqual({ src: other })
    // A reference is still signed, and still checked.
    expect(await imagebossImage({ otherUrls: true }).parseAsync('imageboss:/a.jpg?w=300')).toBe(url('/width/300/format:auto/a.jpg'))
    expect((await issues(imagebossImage({ otherUrls: true }), 'imageboss:/a.jpg?w=wide'))[0]).toMatch(/^: \[imageboss\] invalid-value: /)
    for (const value of ['/photos/cat.jpg', 'imagebos:/photos/cat.jpg', 'ftp://example.com/a.jpg']) {
      expect((await issues(imagebossImage({ otherUrls: true }), value))[0], value).toContain('or an `http:` or `https:` URL')
    }
    // Without it, the message says how to allow one.
    expect((await issues(imagebossImage(), other))[0]).toContain('`imagebossImage({ otherUrls: true })`')
  })

  it('turns an invalid reference into an issue with the rule id and the reason, never the secret', async () => {
    withIntegration()
    const schema = z.object({ cover: imagebossImage() })
    const found = await issues(schema, { cover: 'imageboss:/photos/cat.jpg?w=400&qualty=80' })
    expect(found).toHaveLength(1)
    expect(found[0]).toMatch(/^cover: \[imageboss\] unknown-parameter: Unexpected unknown parameter `qualty`, expected a known parameter such as `quality`/)
    expect(found[0]).toContain('imageboss:/photos/cat.jpg?w=400&qualty=80')
    for (const form of secretForms(SECRET)) expect(found[0]).not.toContain(form)
  })

  it('fails a production build without the secret (`missing-secret`), the variable named', async () => {
    instance = newInstanceKey()
    setSharedState(instance, { imageboss: createImageBoss({ source: SOURCE, production: true, env: {} }) })
    const [message] = await issues(imagebossImage(), 'imageboss:/a.jpg?w=300')
    expect(message).toMatch(/^: \[imageboss\] missing-secret: .*`IMAGEBOSS_SECRET`/)
  })

  it('rejects a value that is not a reference rather than let it through unsigned', async () => {
    withIntegration()
    for (const value of ['/photos/cat.jpg?w=400', 'imagebos:/photos/cat.jpg', 'https://img.imageboss.me/x/width/400/cat.jpg']) {
      const [message] = await issues(imagebossImage(), value)
      expect(message, value).toMatch(/^: \[imageboss\] invalid-reference: Unexpected value `.*`, expected an `imageboss:` reference/)
    }
    expect(await issues(imagebossImage(), 42)).toHaveLength(1)
  })

  it('says so when the integration is not in the site (no resolver to sign with)', async () => {
    const [message] = await issues(imagebossImage(), 'imageboss:/a.jpg?w=300')
    expect(message).toContain('Missing the `imageboss()` integration')
  })

  it('finds the resolver of the one build when the bundled key is unknown, and none among several', async () => {
    withIntegration()
    const second = newInstanceKey()
    setSharedState(second, { imageboss: createImageBoss({ source: 'other', secret: 'other-Secret_1234', env: {} }) })
    try {
      // Two builds in one process, and code that no build bundled: never another build's resolver.
      expect((await issues(imagebossImage(), 'imageboss:/a.jpg?w=300'))[0]).toContain('Missing the `imageboss()` integration')
    } finally {
      setSharedState(second, undefined)
    }
    expect(await imagebossImage().parseAsync('imageboss:/a.jpg?w=300')).toBe(url('/width/300/format:auto/a.jpg'))
  })
})
