import type { Root } from 'hast'
import type { VFile } from 'vfile'
import { createTransform } from '../hast/transform.js'
import type { Context } from './context.js'

/** A rehype plugin (unified attacher) that signs with the Vite plugin's own resolver. */
export type RehypeOfVite = () => (tree: Root, file: VFile) => undefined

/**
 * The rehype plugin of one `imageboss()` call, for Markdown and MDX compiled inside the Vite
 * build (`@mdx-js/rollup`): it signs with the resolver that Vite's config and `.env` made, so
 * a secret in `.env` reaches it (a separate `rehypeImageBoss()` only sees `process.env`), and
 * the build's output check knows the URLs it made. Made on first use: Vite resolves its
 * config before it compiles a module.
 */
export function rehypeOf(context: Context): RehypeOfVite {
  let transform: ((tree: Root, file: VFile) => undefined) | undefined
  return () => (tree, file) => {
    // `@mdx-js/rollup` prints no file messages: in dev too, a file with problems fails (the
    // terminal and the overlay show them), as a module of the Vite plugin does.
    transform ??= createTransform(context.imageboss, undefined, true)
    // A document the plugin's `exclude` (or `include`) leaves alone, as it leaves its other modules.
    if (file.path && !context.accepts(file.path)) return undefined
    return transform(tree, file)
  }
}
