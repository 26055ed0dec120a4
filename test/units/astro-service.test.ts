// The image service's methods called directly, as Astro's `getImage` calls them (with
// Astro 5's sharp service behind it), and its factory. Expected URLs are signed here with
// node:crypto, never by the package.
import type { ImageTransform } from 'astro'
import { afterEach, describe, expect, it } from 'vitest'
import { createImageBoss } from '../../src/core/imageboss.js'
import { ImageBossError } from '../../src/core/errors.js'
import service from '../../src/astro/service-entry.js'
import { imagebossService, privateOptions, SERVICE_ENTRYPOINT, type ImageBossServiceConfig } from '../../src/astro/service.js'
import { setSharedState } from '../../src/astro/shared.js'
import { expectedUrl } from '../helpers/expected.js'

const SECRET = 'unit-Secret_71ad'
const OTHER_SECRET = 'other-Secret_c0de'

type ImageConfig = Parameters<typeof service.getURL>[1]

function imageConfig(config: ImageBossServiceConfig): ImageConfig {
  return { service: { entrypoint: SERVICE_ENTRYPOINT, config }, domains: [], remotePatterns: [] } as unknown as ImageConfig
}

/** Astro's `getImage` flow for a service: validate, srcset, URL; returns what it would render. */
async function render(options: ImageTransform, config: ImageConfig) {
  const validated = await service.validateOptions!({ ...options }, config)
  const transforms = await service.getSrcSet!(validated, config)
  const src = await service.getURL(validated, config)
  const srcset = await Promise.all(transforms.map(async (t) => `${await service.getURL(t.transform, config)} ${t.descriptor}`))
  const attributes = await service.getHTMLAttributes!(validated, config)
  return { validated, src, srcset, attributes }
}

async function errorOf(run: () => unknown): Promise<Error> {
  try {
    await run()
  } catch (error) {
    return error as Error
  }
  throw new Error('Expected an error')
}

afterEach(() => {
  for (const key of ['test', 'a', 'b']) setSharedState(key, undefined)
})

describe('imagebossService()', () => {
  it('returns the entrypoint and a config without secrets, `env` or `onWarning`', () => {
    const descriptor = imagebossService({
      source: 'site',
      secret: SECRET,
      sources: { other: { secret: OTHER_SECRET }, open: { signed: false } },
      defaults: { format: 'webp' },
      env: { IMAGEBOSS_SECRET_EXTRA: 'from-env-object' },
      onWarning() {}
    })
    expect(descriptor.entrypoint).toBe('imageboss-build/astro/service-entry')
    const { privateOptions: key, ...rest } = descriptor.config
    expect(rest).toEqual({ source: 'site', sources: { other: {}, open: { signed: false } }, defaults: { format: 'webp' } })
    // What Astro writes into the server bundle.
    const json = JSON.stringify(descriptor.config)
    expect(json).not.toContain(SECRET)
    expect(json).not.toContain(OTHER_SECRET)
    expect(json).not.toContain('from-env-object')
    expect(privateOptions(key)?.secret).toBe(SECRET)
  })

  it('keeps the config free of a private key when nothing is private', () => {
    expect(imagebossService().config).toEqual({})
    expect(imagebossService({ source: 'site', baseUrl: 'https://cdn.example.com' }).config).toEqual({ source: 'site', baseUrl: 'https://cdn.example.com' })
  })

  it('rejects bad settings where they are written', () => {
    expect(() => imagebossService({ qualty: 80 } as never)).toThrow(
      /Unexpected option `qualty` for `imagebossService\(\)`, expected a known option such as `quality`|Unexpected option `qualty` for `imagebossService\(\)`/
    )
    const bad = (() => {
      try {
        imagebossService({ defaults: { qualty: 80 } })
      } catch (error) {
        return error
      }
    })()
    expect(bad).toBeInstanceOf(ImageBossError)
    expect((bad as ImageBossError).ruleId).toBe('invalid-option')
    expect(() => imagebossService({ env: { PUBLIC_IMAGEBOSS_SECRET: SECRET } })).toThrow(/exposed-secret|`PUBLIC_IMAGEBOSS_SECRET`/)
  })
})

