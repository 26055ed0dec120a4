// The runtime exports of every entry point in `package.json` "exports", written out by hand
// so that adding or removing one (say, by a refactor that moves code between modules) fails
// here until the list is changed on purpose. Type-only exports leave nothing at runtime and
// are checked by the type checker instead. Not covered: `./client` (types only) and the
// `imageboss` bin (`src/cli.ts`), which runs the CLI when imported.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as astroContent from '../../src/astro-content.js'
import * as astroRuntime from '../../src/astro-runtime.js'
import * as astroServiceEntry from '../../src/astro-service-entry.js'
import * as astroService from '../../src/astro-service.js'
import * as astro from '../../src/astro.js'
import * as docusaurus from '../../src/docusaurus.js'
import * as eleventy from '../../src/eleventy.js'
import * as index from '../../src/index.js'
import * as markdownIt from '../../src/markdown-it.js'
import * as next from '../../src/next.js'
import * as nextRehype from '../../src/next-rehype.js'
import * as nuxt from '../../src/nuxt.js'
import * as rehype from '../../src/rehype.js'
import * as rspack from '../../src/rspack.js'
import * as vite from '../../src/vite.js'
import * as webpack from '../../src/webpack.js'

const ENTRY_POINTS: ReadonlyArray<{ name: string; module: Record<string, unknown>; exports: Record<string, string> }> = [
  {
    name: 'imageboss-build',
    module: index,
    exports: {
      ImageBossError: 'function',
      RULES: 'object',
      RULE_IDS: 'object',
      checkText: 'function',
      createImageBoss: 'function',
      createVerifyKeys: 'function',
      // The Astro integration, loaded lazily, for `astro add imageboss-build`.
      default: 'function',
      formatProblems: 'function',
      kindOfFile: 'function',
      parseReference: 'function',
      scanText: 'function',
      secretVariable: 'function',
      signPath: 'function'
    }
  },
  { name: 'imageboss-build/vite', module: vite, exports: { default: 'function' } },
  { name: 'imageboss-build/webpack', module: webpack, exports: { default: 'function' } },
  { name: 'imageboss-build/rspack', module: rspack, exports: { default: 'function' } },
  { name: 'imageboss-build/docusaurus', module: docusaurus, exports: { default: 'function' } },
  { name: 'imageboss-build/rehype', module: rehype, exports: { default: 'function' } },
  { name: 'imageboss-build/markdown-it', module: markdownIt, exports: { default: 'function' } },
  { name: 'imageboss-build/eleventy', module: eleventy, exports: { default: 'function' } },
  { name: 'imageboss-build/nuxt', module: nuxt, exports: { default: 'function' } },
  { name: 'imageboss-build/next', module: next, exports: { default: 'function', withImageBoss: 'function' } },
  { name: 'imageboss-build/next/rehype', module: nextRehype, exports: { default: 'function' } },
  { name: 'imageboss-build/astro', module: astro, exports: { default: 'function' } },
  {
    name: 'imageboss-build/astro/service',
    module: astroService,
    exports: { default: 'function', imagebossService: 'function' }
  },
  { name: 'imageboss-build/astro/service-entry', module: astroServiceEntry, exports: { default: 'object' } },
  {
    name: 'imageboss-build/astro/runtime',
    module: astroRuntime,
    exports: { getImageBoss: 'function', imagebossResolve: 'function', imagebossUrl: 'function' }
  },
  { name: 'imageboss-build/astro/content', module: astroContent, exports: { imagebossImage: 'function' } }
]

describe('exported surface', () => {
  it.each(ENTRY_POINTS)('$name exports exactly its names', ({ module, exports }) => {
    expect(Object.keys(module).sort()).toEqual(Object.keys(exports).sort())
  })

  it.each(ENTRY_POINTS)('$name exports each name with its type', ({ module, exports }) => {
    const types = Object.fromEntries(Object.keys(module).map((name) => [name, typeof module[name]]))
    expect(types).toEqual(exports)
  })

  // `./next/server` imports `server-only`, which only Next.js's server build resolves: test/next builds a page that calls it.
  it('covers every entry point in package.json but the types-only `./client` and the server-only `./next/server`', () => {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { exports: Record<string, unknown> }
    const entries = Object.keys(manifest.exports).filter((key) => key !== './client' && key !== './package.json' && key !== './next/server')
    expect(entries.map((key) => (key === '.' ? 'imageboss-build' : `imageboss-build${key.slice(1)}`)).sort()).toEqual(
      ENTRY_POINTS.map((entry) => entry.name).sort()
    )
  })
})
