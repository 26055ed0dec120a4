import { findState, type LoaderOptions } from './state.js'

/** What this loader reads of the loader context (webpack's and Rspack's alike). */
interface LoaderContext {
  getOptions(): LoaderOptions
  resourcePath: string
  sourceMap?: boolean | undefined
  emitError(error: Error): void
  emitWarning(error: Error): void
  callback(error: Error | null, code?: string, map?: unknown): void
}

/**
 * The loader of `imageboss-build/webpack` and `imageboss-build/rspack`: hands a module's text
 * to the core's scanner, through the plugin that added it, and the signed text back. Its
 * problems are the module's errors (production) or warnings, located in the author's file.
 */
export default function imagebossLoader(this: LoaderContext, source: string, map?: unknown): void {
  const { id, kind } = this.getOptions()
  const state = findState(id)
  if (!state || !source.includes('imageboss:')) return this.callback(null, source, map)
  const result = state.transformModule({ kind, source, file: this.resourcePath, map, sourceMap: this.sourceMap === true })
  for (const error of result.errors) (state.failing ? this.emitError : this.emitWarning).call(this, error)
  this.callback(null, result.code, result.map ?? map)
}
