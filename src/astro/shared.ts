import type { ImageBoss } from '../core/imageboss.js'

/**
 * What the Astro integration shares, inside the build (or dev) process, with the image
 * service: one resolver, made from the site's environment and `.env` files. The service's
 * own `config` is serialised into Astro's server bundle, so it never carries a secret; the
 * secret reaches the service only through this process-wide slot.
 */
export interface SharedState {
  imageboss: ImageBoss
}

const KEY = Symbol.for('imageboss-build/astro')

type Slot = { [KEY]?: SharedState }

export function setSharedState(state: SharedState | undefined): void {
  if (state === undefined) delete (globalThis as Slot)[KEY]
  else (globalThis as Slot)[KEY] = state
}

export function getSharedState(): SharedState | undefined {
  return (globalThis as Slot)[KEY]
}
