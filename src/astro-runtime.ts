export { getImageBoss, imagebossResolve, imagebossUrl } from './astro/runtime.js'
