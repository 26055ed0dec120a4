export { createOutputCheck, type EmittedFile, type OutputCheck } from './check.js'
