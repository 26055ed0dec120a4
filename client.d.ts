/**
 * Types for `import url from 'imageboss:/path.jpg?w=400'` with `imageboss-build/vite`,
 * `imageboss-build/webpack` or `imageboss-build/rspack`.
 * Add `"types": ["imageboss-build/client"]` to `compilerOptions` in `tsconfig.json`,
 * or `/// <reference types="imageboss-build/client" />` to a `.d.ts` file.
 */
declare module 'imageboss:*' {
  /** The signed ImageBoss URL of the reference. */
  const url: string
  export default url
  /** The same URL: the `src` of an `<img>`. */
  export const src: string
  /** A signed `srcset`, when the reference asks for one (`srcset=auto`, `densities=…`). */
  export const srcset: string | undefined
  /** The `sizes` that goes with a `w` srcset. */
  export const sizes: string | undefined
  /** Output width, when the reference sets both `w` and `h`. */
  export const width: number | undefined
  /** Output height, when the reference sets both `w` and `h`. */
  export const height: number | undefined
}
