import type { Problem } from '../core/problems.js'
import type { Signer } from '../core/scan/index.js'
import { placeFrontmatter, signFrontmatter } from './frontmatter.js'
import { createPlacer, fileOf } from './place.js'
import { signTokens } from './tokens.js'
import type { MarkdownIt, StateCore } from './types.js'

/** What the signing rule needs of its host: a signer, and what to do with a document's problems. */
export interface MarkdownHost {
  /** The signer, asked for at each document (a Vite plugin's is made when its config resolves). */
  signer(): Signer
  /** The file being rendered, or none, while its references are signed (for warnings the resolver raises). */
  rendering?(file: string | undefined): void
  /** Every located problem of one document: warn, or throw the error that fails the render. */
  report(problems: Problem[]): void
}

/**
 * Add the markdown-it core rule that signs a document as it is parsed: its tokens (images,
 * links, raw HTML) and, where the host put it in the render `env` (VitePress), its front
 * matter, whose values the theme renders. Problems are located in the file the `env` names,
 * front-matter lines counted.
 */
export function useSigningRule(md: MarkdownIt, host: MarkdownHost): void {
  md.core.ruler.push('imageboss', (state: StateCore) => {
    const file = fileOf(state.env)
    const signer = host.signer()
    host.rendering?.(file)
    let found
    let data
    try {
      found = signTokens(state.tokens, signer)
      data = signFrontmatter(frontmatterOf(state.env), signer)
    } finally {
      host.rendering?.(undefined)
    }
    if (found.length === 0 && data.length === 0) return
    const place = createPlacer(state.src, file)
    host.report([
      ...data.map((f) => ({ ...f.problem, reason: `${f.problem.reason} (front matter \`${f.key}\`)`, place: placeFrontmatter(file, f) })),
      ...found.map((f) => ({ ...f.problem, place: place(f) }))
    ])
  })
}

/** The front matter a host parsed into the render `env` (VitePress's `frontmatter`), if any. */
function frontmatterOf(env: unknown): unknown {
  return env !== null && typeof env === 'object' ? (env as { frontmatter?: unknown }).frontmatter : undefined
}
