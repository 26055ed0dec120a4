import { withoutFrames } from '../core/errors.js'
import { prefixed, presentProblems } from '../core/problems.js'
import { useSigningRule } from '../markdown/rule.js'
import type { MarkdownIt } from '../markdown/types.js'
import type { Context } from './context.js'

/** A markdown-it plugin (`md.use(plugin)`) that signs with the Vite plugin's own resolver. */
export type MarkdownItOfVite = (md: MarkdownIt) => void

/**
 * The markdown-it plugin of one `imageboss()` call, for the Markdown VitePress renders inside
 * the Vite build (`markdown: { config: (md) => md.use(images.markdownIt) }`): one setup for
 * the pages and everything else. It signs with the resolver that Vite's config and `.env`
 * (the Vite root's: VitePress's `srcDir`) made, pages' front matter included, and reports as
 * the Vite plugin does: each problem a warning in `vitepress dev` (the reference left as
 * written), every problem of a page in the error that fails `vitepress build`.
 */
export function markdownItOf(context: Context): MarkdownItOfVite {
  return (md) =>
    useSigningRule(md, {
      // Vite resolves its config before VitePress renders a page.
      signer: () => context.imageboss,
      report(problems) {
        // Relative to where the build runs, as the pages are named on the command line.
        const error = presentProblems(problems, { production: context.production, root: process.cwd(), warn: (line) => context.logger.warn(prefixed(line)) })
        if (error) throw withoutFrames(error)
      }
    })
}
