import { fileURLToPath } from 'node:url'

/** Stylesheets Vite compiles, by extension, and the `&lang.css` style blocks of Vue, Svelte and Astro. */
export const CSS_ID_RE = /\.(?:css|scss|sass|less|styl|stylus|pcss|postcss|sss)(?:$|\?)|[?&]lang\.(?:css|scss|sass|less|styl|stylus|pcss|postcss|sss)(?:$|&)/

/** Stylesheet languages where `//` starts a comment. */
const LINE_COMMENT_LANG_RE = /\.(?:scss|sass|less|styl|stylus)(?:$|[?&])/

/** Scripts: plain and TypeScript modules, JSX, and compiled framework components. */
export const SCRIPT_ID_RE = /\.(?:[cm]?[jt]sx?|vue|svelte|astro)(?:$|[?&#])/

/** What is never a script, even when its id looks like one (style blocks, raw text, dependencies). */
export const SCRIPT_EXCLUDE_RE =
  /[?&]type=style(?:$|&)|[?&]lang\.(?:css|scss|sass|less|styl|stylus|pcss|postcss|sss)(?:$|&)|[?&](?:raw|url)(?:$|&)|\/node_modules\//

/**
 * This package's own built files: bundled for the server by the Astro integration, and
 * full of `imageboss:` strings that are code, not references (also when the package is
 * linked from outside `node_modules`).
 */
const OWN_DIST = fileURLToPath(new URL('..', import.meta.url))
export const OWN_DIST_RE = new RegExp('^' + OWN_DIST.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&'))

/** Virtual modules made from `import x from 'imageboss:…'`. */
export const VIRTUAL_ID_RE = /^\0imageboss:/

/** Cheap test for whether a text may hold a reference: also the `code` filter. */
export const REFERENCE_RE = /imageboss:/

export function hasLineComments(id: string): boolean {
  return LINE_COMMENT_LANG_RE.test(id)
}

/** `false` for module ids the script transform must skip (Vite before 6.3 ignores `filter`). */
export function isScript(id: string): boolean {
  return SCRIPT_ID_RE.test(id) && !SCRIPT_EXCLUDE_RE.test(id) && !CSS_ID_RE.test(id) && !OWN_DIST_RE.test(id)
}

/** The file of a module id: without query, hash or the `\0` of virtual modules. */
export function cleanId(id: string): string {
  return id.replace(/[?#].*$/s, '')
}
