import type { Root } from 'hast'
import type { VFile } from 'vfile'
import type { ImageBossOptions } from '../core/imageboss.js'
import { printWarning } from '../core/options.js'
import { loadProjectSync } from '../core/project.js'
import { reportProblem } from './report.js'
import { createTransform, type Current } from './transform.js'

/**
 * A rehype plugin's transformer: the project loaded synchronously (unified calls plugins so)
 * from the current directory, its warnings messages on the file being processed (and given to
 * `onWarning`), the hast layer's transform. `name` is the plugin's, in messages.
 */
export function createRehypeTransformer(options: ImageBossOptions, name: string): (tree: Root, file: VFile) => undefined {
  let current: Current | undefined
  const { imageboss } = loadProjectSync(
    {
      root: process.cwd(),
      options,
      // A warning is a message on the file being processed, and goes to `onWarning` when given.
      tap(warning) {
        if (current) reportProblem(current.file, { problem: warning, place: current.place, ancestors: [...current.ancestors] }, false)
      },
      onWarning(warning) {
        if (!current) printWarning(warning)
      }
    },
    name
  )
  return createTransform(imageboss, (next) => {
    current = next
  })
}
