export { withImageBoss, withImageBoss as default } from './next/config.js'
export type { ImageBossNextOptions, NextConfigLike } from './next/config.js'
