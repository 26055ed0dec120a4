/**
 * The parts of markdown-it this package uses, written structurally: markdown-it 13 and 14,
 * and copies bundled by hosts (VitePress), all fit, and no type package is needed.
 */

/** A markdown-it token. */
export interface Token {
  type: string
  tag: string
  attrs: Array<[string, string]> | null
  /** Source lines `[begin, end)` of a block token, 0-based. */
  map: [number, number] | null
  content: string
  markup: string
  children: Token[] | null
  attrGet(name: string): string | null
  attrSet(name: string, value: string): void
}

/** What a core rule receives. */
export interface StateCore {
  /** The source, normalised by markdown-it (line endings as `\n`). */
  src: string
  env: unknown
  tokens: Token[]
}

/** The markdown-it instance, as `md.use(plugin)` hands it over. */
export interface MarkdownIt {
  core: { ruler: { push(name: string, rule: (state: StateCore) => unknown): void } }
}
