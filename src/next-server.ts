export { imagebossImage, imagebossUrl } from './next/server.js'
