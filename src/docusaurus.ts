export { default } from './docusaurus/plugin.js'
export type { DocusaurusContext, DocusaurusPlugin, ImageBossDocusaurusOptions } from './docusaurus/plugin.js'
export type { ImageBossOptions } from './core/imageboss.js'
export type { Place, Problem } from './core/problems.js'
