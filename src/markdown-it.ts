export { markdownItImageBoss as default } from './markdown-it/plugin.js'
export type { MarkdownItImageBossError, Options } from './markdown-it/plugin.js'
export type { ImageBossOptions } from './core/imageboss.js'
export type { Place, Problem } from './core/problems.js'