describe('the service with its own resolver', () => {
  const config = imageConfig(imagebossService({ source: 'site', secret: SECRET, env: {} }).config)

  it('signs the main URL and returns it unchanged from `getURL`, so Astro never downloads it', async () => {
    const { validated, src } = await render({ src: 'imageboss:/a.jpg', width: 800, height: 600 }, config)
    const url = expectedUrl('/site/cover/800x600/format:auto/a.jpg', SECRET)
    expect(validated.src).toBe(url)
    expect(src).toBe(url)
  })

  it('computes `widths` candidates from the reference behind the signed URL', async () => {
    const { srcset, attributes } = await render({ src: 'imageboss:/a.jpg?blur=2', width: 800, height: 600, widths: [1600, 400, 800] }, config)
    expect(srcset).toEqual([400, 800, 1600].map((w) => `${expectedUrl(`/site/cover/${w}x${w * 0.75}/blur:2,format:auto/a.jpg`, SECRET)} ${w}w`))
    expect(attributes).toMatchObject({ width: 800, height: 600, loading: 'lazy', decoding: 'async' })
    expect(attributes).not.toHaveProperty('widths')
  })

  it('scales `densities` candidates, `x` descriptors as Astro writes them', async () => {
    const { srcset } = await render({ src: 'imageboss:/a.jpg', width: 300, height: 200, densities: ['1.5x', 1] }, config)
    expect(srcset).toEqual([
      `${expectedUrl('/site/cover/300x200/format:auto/a.jpg', SECRET)} 1x`,
      `${expectedUrl('/site/cover/450x300/format:auto/a.jpg', SECRET)} 1.5x`
    ])
  })

  it('maps numeric and preset `quality`, and an explicit `format` with its MIME type', async () => {
    const low = await render({ src: 'imageboss:/a.jpg', width: 10, height: 10, quality: 'low' }, config)
    expect(low.src).toBe(expectedUrl('/site/cover/10x10/format:auto,quality:25/a.jpg', SECRET))
    const jpg = await render({ src: 'imageboss:/a.jpg?format=webp', width: 10, height: 10, quality: 61.6, format: 'jpg', widths: [10] }, config)
    expect(jpg.src).toBe(expectedUrl('/site/cover/10x10/format:jpg,quality:62/a.jpg', SECRET))
    const transforms = await service.getSrcSet!(jpg.validated, config)
    expect(transforms.map((t) => t.attributes)).toEqual([{ type: 'image/jpeg' }])
  })

  it('gives `<Picture>`’s default `png` fallback of a JPEG reference its own family, `jpg`; `<Image format="png">` stays `png`', async () => {
    // `<Picture>` calls `getImage` with `widths` and `densities` always (undefined when not given).
    const picture = { width: 200, height: 100, format: 'png', widths: undefined, densities: undefined }
    expect((await render({ src: 'imageboss:/photos/a.JPEG', ...picture }, config)).src).toBe(
      expectedUrl('/site/cover/200x100/format:jpg/photos/a.JPEG', SECRET)
    )
    expect((await render({ src: 'imageboss:/a.jpg?w=9', ...picture }, config)).src).toBe(expectedUrl('/site/cover/200x100/format:jpg/a.jpg', SECRET))
    // A PNG or WebP reference, or one with its own `format`, keeps `png`.
    expect((await render({ src: 'imageboss:/a.png', ...picture }, config)).src).toBe(expectedUrl('/site/cover/200x100/format:png/a.png', SECRET))
    expect((await render({ src: 'imageboss:/a.webp', ...picture }, config)).src).toBe(expectedUrl('/site/cover/200x100/format:png/a.webp', SECRET))
    expect((await render({ src: 'imageboss:/a.jpg?format=webp', ...picture }, config)).src).toBe(expectedUrl('/site/cover/200x100/format:png/a.jpg', SECRET))
    // `<Image>` passes only the props given.
    expect((await render({ src: 'imageboss:/a.jpg', width: 200, height: 100, format: 'png' }, config)).src).toBe(
      expectedUrl('/site/cover/200x100/format:png/a.jpg', SECRET)
    )
  })

  it('writes a `placeholder` of the reference as the element’s background, at the size Astro asks for; the author’s `style` wins', async () => {
    const { src, attributes } = await render({ src: 'imageboss:/p.jpg?placeholder', width: 800, height: 400, alt: 'x' }, config)
    expect(src).toBe(expectedUrl('/site/cover/800x400/format:auto/p.jpg', SECRET))
    expect(attributes.style).toBe(
      `background-image:url(${expectedUrl('/site/cover/16x8/blur:2,format:auto/p.jpg', SECRET)});background-size:cover;background-position:center`
    )
    const color = await render({ src: 'imageboss:/p.jpg?w=300&placeholder=color', alt: 'x' }, config)
    expect(color.attributes.style).toBe(
      `background-image:url(${expectedUrl('/site/width/1/format:auto/p.jpg', SECRET)});background-size:cover;background-position:center`
    )
    const own = await render({ src: 'imageboss:/q.jpg?placeholder', width: 80, height: 40, alt: 'x', style: 'border:0' }, config)
    expect(own.attributes.style).toBe('border:0')
  })

  it('keeps the reference’s `format` when Astro passes none', async () => {
    const { src, srcset } = await render({ src: 'imageboss:/a.jpg?format=avif', width: 100, height: 50, widths: [200] }, config)
    expect(src).toBe(expectedUrl('/site/cover/100x50/format:avif/a.jpg', SECRET))
    expect(srcset).toEqual([`${expectedUrl('/site/cover/200x100/format:avif/a.jpg', SECRET)} 200w`])
  })

  it('keeps the aspect ratio of the reference when one side is given', async () => {
    const { validated, src } = await render({ src: 'imageboss:/a.jpg?w=400&h=300', width: 200 }, config)
    expect([validated.width, validated.height]).toEqual([200, 150])
    expect(src).toBe(expectedUrl('/site/cover/200x150/format:auto/a.jpg', SECRET))
  })

  it('computes layout widths and sizes when the width comes from the reference', async () => {
    const { validated, srcset } = await render({ src: 'imageboss:/a.jpg?w=400&h=200', layout: 'fixed', widths: [], fit: 'cover' }, config)
    expect(validated.sizes).toBe('400px')
    expect(srcset).toEqual([400, 800].map((w) => `${expectedUrl(`/site/cover/${w}x${w / 2}/format:auto/a.jpg`, SECRET)} ${w}w`))
  })

  it('throws an Astro error naming the rule, the reason and the image, never the secret', async () => {
    const error = await errorOf(() => service.validateOptions!({ src: 'imageboss:/a.jpg?qualty=80', width: 10, height: 10 }, config))
    expect(error.message).toBe(
      '[imageboss] unknown-parameter: Unexpected unknown parameter `qualty`, expected a known parameter such as `quality` in the image `imageboss:/a.jpg?qualty=80`'
    )
    expect((error as Error & { hint?: string }).hint).toBe(
      'See https://github.com/imageboss-build/imageboss-build/blob/main/docs/messages.md#unknown-parameter'
    )
    expect(JSON.stringify({ ...error, message: error.message, stack: error.stack })).not.toContain(SECRET)

    const path = await errorOf(() => service.validateOptions!({ src: 'imageboss:/a/../b.jpg', width: 10, height: 10 }, config))
    expect(path.message).toMatch(/^\[imageboss\] invalid-path: .* in the image `imageboss:\/a\/\.\.\/b\.jpg`$/)

    const format = await errorOf(() => service.validateOptions!({ src: 'imageboss:/a.svg', width: 10, height: 10, format: 'svg' }, config))
    expect(format.message).toMatch(/^\[imageboss\] invalid-value: Unexpected value `svg` for `format`/)
    expect(format.message).not.toContain(SECRET)
  })

  it('asks for a size when neither the props nor the reference give one', async () => {
    const error = await errorOf(() => service.validateOptions!({ src: 'imageboss:/a.jpg' }, config))
    expect(error.message).toBe(
      'Missing width and height for the ImageBoss image `imageboss:/a.jpg`, expected `width` or `height` props, or `w` or `h` in the reference'
    )
  })

  it('names the variable to set when a production build has no secret', async () => {
    const production = imageConfig(imagebossService({ source: 'site', env: {}, production: true }).config)
    const error = await errorOf(() => service.validateOptions!({ src: 'imageboss:/a.jpg', width: 1, height: 1 }, production))
    expect(error.message).toMatch(/^\[imageboss\] missing-secret: Missing secret for source `site`, expected the `IMAGEBOSS_SECRET` variable/)
  })

  it('hands every other image to Astro’s sharp service', async () => {
    // Astro's own check for remote images: a sign that sharp's `validateOptions` ran.
    const error = await errorOf(() => service.validateOptions!({ src: 'https://example.com/a.jpg' }, config))
    expect(error.name).toBe('MissingImageDimension')
    const validated = await service.validateOptions!({ src: 'https://example.com/a.jpg', width: 10, height: 10 }, config)
    expect(validated.format).toBe('webp')
    expect(service.transform).toBeTypeOf('function')
  })
})

