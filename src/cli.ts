#!/usr/bin/env node
// The `imageboss` executable: `sign`, `rewrite` and `verify` (see `imageboss --help`).
import { run } from './cli/main.js'

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  () => {
    // `run` prints its own errors; this only guards against a failure while printing.
    process.exitCode = 1
  }
)
