/**
 * Types for `import url from 'imageboss:/path.jpg?w=400'` with `imageboss-build/vite`.
 * Add `"types": ["imageboss-build/client"]` to `compilerOptions` in `tsconfig.json`,
 * or `/// <reference types="imageboss-build/client" />` to a `.d.ts` file.
 */
declare module 'imageboss:*' {
  /** The signed ImageBoss URL of the reference. */
  const url: string
  export default url
}
