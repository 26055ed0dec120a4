export { default } from './astro/integration.js'
export type { Options } from './astro/integration.js'
