// examples/astro built by the current Astro (7, Sätteri Markdown) on Node 22, in a child process.
// The copy lives in test/astro-current/.tmp so that `astro` resolves to test/astro-current's.
import { rm } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import { EXAMPLE_ENV, exampleBuildTests } from './example-expected.js'
import { ASTRO_CURRENT, astroCommand, copyExample, NODE_22, runAstro } from './example-run.js'

const made: string[] = []
afterAll(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true })
})

describe('astro build of examples/astro (current Astro, Node 22)', () => {
  let root = ''
  beforeAll(async () => {
    const { bin, version } = await astroCommand(ASTRO_CURRENT)
    expect(Number(version.split('.')[0])).toBeGreaterThanOrEqual(7)
    root = await copyExample(ASTRO_CURRENT.scratch, 'example-')
    made.push(root)
    const run = await runAstro(NODE_22, bin, ['build'], root, EXAMPLE_ENV)
    if (run.code !== 0) throw new Error(`astro ${version} build failed (${run.code}):\n${run.output}`)
  }, 180_000)

  exampleBuildTests(() => path.join(root, 'dist'))
})
