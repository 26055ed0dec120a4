import type { TextKind } from '../core/scan/index.js'

/** The options the plugin gives its loader: which plugin, and what kind of text the module is. */
export interface LoaderOptions {
  id: string
  kind: TextKind
}

/** A module's text after the scan: signed, with its problems as errors for the module. */
export interface ModuleResult {
  code: string
  map: unknown
  errors: Error[]
}

/** A module as the loader hands it on: its kind, text and file, the incoming map, and whether the bundler wants a map. */
export interface ModuleInput {
  kind: TextKind
  source: string
  file: string
  map: unknown
  sourceMap: boolean
}

/** What the loader reaches of the plugin that added it. */
export interface LoaderState {
  /** Whether problems fail the build (a production build, not watching). */
  readonly failing: boolean
  transformModule(module: ModuleInput): ModuleResult
}

const REGISTRY = Symbol.for('imageboss-build.webpack-plugins')

/**
 * Plugins by id, shared with the loader through the process (the loader may be loaded as a
 * module of its own, apart from the plugin; its options carry only the id).
 */
function registry(): Map<string, LoaderState> {
  const holder = globalThis as { [REGISTRY]?: Map<string, LoaderState> }
  return (holder[REGISTRY] ??= new Map())
}

let count = 0

/** Register a plugin's state for its loader: the id its loader options carry. */
export function registerState(state: LoaderState): string {
  const id = `${process.pid}-${++count}`
  registry().set(id, state)
  return id
}

export function findState(id: string): LoaderState | undefined {
  return registry().get(id)
}

export function unregisterState(id: string): void {
  registry().delete(id)
}
