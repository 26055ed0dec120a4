import 'server-only'
import { createImageBoss, type ImageAttributes, type ImageBoss } from '../core/imageboss.js'

let boss: ImageBoss | undefined

/**
 * The core instance of the server, made once from the server's environment (`IMAGEBOSS_*`):
 * no file is read when the server runs, so nothing of the project is traced into its bundle.
 */
function instance(): ImageBoss {
  return (boss ??= createImageBoss())
}

/**
 * The signed URL of a reference known only when the server runs (a CMS field, a database
 * row): for server components, route handlers and server actions. The secret is read from
 * the server's environment (`IMAGEBOSS_SECRET`); importing this module from a client
 * component fails the build (`server-only`), so the signer never reaches a browser. Sign
 * only what the server itself chose: a path taken from a request signs any image for anyone.
 */
export function imagebossUrl(reference: string): string {
  return instance().url(reference)
}

/** The attributes of an `<img>` for a reference known only when the server runs (`src`, `srcset`, `sizes`, …). */
export function imagebossImage(reference: string): ImageAttributes {
  return instance().image(reference)
}
