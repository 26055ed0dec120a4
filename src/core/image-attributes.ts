import { ImageBossError } from './errors.js'
import type { CheckedOptions } from './options.js'
import type { Plan } from './plan.js'
import { autoWidths, defaultSizes, type ResponsiveKey } from './responsive.js'
import { densityVariant, widthVariant, writeUrl } from './url.js'

/** The attributes of an `<img>` written for a reference (those that apply). */
export interface ImageAttributes {
  src: string
  srcset?: string
  sizes?: string
  width?: string
  height?: string
  loading?: 'lazy' | 'eager'
  decoding?: 'async'
  fetchpriority?: 'high'
  /** The placeholder (`placeholder`): a tiny variant of the image as the element's background. */
  style?: string
}

/** The width of a `placeholder=blur` variant, and the blur added to it: small, and smooth when the browser scales it up. */
const BLUR_WIDTH = 16
const BLUR = '2'

/**
 * Marks attributes whose `width` and `height` are the image's own size (the `dimensions`
 * option): a `<source>` takes them too. Not enumerable: `image()`'s result reads as before.
 */
export const INTRINSIC_SIZE: unique symbol = Symbol('imageboss-build intrinsic size')

/**
 * Whether a plan fixes both sides of the image it asks for: a `cover` crop (not `inside`,
 * which fits the image inside the box), which `withoutEnlargement` does not let shrink.
 */
function fixesBothSides(planned: Plan): boolean {
  return planned.operation === 'cover' && planned.size.mode !== 'inside' && planned.options.withoutEnlargement !== 'true'
}

/** The `<img>` attributes of a plan: its URL, and the responsive ones it asks for. */
export function imageAttributes(checked: CheckedOptions, planned: Plan): ImageAttributes {
  const { baseUrl, responsive: global } = checked
  const own = planned.responsive
  const at = (key: ResponsiveKey) => ({ offset: planned.responsiveOffsets[key], reference: planned.reference })
  if (own.srcset !== undefined && own.densities !== undefined) {
    throw new ImageBossError('conflicting-parameters', 'Unexpected `densities` with `srcset`, expected one of them', at('densities'))
  }
  const srcset = own.srcset ?? (own.densities === undefined ? global.request.srcset : undefined)
  const densities = own.densities ?? (own.srcset === undefined && srcset === undefined ? global.request.densities : undefined)
  const width = planned.size.width === undefined ? undefined : Number(planned.size.width)
  const height = planned.size.height === undefined ? undefined : Number(planned.size.height)

  const attributes: ImageAttributes = { src: writeUrl(baseUrl, planned, planned).url }
  if (srcset !== undefined) {
    if (planned.operation === 'height') {
      // The `responsive` option skips such images; a reference asking for it is wrong.
      if (own.srcset !== undefined) {
        throw new ImageBossError(
          'conflicting-parameters',
          'Unexpected `srcset` with operation `height`, expected `densities` for an image of a fixed height',
          at('srcset')
        )
      }
    } else {
      const widths = srcset === 'auto' ? autoWidths(width, global.breakpoints) : srcset
      attributes.srcset = widths.map((w) => `${writeUrl(baseUrl, planned, widthVariant(planned, w, width, height)).url} ${w}w`).join(', ')
      attributes.sizes = own.sizes ?? global.request.sizes ?? defaultSizes(width)
    }
  } else if (densities !== undefined) {
    if (planned.options.dpr !== undefined) {
      throw new ImageBossError('conflicting-parameters', 'Unexpected `densities` with `dpr`, expected one of them', at('densities'))
    }
    attributes.srcset = densities.map((d) => `${writeUrl(baseUrl, planned, densityVariant(planned, d)).url} ${d}x`).join(', ')
    if (own.sizes !== undefined) attributes.sizes = own.sizes
  } else if (own.sizes !== undefined) {
    attributes.sizes = own.sizes
  }

  const responsive = attributes.srcset !== undefined || own.priority === true
  const intrinsic = checked.writeDimensions && fixesBothSides(planned)
  if ((responsive || intrinsic) && width !== undefined && height !== undefined) {
    attributes.width = String(width)
    attributes.height = String(height)
    if (intrinsic) Object.defineProperty(attributes, INTRINSIC_SIZE, { value: true })
  }
  if (own.placeholder !== undefined) attributes.style = placeholderStyle(baseUrl, planned, own.placeholder, width, height)
  if (own.priority) {
    attributes.loading = 'eager'
    attributes.fetchpriority = 'high'
  } else if (responsive && checked.writeAttributes) {
    attributes.loading = 'lazy'
    attributes.decoding = 'async'
  }
  return attributes
}

/**
 * The CSS that shows a tiny variant of the image behind the element while it loads: the same
 * source, path and options, 16 px wide with `blur:2` (`blur`) or 1 px wide (`color`: one
 * colour), the crop's shape kept for a `cover`; signed like any URL. The URL needs no quotes:
 * its path is percent-encoded, with no space, quote or parenthesis left.
 */
function placeholderStyle(baseUrl: string, planned: Plan, kind: 'blur' | 'color', width: number | undefined, height: number | undefined): string {
  const variant = widthVariant(planned, kind === 'blur' ? BLUR_WIDTH : 1, width, height)
  // A crop much wider than high keeps a height of at least 1.
  if (variant.size.height === '0') variant.size = { ...variant.size, height: '1' }
  if (kind === 'blur') variant.options = { ...variant.options, blur: BLUR }
  return `background-image:url(${writeUrl(baseUrl, planned, variant).url});background-size:cover;background-position:center`
}
