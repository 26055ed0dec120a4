import { ImageBossError, withoutFrames } from '../core/errors.js'
import type { ImageBossOptions } from '../core/imageboss.js'
import { loadProjectSync } from '../core/project.js'
import { errorFromProblems, PREFIX, prefixed, presentProblems, type Problem } from '../core/problems.js'
import { useSigningRule } from '../markdown/rule.js'
import type { MarkdownIt } from '../markdown/types.js'

/**
 * Configuration: the options shared by every entry point of `imageboss-build`
 * (`source`, `secret`, `sources`, `baseUrl`, `defaults`, `presets`, `extraOptions`, `env`,
 * `production`, `onWarning`, `responsive`, `attributes`), which win over those of the
 * nearest `imageboss.config.{js,mjs,json}` from the current directory, key by key.
 *
 * A document with any problem (a missing secret too) fails to render, unless told it runs in
 * development (`production: false`, or `NODE_ENV === 'development'`, which `vitepress dev`
 * gets from Vite): then each problem is a warning (passed to `onWarning` when given, else
 * printed) and its reference is left as written.
 */
export type Options = ImageBossOptions

const emptyOptions: Options = {}

/** The error a production render throws: every problem of the document, located. */
export type MarkdownItImageBossError = ImageBossError & { problems: Problem[] }

/**
 * markdown-it plugin: turn `imageboss:` references into signed ImageBoss URLs as the
 * document is parsed, before any renderer or host (VitePress, Vue) sees them. Images
 * (`![](imageboss:…)`, with the responsive attributes a reference asks for), link
 * destinations, and raw HTML (`<img>`, `<picture>`, `style`, …, through the core's HTML
 * scanner) are signed; inline code, fenced and indented code, and raw `<code>` are left
 * alone. Problems are placed at `file:line:column`, the file taken from the render `env`
 * (`md.render(src, { path })`, as VitePress passes it).
 *
 * @throws {ImageBossError}
 *   `invalid-option` or `exposed-secret` for a configuration mistake (at `md.use`, also in
 *   the config file, which is read then: a module of it may not wait, with top-level `await`
 *   or an `async` function, as `md.use` is synchronous); in production, from `md.render`,
 *   one error listing every problem of the document.
 */
export function markdownItImageBoss(md: MarkdownIt, options?: Options | null): void {
  let file: string | undefined
  const project = loadProjectSync(
    {
      root: process.cwd(),
      options: options ?? emptyOptions,
      // A missing secret outside production: once, with the document that first met it.
      onWarning: (warning) => console.warn(`${PREFIX} ${file === undefined ? '' : `${file}: `}${warning.ruleId}: ${warning.reason}`)
    },
    '`markdownItImageBoss`'
  )
  const imageboss = project.imageboss
  const userWarning = project.written.onWarning
  useSigningRule(md, {
    signer: () => imageboss,
    rendering(current) {
      file = current
    },
    report(problems) {
      if (userWarning && !imageboss.production) {
        // A given `onWarning` takes each problem as an error, as it takes every other warning.
        for (const problem of problems) userWarning(errorFromProblems([problem], process.cwd()))
        return
      }
      // In production, every problem of the document in the message of one error, whose stack
      // is the message alone: hosts that print stacks show the problems, not this package's frames.
      const error = presentProblems(problems, { production: imageboss.production, root: process.cwd(), warn: (line) => console.warn(prefixed(line)) })
      if (error) throw withoutFrames(error)
    }
  })
}
