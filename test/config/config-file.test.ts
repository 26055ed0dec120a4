// The one rule for `imageboss.config.{js,mjs,json}`, as the core reads it for every entry point:
// where it is found, how the options given merge over it, what it may not hold, and what the
// synchronous hosts (markdown-it, rehype) can and cannot load.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { findConfigFile, loadOptions, loadOptionsSync, mergeOptions } from '../../src/core/config-file.js'
import { ImageBossError } from '../../src/core/errors.js'
import { scratchDirectories } from '../helpers/scratch.js'
import { writeFiles } from '../helpers/files.js'

const { scratchSync } = scratchDirectories()

/** A project folder (with a `package.json`, so the search stops there) holding `files`. */
function project(files: Record<string, string>): string {
  const dir = scratchSync('imageboss-config-')
  writeFiles(dir, { 'package.json': '{}', ...files })
  return dir
}

/** The `invalid-option` error a load throws: its reason. */
async function reasonOf(load: () => unknown): Promise<string> {
  try {
    await load()
  } catch (error) {
    expect(error).toBeInstanceOf(ImageBossError)
    expect((error as ImageBossError).ruleId).toBe('invalid-option')
    return (error as ImageBossError).reason
  }
  throw new Error('Expected the load to fail')
}

const FILE = { source: 'from-file', defaults: { format: 'webp' }, presets: { thumb: { w: 100 } } }

describe('finding the file', () => {
  it('takes the nearest, from a sub-folder up to the folder with a `package.json`, `.js` before `.mjs` before `.json`', () => {
    const dir = project({ 'imageboss.config.json': '{}', 'imageboss.config.mjs': 'export default {}\n', 'a/b/c.txt': '' })
    expect(findConfigFile(path.join(dir, 'a/b'))).toBe(path.join(dir, 'imageboss.config.mjs'))
    writeFileSync(path.join(dir, 'a/imageboss.config.json'), '{}')
    expect(findConfigFile(path.join(dir, 'a/b'))).toBe(path.join(dir, 'a/imageboss.config.json'))
  })

  it('stops at the project root: a config file above it is another project’s', () => {
    const dir = project({ 'imageboss.config.json': '{}', 'inner/package.json': '{}', 'inner/src/x.txt': '' })
    expect(findConfigFile(path.join(dir, 'inner/src'))).toBeUndefined()
  })
})

