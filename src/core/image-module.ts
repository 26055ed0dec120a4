import type { ImageAttributes } from './image-attributes.js'

/** A value a reference's module exports: a string, a number, or `undefined` where the reference does not ask for it. */
export type ImageModuleValue = string | number | undefined

/**
 * The exports of the module of `import … from 'imageboss:…'`, as every host makes it (a Vite or
 * bundler virtual module, constants written in place where the host resolves no such module):
 * the URL as `src` and as default, and the attributes of an `<img>` for it (`srcset`, `sizes`,
 * `width`, `height`, `undefined` unless the reference asks for them).
 */
export function imageModuleExports(attributes: ImageAttributes): Record<'default' | 'src' | 'srcset' | 'sizes' | 'width' | 'height', ImageModuleValue> {
  const number = (value: string | undefined) => (value === undefined ? undefined : Number(value))
  return {
    default: attributes.src,
    src: attributes.src,
    srcset: attributes.srcset,
    sizes: attributes.sizes,
    width: number(attributes.width),
    height: number(attributes.height)
  }
}

/** A value as JavaScript source. */
export function moduleValueCode(value: ImageModuleValue): string {
  return value === undefined ? 'undefined' : JSON.stringify(value)
}
