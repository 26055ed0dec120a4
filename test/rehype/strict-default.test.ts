// A plain unified script (no NODE_ENV, no `production` option) fails on problems, as a
// production build does: it must not write `imageboss:` references or unsigned URLs into its
// HTML and end well. Development is asked for, with `production: false` or NODE_ENV.
import rehypeStringify from 'rehype-stringify'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import { unified } from 'unified'
import { VFile } from 'vfile'
import { describe, expect, it } from 'vitest'
import rehypeImageBoss, { type Options } from '../../src/rehype.js'
import { expectedUrl } from '../helpers/expected.js'
import { withoutEnv } from '../helpers/env.js'

const SECRET = 'strict-default-secret'
const TYPO = '# Post\n\n![a](imageboss:/a.jpg?qualty=80)\n\n![b](imageboss:/b.jpg?w=10)\n'
const GOOD = '![b](imageboss:/b.jpg?w=10)\n'

withoutEnv(['NODE_ENV', 'IMAGEBOSS_SOURCE', 'IMAGEBOSS_SECRET', 'IMAGEBOSS_BASE_URL'])

/** The real pipeline a plain script runs: remark-parse, remark-rehype, the plugin, rehype-stringify. */
async function run(markdown: string, options: Options): Promise<VFile> {
  const file = new VFile({ value: markdown, path: 'post.md' })
  return unified().use(remarkParse).use(remarkRehype).use(rehypeImageBoss, options).use(rehypeStringify).process(file)
}

async function failure(markdown: string, options: Options): Promise<{ error: Error & { ruleId?: string; fatal?: boolean }; file: VFile }> {
  const file = new VFile({ value: markdown, path: 'post.md' })
  try {
    await unified().use(remarkParse).use(remarkRehype).use(rehypeImageBoss, options).use(rehypeStringify).process(file)
  } catch (error) {
    return { error: error as Error & { ruleId?: string; fatal?: boolean }, file }
  }
  throw new Error('Expected the file to fail')
}

describe('rehypeImageBoss without NODE_ENV', () => {
  it('starts with NODE_ENV unset', () => {
    expect(process.env.NODE_ENV).toBeUndefined()
  })

  it('fails a file with a typo, every problem in the message, the file left unwritten', async () => {
    const { error, file } = await failure(TYPO, { source: 'docs', secret: SECRET })
    expect(error.fatal).toBe(true)
    expect(error.ruleId).toBe('unknown-parameter')
    expect(error.message).toContain('Cannot sign 1 image reference')
    expect(error.message).toMatch(/post\.md:3:1: unknown-parameter: Unexpected unknown parameter `qualty`/)
    expect(file.messages.map((m) => [m.ruleId, m.fatal])).toEqual([
      ['unknown-parameter', true],
      ['unknown-parameter', true]
    ])
    expect(file.value).toBe(TYPO)
  })

  it('fails a file when the secret is missing (`missing-secret`), naming the variable, not leaving unsigned URLs', async () => {
    const { error, file } = await failure(GOOD, { source: 'docs' })
    expect(error.ruleId).toBe('missing-secret')
    expect(error.message).toContain('IMAGEBOSS_SECRET')
    expect(file.value).toBe(GOOD)
  })

  it('signs a file without problems', async () => {
    const file = await run(GOOD, { source: 'docs', secret: SECRET })
    expect(String(file)).toBe(`<p><img src="${expectedUrl('/docs/width/10/format:auto/b.jpg', SECRET)}" alt="b"></p>`)
    expect(file.messages).toEqual([])
  })

  it('warns and passes with `production: false`: the typo left as written, the rest signed', async () => {
    const file = await run(TYPO, { source: 'docs', secret: SECRET, production: false })
    expect(file.messages.map((m) => [m.ruleId, m.fatal, m.line])).toEqual([['unknown-parameter', false, 3]])
    expect(String(file)).toContain('src="imageboss:/a.jpg?qualty=80"')
    expect(String(file)).toContain(expectedUrl('/docs/width/10/format:auto/b.jpg', SECRET))
  })

  it('warns and passes with NODE_ENV=development: the typo, and a missing secret with unsigned URLs', async () => {
    process.env.NODE_ENV = 'development'
    const typo = await run(TYPO, { source: 'docs', secret: SECRET })
    expect(typo.messages.map((m) => [m.ruleId, m.fatal])).toEqual([['unknown-parameter', false]])
    const warnings: string[] = []
    const missing = await run(GOOD, { source: 'docs', onWarning: (w) => warnings.push(w.ruleId) })
    expect(warnings).toEqual(['missing-secret'])
    expect(missing.messages.map((m) => [m.ruleId, m.fatal])).toEqual([['missing-secret', false]])
    expect(String(missing)).toContain(`src="${expectedUrl('/docs/width/10/format:auto/b.jpg')}"`)
  })

  it('warns and passes with `production: false` when the secret is missing', async () => {
    const file = await run(GOOD, { source: 'docs', production: false, onWarning() {} })
    expect(file.messages.map((m) => [m.ruleId, m.fatal])).toEqual([['missing-secret', false]])
    expect(String(file)).toContain(`src="${expectedUrl('/docs/width/10/format:auto/b.jpg')}"`)
  })

  it('fails with NODE_ENV=test or production as without it', async () => {
    for (const value of ['test', 'production']) {
      process.env.NODE_ENV = value
      const { error } = await failure(TYPO, { source: 'docs', secret: SECRET })
      expect(error.ruleId, value).toBe('unknown-parameter')
    }
  })
})
