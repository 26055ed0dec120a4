export { rehypeImageBoss as default } from './rehype/plugin.js'
export type { Options } from './rehype/plugin.js'
