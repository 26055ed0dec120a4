export { default } from './next/rehype.js'
