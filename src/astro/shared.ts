import type { ImageBoss } from '../core/imageboss.js'

/**
 * What the Astro integration shares, inside the build (or dev) process, with the image
 * service and the runtime helper: one resolver, made from the site's environment and `.env`
 * files. The service's own `config` is serialised into Astro's server bundle, so it never
 * carries a secret; the secret reaches the service only through this process-wide slot.
 *
 * Each integration instance (each build or dev server) has its own entry, by a key that is
 * no secret: the service finds it in its `config.instance`, the runtime in a constant the
 * integration defines for the code Vite bundles (`__IMAGEBOSS_INSTANCE__`). Two builds in
 * one process never see each other's resolver.
 */
export interface SharedState {
  imageboss: ImageBoss
  /**
   * In `astro build` only: route pattern → the component that renders it, for the page check
   * of the build's middleware (middleware.ts), which runs when this is set.
   */
  pages?: ReadonlyMap<string, string> | undefined
}

const KEY = Symbol.for('imageboss-build/astro')

type Slot = { [KEY]?: { states: Map<string, SharedState>; next: number } }

function slot(): { states: Map<string, SharedState>; next: number } {
  const global = globalThis as Slot
  // One slot for every module instance of this package in the process (the integration is
  // loaded by `astro.config`, the service and runtime are bundled by Vite).
  global[KEY] ??= { states: new Map(), next: 1 }
  return global[KEY]
}

/** A new instance key, unique in this process. */
export function newInstanceKey(): string {
  return `astro-${slot().next++}`
}

export function setSharedState(instance: string, state: SharedState | undefined): void {
  if (state === undefined) slot().states.delete(instance)
  else slot().states.set(instance, state)
}

/**
 * The state of `instance`; without a key (code that no build of the integration bundled),
 * the one state there is, and none when there are several: never another build's.
 */
export function getSharedState(instance: string | undefined): SharedState | undefined {
  const { states } = slot()
  if (instance !== undefined) return states.get(instance)
  return states.size === 1 ? states.values().next().value : undefined
}

declare const __IMAGEBOSS_INSTANCE__: string | undefined

/** The key the integration defined for the code Vite bundled in this build, if any. */
export function definedInstance(): string | undefined {
  return typeof __IMAGEBOSS_INSTANCE__ === 'string' ? __IMAGEBOSS_INSTANCE__ : undefined
}
