// The size an ImageBoss image is drawn at, from Astro's props and the reference's own `w`/`h`,
// and its `srcset` candidates. One rule for `src` and every candidate, so that an `<img>` (or
// a `<picture>`) never mixes crops: a browser shows any candidate in place of any other.
// Nothing here imports `astro`: plain numbers in and out.

/** Sides of an image. A missing side is free: the image keeps its own proportions there. */
export interface ImageSize {
  width?: number | undefined
  height?: number | undefined
}

/** One `srcset` candidate: its size and its descriptor (`400w`, `2x`). */
export interface SizedCandidate extends ImageSize {
  descriptor: string
}

/** Breakpoints Astro gives a local service (`LIMITED_RESOLUTIONS` in `astro/dist/assets/layout.js`). */
const LIMITED_RESOLUTIONS = [640, 750, 828, 1080, 1280, 1668, 2048, 2560]

/**
 * The size asked for. A prop always wins. A side no prop gives comes from the reference:
 * scaled to the reference's aspect ratio when the reference has both sides (`w` and `h` name
 * a crop; a prop resizes that crop, as Astro resizes an image of known size), taken as written
 * when the reference has only that side (`?w=400` and `height={300}` make 400×300). No prop at
 * all takes the reference's size as it is.
 */
export function mergeSize(props: ImageSize, reference: ImageSize): ImageSize {
  const { width, height } = props
  const { width: ownWidth, height: ownHeight } = reference
  if (width && height) return { width, height }
  const crop = ownWidth !== undefined && ownHeight !== undefined
  if (width) return sides(width, crop ? scale(width, ownHeight, ownWidth) : ownHeight)
  if (height) return sides(crop ? scale(height, ownWidth, ownHeight) : ownWidth, height)
  return sides(ownWidth, ownHeight)
}

/**
 * `srcset` candidates of an image drawn at `size`, by Astro's rules for which ones (`densities`
 * win over `widths`, `widths` sorted and without repeats), each the same operation as the image
 * itself: with both sides a cover crop of the same aspect ratio, scaled; with a width only, a
 * resize by width; with a height only, a resize by height, so `densities` only (a `w`
 * candidate would resize by width: `validateOptions` rejects `widths` there).
 */
export function srcsetSizes(size: ImageSize, widths: readonly number[] | undefined, densities: readonly (number | string)[] | undefined): SizedCandidate[] {
  const { width, height } = size
  if (densities && densities.length > 0) {
    const values = densities.map((d) => (typeof d === 'number' ? d : Number.parseFloat(d))).sort((a, b) => a - b)
    const result: SizedCandidate[] = []
    for (const density of values) {
      const descriptor = `${density}x`
      if (width) {
        const scaled = Math.round(width * density)
        result.push({ ...sides(scaled, height ? scale(scaled, height, width) : undefined), descriptor })
      } else if (height) {
        result.push({ height: Math.round(height * density), descriptor })
      }
    }
    return result
  }
  if (!width || !widths || widths.length === 0) return []
  return [...new Set(widths)].sort((a, b) => a - b).map((w) => ({ ...sides(w, height ? scale(w, height, width) : undefined), descriptor: `${w}w` }))
}

/** The widths of Astro's `layout` for an image `width` wide (`getWidths` in Astro's `layout.js`). */
export function layoutWidths(width: number, layout: string, breakpoints: readonly number[] | undefined): number[] {
  const points = breakpoints && breakpoints.length > 0 ? breakpoints : LIMITED_RESOLUTIONS
  if (layout === 'full-width') return [...points]
  if (layout === 'fixed') return [width, width * 2]
  if (layout === 'constrained') return [width, width * 2, ...points].filter((w) => w <= width * 2).sort((a, b) => a - b)
  return []
}

/**
 * The `sizes` of Astro's `layout` for an image `width` wide (`getSizesAttribute`); a
 * `full-width` image needs no width for it (an image sized by its height only).
 */
export function layoutSizes(width: number | undefined, layout: string): string | undefined {
  if (layout === 'full-width') return '100vw'
  if (!width) return undefined
  if (layout === 'constrained') return `(min-width: ${width}px) ${width}px, 100vw`
  if (layout === 'fixed') return `${width}px`
  return undefined
}

/** `value × numerator / denominator`, rounded once (never to 0): the other side of a crop. */
function scale(value: number, numerator: number, denominator: number): number {
  return Math.max(1, Math.round((value * numerator) / denominator))
}

function sides(width: number | undefined, height: number | undefined): ImageSize {
  const size: ImageSize = {}
  if (width) size.width = width
  if (height) size.height = height
  return size
}
