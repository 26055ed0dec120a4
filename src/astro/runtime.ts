import { createImageBoss, type ImageBoss, type ResolvedImage } from '../core/imageboss.js'
import { definedInstance, getSharedState } from './shared.js'

let own: ImageBoss | undefined

/**
 * The resolver for code that runs when a page renders: in `astro build` and `astro dev`, the
 * integration's (its `.env` values, its production mode); on a server rendering on-demand
 * pages, one made from that server's `IMAGEBOSS_*` variables. Never import this from code
 * that runs in the browser: signing needs the secret.
 */
export function getImageBoss(): ImageBoss {
  const shared = getSharedState(definedInstance())
  if (shared) return shared.imageboss
  // The server's own variables; no config file: a deployed server may have none.
  own ??= createImageBoss()
  return own
}

/**
 * Sign a reference whose value is only known when the page renders
 * (`<img src={imagebossUrl(`imageboss:/photos/${slug}.jpg?w=800`)} />`).
 *
 * @throws {ImageBossError} For an invalid reference or, in production, a missing secret.
 */
export function imagebossUrl(reference: string): string {
  return getImageBoss().url(reference)
}

/** Everything known about a reference, like `resolve` of the core. */
export function imagebossResolve(reference: string): ResolvedImage {
  return getImageBoss().resolve(reference)
}