describe('the service with the integration’s resolver', () => {
  it('prefers the shared resolver and recovers references from the URLs it made', async () => {
    const imageboss = createImageBoss({ source: 'shared', secret: SECRET, env: {} })
    setSharedState('test', { imageboss })
    // A config that would fail on its own: the shared resolver is the one used.
    const config = imageConfig({ source: 'unused', production: true })
    const signedEarlier = imageboss.url('imageboss:/hero.jpg?w=1200&h=800')
    const { src, srcset } = await render({ src: signedEarlier, width: 600, height: 400, densities: [2] }, config)
    expect(src).toBe(expectedUrl('/shared/cover/600x400/format:auto/hero.jpg', SECRET))
    expect(srcset).toEqual([`${expectedUrl('/shared/cover/1200x800/format:auto/hero.jpg', SECRET)} 2x`])
  })

  it("takes the resolver of its own build by the key in its config, never another build's", async () => {
    setSharedState('a', { imageboss: createImageBoss({ source: 'src-a', secret: 'secret-a', env: {} }) })
    setSharedState('b', { imageboss: createImageBoss({ source: 'src-b', secret: 'secret-b', env: {} }) })
    for (const [instance, source, secret] of [
      ['a', 'src-a', 'secret-a'],
      ['b', 'src-b', 'secret-b']
    ] as const) {
      const config = imageConfig({ instance })
      const validated = await service.validateOptions!({ src: 'imageboss:/x.jpg', width: 100, height: 100 }, config)
      expect(await service.getURL(validated, config)).toBe(expectedUrl(`/${source}/cover/100x100/format:auto/x.jpg`, secret))
    }
    // Without a key and with two builds in the process: neither (the service makes its own).
    expect(() => service.validateOptions!({ src: 'imageboss:/x.jpg', width: 100, height: 100 }, imageConfig({ production: true }))).toThrow()
  })

  it('leaves an ImageBoss URL it did not make to Astro, unchanged', async () => {
    setSharedState('test', { imageboss: createImageBoss({ source: 'shared', secret: SECRET, env: {} }) })
    const foreign = 'https://img.imageboss.me/shared/width/100/a.jpg'
    const config = imageConfig({})
    const validated = await service.validateOptions!({ src: foreign, width: 100, height: 100 }, config)
    expect(await service.getURL(validated, config)).toBe(foreign)
  })
})
