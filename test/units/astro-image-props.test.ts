// How `<Image>`/`<Picture>` props merge with a reference's own `w`/`h`: every combination, run
// through Astro's real `getImage` (Astro 5, in process) with this package's image service.
// Expected sizes are written by hand, candidates computed here from the documented rule, URLs
// signed with node:crypto (test/helpers/expected.ts): nothing comes from src/.
import type { ImageTransform } from 'astro'
import { getImage } from 'astro/assets'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import service from '../../src/astro/service-entry.js'
import { imagebossService, SERVICE_ENTRYPOINT } from '../../src/astro/service.js'
import { expectedUrl } from '../helpers/expected.js'

const SECRET = 'props-Secret_4e0b'

/** The error for `widths` on an image sized by its height alone. */
const WIDTHS_NEED_WIDTH = (src: string, layout: string) =>
  `Unexpected \`widths\`${layout} for the ImageBoss image \`${src}\` sized by its height alone, expected a \`width\` prop or \`w\` in the reference, or \`densities\``
const IMAGE_CONFIG = {
  service: { entrypoint: SERVICE_ENTRYPOINT, config: imagebossService({ source: 'site', secret: SECRET, env: {} }).config },
  domains: [],
  remotePatterns: []
}

/** Astro's breakpoints for a local service (`LIMITED_RESOLUTIONS`), as its docs list them. */
const BREAKPOINTS = [640, 750, 828, 1080, 1280, 1668, 2048, 2560]

type Size = { width?: number; height?: number }

/** A reference's own size (`?w=400&h=300`), and the props given with it. */
const REFERENCES: Record<string, string> = { none: '', w: '?w=400', h: '?h=300', both: '?w=400&h=300' }
const PROPS: Record<string, Size> = { none: {}, width: { width: 200 }, height: { height: 100 }, both: { width: 200, height: 100 } }

/**
 * The size the `<img>` is drawn at, by reference and props, written out from the README's rule:
 * a prop wins; a missing side comes from the reference, scaled to its `w`:`h` when it has both,
 * as written when it has only that side. `undefined`: Astro cannot know the size, an error.
 */
const SIZES: Record<string, Record<string, Size | undefined>> = {
  none: { none: undefined, width: { width: 200 }, height: { height: 100 }, both: { width: 200, height: 100 } },
  w: { none: { width: 400 }, width: { width: 200 }, height: { width: 400, height: 100 }, both: { width: 200, height: 100 } },
  h: { none: { height: 300 }, width: { width: 200, height: 300 }, height: { height: 100 }, both: { width: 200, height: 100 } },
  // 400×300 is 4:3: 200 wide is 150 high, 100 high is 133.3 → 133 wide.
  both: { none: { width: 400, height: 300 }, width: { width: 200, height: 150 }, height: { width: 133, height: 100 }, both: { width: 200, height: 100 } }
}

/** `srcset` props: none, `widths`, `densities`, and both (Astro takes `densities` for a remote image). */
const DESCRIPTORS: Record<string, Pick<ImageTransform, 'widths' | 'densities'>> = {
  none: {},
  widths: { widths: [300, 100, 300] },
  densities: { densities: [2, '1.5x'] },
  'widths and densities': { widths: [300, 100], densities: [2, '1.5x'] }
}

/** The signed path of an image of `size` (a cover crop with both sides, else a resize). */
function signedPath(size: Size, format = 'auto'): string {
  const options = `format:${format}`
  if (size.width && size.height) return `/site/cover/${size.width}x${size.height}/${options}/a.jpg`
  if (size.width) return `/site/width/${size.width}/${options}/a.jpg`
  return `/site/height/${size.height}/${options}/a.jpg`
}

/** The candidates of an image of `size`: the same operation and crop, scaled. */
function candidates(size: Size, descriptors: Pick<ImageTransform, 'widths' | 'densities'>): Array<[Size, string]> {
  const { width, height } = size
  const other = (w: number) => (width && height ? { height: Math.round((w * height) / width) } : {})
  if (descriptors.densities) {
    const values = descriptors.densities.map((d) => (typeof d === 'number' ? d : Number.parseFloat(d))).sort((a, b) => a - b)
    return values.map((d) => {
      if (!width) return [{ height: Math.round((height ?? 0) * d) }, `${d}x`]
      const w = Math.round(width * d)
      return [{ width: w, ...other(w) }, `${d}x`]
    })
  }
  const widths = [...new Set(descriptors.widths ?? [])].sort((a, b) => a - b)
  return widths.map((w) => [{ width: w, ...other(w) }, `${w}w`])
}

