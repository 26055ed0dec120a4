// What `npm pack` puts in the tarball (`npm pack --dry-run --json`, scripts off): the build of
// every module of src/ — its JavaScript and its declarations, no source maps (see
// tsconfig.build.json) — the executable's bundle (dist/cli.js and its chunks in dist/bin/,
// scripts/build-cli.js), the client types and the package's documents; no src/, tests,
// fixtures, examples, bench, scripts or tarballs. Needs a clean build (`npm test` makes one):
// output of a module since removed from src/ would be packed too, and is reported here.
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { pack, ROOT } from './packed-project.js'

const DOCUMENTS = ['CHANGELOG.md', 'LICENSE', 'README.md', 'client.d.ts', 'package.json']

/** `core/sign` for `src/core/sign.ts`: every module tsc compiles. */
async function sourceModules(): Promise<string[]> {
  const names = await readdir(path.join(ROOT, 'src'), { recursive: true })
  return names
    .map((name) => name.split(path.sep).join('/'))
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
    .map((name) => name.slice(0, -'.ts'.length))
}

/** Every path that `exports` and `bin` name, without `./`. */
async function manifestTargets(): Promise<string[]> {
  const manifest = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { exports: unknown; bin: unknown }
  const targets: string[] = []
  const collect = (value: unknown): void => {
    if (typeof value === 'string') targets.push(value.replace(/^\.\//, ''))
    else if (value && typeof value === 'object') for (const inner of Object.values(value)) collect(inner)
  }
  collect(manifest.exports)
  collect(manifest.bin)
  return targets
}

/** The chunks of the executable's bundle: the worker thread's entry and `<name>-<hash>.js`. */
const BUNDLE_CHUNK = /^dist\/bin\/(?:worker|[\w-]+-[A-Z0-9]{8})\.js$/

let packed: string[] = []

beforeAll(async () => {
  packed = (await pack()).files.map((file) => file.path).sort()
})

describe('the packed file list', () => {
  it("is dist/ (JavaScript and declarations of each module of src/, the executable's bundle), the client types and the documents, nothing else", async () => {
    const built = (await sourceModules()).flatMap((module) => [`dist/${module}.js`, `dist/${module}.d.ts`])
    const chunks = packed.filter((file) => BUNDLE_CHUNK.test(file))
    expect(chunks, 'the bundle of the executable (after a clean build: `npm run build`)').toContain('dist/bin/worker.js')
    expect(packed, 'the packed files (after a clean build: `npm run build`)').toEqual([...built, ...chunks, ...DOCUMENTS].sort())
  })

  it('has the executable as one bundle with its shebang, which imports its own chunks and no module of dist/cli or dist/core', async () => {
    const cli = await readFile(path.join(ROOT, 'dist/cli.js'), 'utf8')
    expect(cli.startsWith('#!/usr/bin/env node\n')).toBe(true)
    const imported = [...cli.matchAll(/\bfrom\s*"([^"]+)"|\bimport\(\s*"([^"]+)"\s*\)/g)].map((match) => match[1] ?? match[2])
    expect(
      imported.filter((specifier) => !/^node:|^\.\/bin\//.test(specifier as string)),
      'imports of dist/cli.js (after `npm run build`: tsc alone writes the unbundled one)'
    ).toEqual([])
  })

  it('holds no source map, source, test, fixture, example, benchmark, script or tarball', () => {
    const unwanted = packed.filter((file) => /\.map$|\.tgz$|^(?:src|test|examples|bench|scripts|docs)\/|fixtures|\.test\./.test(file))
    expect(unwanted).toEqual([])
  })

  it('holds every file that `exports` and `bin` name', async () => {
    const targets = await manifestTargets()
    expect(targets).toContain('dist/index.js')
    expect(targets.filter((target) => !packed.includes(target))).toEqual([])
  })
})
