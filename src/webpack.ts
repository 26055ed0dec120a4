export { default } from './webpack/plugin.js'
export type { ImageBossWebpackOptions } from './webpack/plugin.js'
export type { ImageBossOptions } from './core/imageboss.js'
export type { Place, Problem } from './core/problems.js'
