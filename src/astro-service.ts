export { imagebossService, imagebossService as default } from './astro/service.js'
export type { ImageBossServiceConfig, ImageBossServiceDescriptor, ImageBossServiceOptions } from './astro/service.js'