/** The operation of a URL (`cover`, `width`, `height`) and its size. */
function cropOf(url: string): { operation: string; width?: number; height?: number } {
  const match = /^https:\/\/img\.imageboss\.me\/site\/(cover|width|height)\/(\d+)(?:x(\d+))?\//.exec(url)
  if (!match) throw new Error(`Not a URL of the test source: ${url}`)
  const [, operation = '', first = '', second] = match
  if (operation === 'cover') return { operation, width: Number(first), height: Number(second) }
  return { operation }
}

/** Every URL is one crop: the same operation and, for `cover`, the same aspect ratio (within rounding). */
function expectOneCrop(urls: string[]): void {
  const crops = urls.map(cropOf)
  const first = crops[0]
  if (!first) return
  for (const crop of crops) {
    expect(crop.operation, urls.join('\n')).toBe(first.operation)
    if (!first.width || !first.height || !crop.width || !crop.height) continue
    // The candidate's height is its width at the first's ratio, rounded once.
    expect(Math.abs(crop.height - (crop.width * first.height) / first.width), urls.join('\n')).toBeLessThanOrEqual(0.5)
  }
}

async function image(options: Record<string, unknown>) {
  return getImage(options as never, IMAGE_CONFIG as never)
}

let previous: unknown
beforeAll(() => {
  // `getImage` takes the service from here once it is set (Astro sets it from `virtual:image-service`).
  const global = globalThis as { astroAsset?: unknown }
  previous = global.astroAsset
  global.astroAsset = { imageService: service }
})
afterAll(() => {
  ;(globalThis as { astroAsset?: unknown }).astroAsset = previous
})

const rows = Object.keys(REFERENCES).flatMap((reference) =>
  Object.keys(PROPS).flatMap((props) => Object.keys(DESCRIPTORS).map((descriptors) => ({ reference, props, descriptors })))
)

describe('`<Image>` props and the reference’s own `w`/`h`', () => {
  it.each(rows)('reference $reference, props $props, $descriptors', async ({ reference, props, descriptors }) => {
    const options = { src: `imageboss:/a.jpg${REFERENCES[reference]}`, alt: '', ...PROPS[props], ...DESCRIPTORS[descriptors] }
    const size = SIZES[reference]?.[props]
    if (size === undefined) {
      await expect(image(options)).rejects.toThrow(/^Missing width and height for the ImageBoss image `imageboss:\/a\.jpg`/)
      return
    }
    if (!size.width && descriptors === 'widths') {
      // A `w` candidate would be a resize by width, `src` one by height: two operations.
      await expect(image(options)).rejects.toThrow(WIDTHS_NEED_WIDTH(options.src, ''))
      return
    }
    const result = await image(options)
    expect(result.src).toBe(expectedUrl(signedPath(size), SECRET))
    const expected = candidates(size, DESCRIPTORS[descriptors] ?? {})
    expect(result.srcSet.attribute).toBe(expected.map(([s, d]) => `${expectedUrl(signedPath(s), SECRET)} ${d}`).join(', '))
    expect([result.attributes.width, result.attributes.height]).toEqual([size.width, size.height])
    expectOneCrop([result.src, ...result.srcSet.values.map((v) => v.url)])
  })

  it.each(
    rows.filter(
      (row) => row.descriptors !== 'none' && SIZES[row.reference]?.[row.props] && (row.descriptors !== 'widths' || SIZES[row.reference]?.[row.props]?.width)
    )
  )('`<Picture>` format: reference $reference, props $props, $descriptors', async ({ reference, props, descriptors }) => {
    // `<Picture>` calls `getImage` once per format with the same props.
    const size = SIZES[reference]?.[props] ?? {}
    const result = await image({ src: `imageboss:/a.jpg${REFERENCES[reference]}`, alt: '', format: 'avif', ...PROPS[props], ...DESCRIPTORS[descriptors] })
    expect(result.src).toBe(expectedUrl(signedPath(size, 'avif'), SECRET))
    const expected = candidates(size, DESCRIPTORS[descriptors] ?? {})
    expect(result.srcSet.values.map((v) => `${v.url} ${v.descriptor}`)).toEqual(expected.map(([s, d]) => `${expectedUrl(signedPath(s, 'avif'), SECRET)} ${d}`))
    expect(result.srcSet.values.map((v) => v.attributes)).toEqual(expected.map(() => ({ type: 'image/avif' })))
  })
})

