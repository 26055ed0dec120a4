// One resolver for the server, made once, for the references a `load` reads from data. The
// secret is read from `$env/dynamic/private` when the server runs (or prerenders), so it is
// never written into a bundle; `$env/static/private` would inline it into the server build.
import { env } from '$env/dynamic/private'
import { createImageBoss } from 'imageboss-build'

export const imageboss = createImageBoss({ env })
