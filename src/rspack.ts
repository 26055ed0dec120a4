export { default } from './rspack/plugin.js'
export type { ImageBossRspackOptions } from './rspack/plugin.js'
export type { ImageBossOptions } from './core/imageboss.js'
export type { Place, Problem } from './core/problems.js'