/** Astro's widths and `sizes` for a `layout`, from its documentation; without a width, only `full-width` has them. */
function layoutOf(width: number | undefined, layout: string): { widths: number[]; sizes?: string } {
  if (layout === 'full-width') return { widths: BREAKPOINTS, sizes: '100vw' }
  if (!width) return { widths: [] }
  if (layout === 'fixed') return { widths: [width, width * 2], sizes: `${width}px` }
  const widths = [...new Set([width, width * 2, ...BREAKPOINTS])].filter((w) => w <= width * 2).sort((a, b) => a - b)
  return { widths, sizes: `(min-width: ${width}px) ${width}px, 100vw` }
}

const layoutRows = Object.keys(REFERENCES).flatMap((reference) =>
  Object.keys(PROPS)
    .filter((props) => SIZES[reference]?.[props])
    .flatMap((props) => ['constrained', 'fixed', 'full-width'].map((layout) => ({ reference, props, layout })))
)

describe('`layout` with the reference’s own `w`/`h`', () => {
  it.each(layoutRows)('reference $reference, props $props, layout $layout', async ({ reference, props, layout }) => {
    const size = SIZES[reference]?.[props] ?? {}
    // `<Image>` sets `fit: 'cover'` for a layout.
    const options = { src: `imageboss:/a.jpg${REFERENCES[reference]}`, alt: '', layout, fit: 'cover', ...PROPS[props] }
    const { widths, sizes } = layoutOf(size.width, layout)
    if (!size.width && widths.length > 0) {
      await expect(image(options)).rejects.toThrow(WIDTHS_NEED_WIDTH(options.src, ` (from \`layout="${layout}"\`)`))
      return
    }
    const result = await image(options)
    expect(result.src).toBe(expectedUrl(signedPath(size), SECRET))
    expect(result.srcSet.attribute).toBe(
      candidates(size, { widths })
        .map(([s, d]) => `${expectedUrl(signedPath(s), SECRET)} ${d}`)
        .join(', ')
    )
    expect(result.attributes.sizes).toBe(sizes)
    expectOneCrop([result.src, ...result.srcSet.values.map((v) => v.url)])
  })
})

describe('the user’s report', () => {
  it('keeps `?w=400` with `height={300}`: one 400×300 crop for `src` and every `widths` candidate', async () => {
    const result = await image({ src: 'imageboss:/b1.jpg?w=400', height: 300, widths: [400, 800], alt: '' })
    const cover = (w: number, h: number) => expectedUrl(`/site/cover/${w}x${h}/format:auto/b1.jpg`, SECRET)
    expect(result.src).toBe(cover(400, 300))
    expect(result.srcSet.attribute).toBe(`${cover(400, 300)} 400w, ${cover(800, 600)} 800w`)
  })

  it('completes a reference that needs the side a prop brings (`?w=400&mode=face` and `height`)', async () => {
    const result = await image({ src: 'imageboss:/a.jpg?w=400&mode=face', height: 300, densities: [2], alt: '' })
    expect(result.src).toBe(expectedUrl('/site/cover:face/400x300/format:auto/a.jpg', SECRET))
    expect(result.srcSet.attribute).toBe(`${expectedUrl('/site/cover:face/800x600/format:auto/a.jpg', SECRET)} 2x`)
  })

  it('takes a preset’s `w`/`h` as the reference’s own', async () => {
    const config = {
      ...IMAGE_CONFIG,
      service: {
        entrypoint: SERVICE_ENTRYPOINT,
        config: imagebossService({ source: 'site', secret: SECRET, env: {}, presets: { card: { w: 400, h: 300 } } }).config
      }
    }
    const result = await getImage({ src: 'imageboss:/a.jpg?preset=card', width: 200, alt: '' } as never, config as never)
    expect(result.src).toBe(expectedUrl('/site/cover/200x150/format:auto/a.jpg', SECRET))
  })
})
