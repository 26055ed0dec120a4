import type { Root } from 'hast'
import type { VFile } from 'vfile'
import type { ImageBossOptions } from '../core/imageboss.js'
import { createRehypeTransformer } from '../hast/plugin.js'

/**
 * Configuration: the options shared by every entry point of `imageboss-build`
 * (`source`, `secret`, `sources`, `baseUrl`, `defaults`, `presets`, `extraOptions`, `env`,
 * `production`, `onWarning`), which win over those of the nearest
 * `imageboss.config.{js,mjs,json}` from the current directory, key by key.
 *
 * Any problem fails the file (a fatal message; a missing secret too), unless told it runs in
 * development (`production: false`, or `NODE_ENV === 'development'`): then problems are
 * warnings on the file being processed (a missing secret is passed to `onWarning` too, when
 * given). A plain script must not write unsigned references and end well.
 */
export type Options = ImageBossOptions

const emptyOptions: Options = {}

/**
 * Turn `imageboss:` references into signed ImageBoss URLs: in hast elements (the core
 * attribute table: `src`, `srcSet`, `style`, …), in `raw` HTML nodes (`remark-rehype` with
 * `allowDangerousHtml`), and in MDX JSX attributes. Code (`<code>`, `<pre>`, …) is left alone.
 *
 * @param options
 *   Configuration (optional).
 * @returns
 *   Transform.
 * @throws {ImageBossError}
 *   `invalid-option` or `exposed-secret` for a configuration mistake (also in the config
 *   file, which is read at once: a module of it may not wait, with top-level `await` or an
 *   `async` function, as unified calls plugins synchronously).
 */
export function rehypeImageBoss(options?: Options | null): (tree: Root, file: VFile) => undefined {
  return createRehypeTransformer(options ?? emptyOptions, '`rehypeImageBoss`')
}