describe('options over the file', () => {
  it('the file alone, the options alone, and both (a key the options give replaces the file’s whole value)', async () => {
    const dir = project({ 'imageboss.config.json': JSON.stringify(FILE) })
    const empty = project({})
    expect(await loadOptions(undefined, dir)).toEqual({ options: FILE, file: path.join(dir, 'imageboss.config.json') })
    expect(await loadOptions({ source: 'given' }, empty)).toEqual({ options: { source: 'given' }, file: undefined })
    expect(await loadOptions({ source: 'given', defaults: { quality: 50 } }, dir)).toEqual({
      options: { source: 'given', defaults: { quality: 50 }, presets: { thumb: { w: 100 } } },
      file: path.join(dir, 'imageboss.config.json')
    })
  })

  it('takes `{}` and `null` for no options, and a key given as `undefined` for a key not given', () => {
    expect(mergeOptions(FILE, {})).toEqual(FILE)
    expect(mergeOptions(FILE, null)).toEqual(FILE)
    expect(mergeOptions(FILE, { source: undefined, baseUrl: 'https://images.example.com' })).toEqual({ ...FILE, baseUrl: 'https://images.example.com' })
  })

  it('loads the same options synchronously from JSON, an ES module and a CommonJS module', () => {
    const json = project({ 'imageboss.config.json': JSON.stringify(FILE) })
    const esm = project({ 'imageboss.config.mjs': `export default () => (${JSON.stringify(FILE)})\n` })
    const cjs = project({ 'imageboss.config.js': `module.exports = ${JSON.stringify(FILE)}\n` })
    for (const dir of [json, esm, cjs]) {
      expect(loadOptionsSync({ presets: {} }, dir, '`host`').options).toEqual({ ...FILE, presets: {} })
    }
  })

  it('waits for a module that waits, where the host can (an `async` function, top-level `await`)', async () => {
    const fn = project({ 'imageboss.config.mjs': `export default async () => (${JSON.stringify(FILE)})\n` })
    const tla = project({ 'imageboss.config.mjs': `export default await Promise.resolve(${JSON.stringify(FILE)})\n` })
    expect((await loadOptions(undefined, fn)).options).toEqual(FILE)
    expect((await loadOptions(undefined, tla)).options).toEqual(FILE)
  })

  it('refuses a module that waits where the host cannot, naming the host and the remedies', async () => {
    const fn = project({ 'imageboss.config.mjs': 'export default async () => ({})\n' })
    const tla = project({ 'imageboss.config.mjs': "export default await Promise.resolve({ source: 's' })\n" })
    const remedies =
      'which `host` loads synchronously; expected the options as an object or a function that returns one, an `imageboss.config.json`, or the options passed to `host` itself'
    expect(await reasonOf(() => loadOptionsSync(undefined, fn, '`host`'))).toBe(
      `Unexpected promise of options (an \`async\` function) in \`${path.join(fn, 'imageboss.config.mjs')}\`, ${remedies}`
    )
    expect(await reasonOf(() => loadOptionsSync({ source: 'given' }, tla, '`host`'))).toBe(
      `Unexpected top-level \`await\` in \`${path.join(tla, 'imageboss.config.mjs')}\`, ${remedies}`
    )
  })
})

describe('no secret in a config file', () => {
  it('refuses `secret`, `sources[name].secret` and `env`, whatever their value, never quoting it', async () => {
    const cases: Array<[object, string]> = [
      [
        { source: 's', secret: 'do-not-print-me' },
        'Unexpected `secret` in `imageboss.config.json`, expected the secret in the `IMAGEBOSS_SECRET` variable: a config file is part of the project, and secrets stay out of it'
      ],
      [
        { secret: null },
        'Unexpected `secret` in `imageboss.config.json`, expected the secret in the `IMAGEBOSS_SECRET` variable: a config file is part of the project, and secrets stay out of it'
      ],
      [
        { sources: { open: { signed: false }, 'blog-assets': { secret: 'do-not-print-me' } } },
        "Unexpected `sources['blog-assets'].secret` in `imageboss.config.json`, expected the secret in the `IMAGEBOSS_SECRET_BLOG_ASSETS` variable: a config file is part of the project, and secrets stay out of it"
      ],
      [
        { env: { IMAGEBOSS_SECRET: 'do-not-print-me' } },
        'Unexpected `env` in `imageboss.config.json`, expected `IMAGEBOSS_*` variables in the environment: a config file is part of the project, and secrets stay out of it'
      ]
    ]
    for (const [content, reason] of cases) {
      const dir = project({ 'imageboss.config.json': JSON.stringify(content) })
      expect(await reasonOf(() => loadOptions(undefined, dir))).toBe(reason)
      expect(await reasonOf(() => loadOptionsSync(undefined, dir, '`host`'))).toBe(reason)
    }
  })

  it('refuses one a module reads from a variable, also when that variable is unset (the same on every machine)', async () => {
    const dir = project({ 'imageboss.config.mjs': 'export default { source: "s", secret: process.env.IMAGEBOSS_TEST_UNSET_VARIABLE }\n' })
    expect(await reasonOf(() => loadOptions(undefined, dir))).toMatch(/^Unexpected `secret` in `imageboss\.config\.mjs`/)
  })

  it('accepts a secret given as an option, over a file without one', async () => {
    const dir = project({ 'imageboss.config.json': JSON.stringify({ source: 's' }) })
    expect((await loadOptions({ secret: 'from-code' }, dir)).options).toEqual({ source: 's', secret: 'from-code' })
  })
})
