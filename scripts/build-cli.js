// The `imageboss` executable as a bundle: `npm run build` runs this after tsc, and it replaces
// tsc's dist/cli.js (which imports dist/cli/main.js and the rest module by module, some sixty
// files with the dependencies, one of them CommonJS) with esbuild's bundle of the CLI and the
// core code it calls. `imageboss verify` of a few pages is mostly start-up, and a module-by-
// module start took twice as long above a bare `node` (bench/cli.js, `benchCliStartup`).
//
//   dist/cli.js         `--help`, `--version` and the arguments, with the shebang; the rest
//                       is imported when a command needs it:
//   dist/bin/*.js       the settings and the core (settings-*.js, `sign`, `rewrite` and
//                       `verify`), the output check and the file walk (files-command-*.js),
//                       the scanners (html-stream-*.js, xml-*.js, scan-*.js: a file to sign,
//                       or a URL that fails), the worker thread (worker.js), and the chunks
//                       they share
//
// parse5 and acorn stay in node_modules, imported by the scanners' chunk only: they are the
// package's dependencies, loaded when a file needs them, and the library (dist/core) imports
// the same copies. The small dependencies that every `verify` loads (entities, vfile-location,
// fastest-levenshtein) are bundled. dist/site/ stays as tsc writes it: the Eleventy plugin
// imports it, and a build by tsc alone still has a working (slower to start) dist/cli.js.
//
//   node scripts/build-cli.js     (after `tsc -p tsconfig.build.json`; rewrites dist/cli.js and dist/bin/)
import { build } from 'esbuild'
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const DIST = path.join(ROOT, 'dist')
const CHUNKS = path.join(DIST, 'bin')

rmSync(CHUNKS, { recursive: true, force: true })
const result = await build({
  absWorkingDir: ROOT,
  entryPoints: { cli: 'src/cli.ts', 'bin/worker': 'src/site/worker.ts' },
  outdir: DIST,
  chunkNames: 'bin/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  external: ['parse5', 'acorn', '@sveltejs/acorn-typescript'],
  // The code as tsc writes it, comments aside: a stack trace into the bundle reads as one
  // into dist/cli does. Minified (whitespace and syntax), it started no faster.
  minify: false,
  legalComments: 'eof',
  metafile: true,
  logLevel: 'warning'
})

// `runFiles` starts its workers from `new URL('./worker.js', import.meta.url)`: the chunk
// that holds it must sit beside dist/bin/worker.js, as dist/site/run-files.js sits beside
// dist/site/worker.js.
const outputs = Object.entries(result.metafile.outputs)
const runFiles = outputs.filter(([, output]) => Object.keys(output.inputs).includes('src/site/run-files.ts')).map(([file]) => path.resolve(ROOT, file))
if (runFiles.length !== 1 || path.dirname(runFiles[0]) !== CHUNKS)
  throw new Error(`Expected src/site/run-files.ts in one chunk of dist/bin/, found it in ${runFiles.join(', ') || 'none'}`)
if (!readdirSync(CHUNKS).includes('worker.js')) throw new Error('Expected dist/bin/worker.js')
// The shebang makes dist/cli.js the executable that `bin` names.
if (!readFileSync(path.join(DIST, 'cli.js'), 'utf8').startsWith('#!/usr/bin/env node\n')) throw new Error('Expected the shebang at the top of dist/cli.js')
// The parsers are loaded when a file needs them, never at start-up: neither dist/cli.js nor
// the chunk of `rewrite` and `verify` imports them up front.
const filesCommand = outputs.find(([, output]) => output.entryPoint === 'src/cli/files-command.ts')?.[0]
if (!filesCommand) throw new Error('Expected a chunk of its own for src/cli/files-command.ts')
const eager = new Set()
const collect = (file) => {
  for (const { path: imported, kind } of result.metafile.outputs[file]?.imports ?? []) {
    if (kind !== 'import-statement' || eager.has(imported)) continue
    eager.add(imported)
    collect(imported)
  }
}
collect('dist/cli.js')
collect(filesCommand)
const parsers = [...eager].filter((imported) => imported === 'parse5' || imported === 'acorn')
if (parsers.length > 0) throw new Error(`Expected dist/cli.js to load no parser at start-up, found ${parsers.join(', ')}`)
