export { default } from './vite/plugin.js'
export type { ImageBossPluginOptions } from './vite/plugin.js'
export type { ImageBossOptions } from './core/imageboss.js'
export type { ImageBossProblem, ImageBossPluginError } from './vite/problems.js'
