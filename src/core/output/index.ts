export { createOutputCheck, type EmittedFile, type OutputCheck } from './check.js'
export { checkTree, removeFlagged, type TreeCheck, type TreeOptions } from './tree.js'
