// The Eleventy plugin in real Eleventy 3 runs (a child process, as a user runs it): the options
// given to `addPlugin` over the nearest `imageboss.config.*` from the project folder.
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { expectedUrl } from '../helpers/expected.js'
import { copyExample, eleventy, read, SECRET } from '../eleventy/helpers.js'

/** The example with `addPlugin(imageboss, <options>)` and the given config file, built. */
async function buildExample(options: string | undefined, configFile: Record<string, string> = {}) {
  const dir = await copyExample()
  const config = path.join(dir, 'eleventy.config.js')
  const text = await readFile(config, 'utf8')
  if (options !== undefined) await writeFile(config, text.replace('addPlugin(imageboss)', `addPlugin(imageboss, ${options})`))
  for (const [name, content] of Object.entries(configFile)) await writeFile(path.join(dir, name), content)
  const run = await eleventy(dir, [], { IMAGEBOSS_SECRET: SECRET })
  return { run, index: run.code === 0 ? await read(path.join(dir, '_site'), 'index.html') : '' }
}

const FILE = { 'imageboss.config.mjs': "export default { source: 'from-file', defaults: { format: 'webp' } }\n" }

describe('imageboss.config.* with Eleventy', () => {
  it('the file alone', async () => {
    const { run, index } = await buildExample(undefined, FILE)
    expect(run.code, run.output).toBe(0)
    expect(index).toContain(expectedUrl('/from-file/width/800/format:webp/photos/cat.jpg', SECRET))
  })

  it('the options alone', async () => {
    const { run, index } = await buildExample("{ source: 'given' }")
    expect(run.code, run.output).toBe(0)
    expect(index).toContain(expectedUrl('/given/width/800/format:auto/photos/cat.jpg', SECRET))
  })

  it('both: the options win key by key, the file gives the rest', async () => {
    const { run, index } = await buildExample("{ source: 'given' }", FILE)
    expect(run.code, run.output).toBe(0)
    expect(index).toContain(expectedUrl('/given/width/800/format:webp/photos/cat.jpg', SECRET))
  })

  it('stops on a secret in the file, with the rule id and without the value', async () => {
    const { run } = await buildExample("{ source: 'given' }", { 'imageboss.config.json': JSON.stringify({ secret: 'do-not-print-me' }) })
    expect(run.code).toBe(1)
    expect(run.output).toContain(
      '[imageboss] invalid-option: Unexpected `secret` in `imageboss.config.json`, expected the secret in the `IMAGEBOSS_SECRET` variable'
    )
    expect(run.output).not.toContain('do-not-print-me')
  })
})
