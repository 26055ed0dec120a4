export { default } from './nuxt/module.js'
export type { ImageBossNuxtModule, ImageBossNuxtOptions, NuxtLike } from './nuxt/module.js'
