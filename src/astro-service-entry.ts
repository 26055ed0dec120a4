export { default } from './astro/service-entry.js'
