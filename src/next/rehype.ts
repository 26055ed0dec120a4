import type { Root } from 'hast'
import type { VFile } from 'vfile'
import type { ImageBossOptions } from '../core/imageboss.js'
import { createRehypeTransformer } from '../hast/plugin.js'
import { nextEnvironment } from '../site/next.js'

/**
 * The rehype plugin for `@next/mdx`, named as a string: `rehypePlugins: [['imageboss-build/next/rehype']]`.
 * That of `imageboss-build/rehype`, with the environment Next.js builds with: Turbopack runs
 * MDX in processes that do not see the `.env*` files Next.js loaded, so they are read here as
 * Next.js reads them. Options: those of `withImageBoss()` (no secret: Next.js serialises them).
 */
export default function rehypeImageBossNext(options?: Omit<ImageBossOptions, 'secret'> | null): (tree: Root, file: VFile) => undefined {
  const env = nextEnvironment(process.cwd())
  return createRehypeTransformer({ ...options, ...(env ? { env } : {}) }, '`imageboss-build/next/rehype`')
}
