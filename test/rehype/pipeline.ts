import rehypeRaw from 'rehype-raw'
import rehypeStringify from 'rehype-stringify'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import { unified } from 'unified'
import { VFile } from 'vfile'
import rehypeImageBoss, { type Options } from '../../src/rehype.js'

export type Mode = 'no-raw' | 'raw-nodes' | 'plugin-then-rehype-raw' | 'rehype-raw-then-plugin'
export const MODES: readonly Mode[] = ['no-raw', 'raw-nodes', 'plugin-then-rehype-raw', 'rehype-raw-then-plugin']

/** Markdown → HTML, with the plugin (when `options` is given) placed as `mode` says. */
export function processor(mode: Mode, options?: Options) {
  const dangerous = mode !== 'no-raw'
  // One processor per call: `unified()` is frozen on first use.
  const p = unified().use(remarkParse).use(remarkRehype, { allowDangerousHtml: dangerous })
  if (mode === 'rehype-raw-then-plugin') p.use(rehypeRaw)
  if (options) p.use(rehypeImageBoss, options)
  if (mode === 'plugin-then-rehype-raw') p.use(rehypeRaw)
  return p.use(rehypeStringify, { allowDangerousHtml: dangerous })
}

export async function run(markdown: string, options: Options | undefined, mode: Mode = 'no-raw'): Promise<VFile> {
  const file = new VFile({ value: markdown, path: 'page.md' })
  return processor(mode, options).process(file)
}
