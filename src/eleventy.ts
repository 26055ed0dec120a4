export { default } from './eleventy/plugin.js'
export type { EleventyConfig, ImageBossEleventyOptions } from './eleventy/plugin.js'
