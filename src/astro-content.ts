export { imagebossImage } from './astro/content.js'
export type { ImageAttributes, ImagebossImageOptions } from './astro/content.js'
