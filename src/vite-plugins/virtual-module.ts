import { readFileSync } from 'node:fs'
import type { ImageBossError } from '../core/errors.js'
import type { ImageAttributes } from '../core/imageboss.js'
import { imageModuleExports, moduleValueCode } from '../core/image-module.js'
import { createLocator } from '../core/location.js'
import { problemFromError, type Problem } from '../core/problems.js'

/** Prefix of the virtual modules made from `import x from 'imageboss:…'` (Rollup's `\0` convention). */
export const VIRTUAL_PREFIX = '\0imageboss:'

/** Query markers Vite adds to module ids; never part of a reference. */
const VITE_FLAGS = new Set(['import', 'url', 'raw', 'inline', 'no-inline', 'direct', 'worker', 'sharedworker', 'used', 'module'])
/** Query keys Vite adds with a value (HMR timestamp, dependency version hash). */
const VITE_KEYS = new Set(['t', 'v'])

/**
 * The reference behind a virtual module id. Vite may add its own query markers in dev
 * (`\0imageboss:/hero.jpg?import&w=400`); they go, the reference's own parameters stay as written.
 */
export function referenceOfId(id: string): string | undefined {
  if (!id.startsWith(VIRTUAL_PREFIX)) return undefined
  const reference = id.slice(1)
  const question = reference.indexOf('?')
  if (question === -1) return reference
  const kept = reference
    .slice(question + 1)
    .split('&')
    .filter((pair) => {
      const equals = pair.indexOf('=')
      const key = equals === -1 ? pair : pair.slice(0, equals)
      if (VITE_KEYS.has(key)) return false
      return !(VITE_FLAGS.has(key) && (equals === -1 || equals === pair.length - 1))
    })
  return reference.slice(0, question) + (kept.length > 0 ? '?' + kept.join('&') : '')
}

/**
 * The code of a virtual module: the URL as default export, and the attributes of an `<img>`
 * for it as named exports (`srcset`, `sizes`, `width`, `height` are `undefined` unless the
 * reference asks for them).
 */
export function virtualModuleCode(attributes: ImageAttributes): string {
  const { default: _, ...named } = imageModuleExports(attributes)
  return [...Object.entries(named).map(([name, value]) => `export const ${name} = ${moduleValueCode(value)}`), 'export default src', ''].join('\n')
}

/** The problem of an `import … from 'imageboss:…'`, located at the import in the importing file. */
export function importProblem(error: ImageBossError, reference: string, importer: string | undefined): Problem {
  const problem = problemFromError(error, 0, reference.length)
  problem.reason = `${problem.reason} (in \`import … from '${reference}'\`)`
  const file = importer?.replace(/[?#].*$/s, '')
  let text = ''
  try {
    if (file) text = readFileSync(file, 'utf8')
  } catch {
    // A virtual importer: no text to point into.
  }
  const at = text.indexOf(reference)
  const point = at === -1 ? { line: 1, column: 1 } : createLocator(text)(at + problem.start)
  return { ...problem, place: { file, line: point.line, column: point.column } }
}
