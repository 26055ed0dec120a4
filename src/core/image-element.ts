import { INTRINSIC_SIZE } from './image-attributes.js'
import type { ImageAttributes } from './imageboss.js'

/** Turns a reference into the attributes of its `<img>`; throws `ImageBossError`. */
export type ImageResolver = (reference: string) => ImageAttributes

/** Attributes written beside `src`, in this order: HTML name, and hast/JSX name. */
const ADDED: ReadonlyArray<readonly [keyof ImageAttributes, string]> = [
  ['srcset', 'srcSet'],
  ['sizes', 'sizes'],
  ['width', 'width'],
  ['height', 'height'],
  ['loading', 'loading'],
  ['decoding', 'decoding'],
  ['fetchpriority', 'fetchPriority'],
  ['style', 'style']
]

/** What a `<source>` in a `<picture>` takes: it has no loading hints of its own; its size only with the `dimensions` option. */
const SOURCE_ADDED = new Set<keyof ImageAttributes>(['srcset', 'sizes'])
const SIZED_SOURCE_ADDED = new Set<keyof ImageAttributes>(['srcset', 'sizes', 'width', 'height'])

export interface AddedAttribute {
  /** HTML name (`fetchpriority`). */
  name: string
  /** hast and JSX name (`fetchPriority`). */
  property: string
  value: string
}

/**
 * The attributes to write beside the `src` of an `<img>` (or for a `<source>`), leaving out
 * every one the author wrote: author attributes always win. `has` is asked with the HTML
 * name (lowercase).
 */
export function addedAttributes(attributes: ImageAttributes, element: 'img' | 'source', has: (name: string) => boolean): AddedAttribute[] {
  const added: AddedAttribute[] = []
  // The intrinsic size goes in whole or not at all: an author's `width` alone keeps it out.
  const sized = has('width') || has('height')
  const forSource = (attributes as { [INTRINSIC_SIZE]?: true })[INTRINSIC_SIZE] ? SIZED_SOURCE_ADDED : SOURCE_ADDED
  for (const [name, property] of ADDED) {
    const value = attributes[name]
    if (value === undefined || (element === 'source' && !forSource.has(name)) || has(name)) continue
    if (sized && (name === 'width' || name === 'height')) continue
    added.push({ name, property, value })
  }
  return added
}
