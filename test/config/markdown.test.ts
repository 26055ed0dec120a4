// The synchronous hosts: markdown-it (`md.use`) and rehype (unified's `.use`) read the nearest
// `imageboss.config.*` from the current directory when the plugin is added, under the options
// given, with real markdown-it and unified (`processSync` too).
import path from 'node:path'
import MarkdownIt from 'markdown-it'
import rehypeStringify from 'rehype-stringify'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import { unified } from 'unified'
import { afterEach, describe, expect, it } from 'vitest'
import markdownItImageBoss, { type Options } from '../../src/markdown-it.js'
import rehypeImageBoss from '../../src/rehype.js'
import { ImageBossError } from '../../src/core/errors.js'
import { expectedUrl } from '../helpers/expected.js'
import { scratchDirectories } from '../helpers/scratch.js'
import { writeFiles } from '../helpers/files.js'

const { scratchSync } = scratchDirectories()
const SECRET = 'markdown-config-secret'
const MARKDOWN = '![a](imageboss:/a.jpg?w=10)\n'
const FILE = JSON.stringify({ source: 'from-file', defaults: { format: 'webp' } })

/** A project (with a `package.json`) holding `files`, made the current directory until the test ends. */
function enter(files: Record<string, string>): string {
  const dir = scratchSync('imageboss-markdown-config-')
  writeFiles(dir, { 'package.json': '{}', ...files })
  process.chdir(dir)
  return dir
}

const start = process.cwd()
const secretBefore = process.env.IMAGEBOSS_SECRET
afterEach(() => {
  process.chdir(start)
  if (secretBefore === undefined) delete process.env.IMAGEBOSS_SECRET
  else process.env.IMAGEBOSS_SECRET = secretBefore
})

// The secret comes from the environment, as it must with a config file.
const withSecret = <T>(run: () => T): T => {
  process.env.IMAGEBOSS_SECRET = SECRET
  return run()
}

const markdownIt = (options?: Options) => withSecret(() => new MarkdownIt().use(markdownItImageBoss, options).render(MARKDOWN))
const rehype = (options?: Options) =>
  withSecret(() => String(unified().use(remarkParse).use(remarkRehype).use(rehypeImageBoss, options).use(rehypeStringify).processSync(MARKDOWN)))

const HOSTS = { markdownIt, rehype } as const

describe.each(Object.entries(HOSTS))('%s', (name, render) => {
  const img = (signedPath: string) => `<img src="${expectedUrl(signedPath, SECRET)}" alt="a">`

  it('the file alone', () => {
    enter({ 'imageboss.config.json': FILE })
    expect(render()).toContain(img('/from-file/width/10/format:webp/a.jpg'))
    expect(render({})).toContain(img('/from-file/width/10/format:webp/a.jpg'))
  })

  it('the options alone', () => {
    enter({})
    expect(render({ source: 'given' })).toContain(img('/given/width/10/format:auto/a.jpg'))
  })

  it('both: the options win key by key, the file gives the rest', () => {
    enter({ 'imageboss.config.json': FILE })
    expect(render({ source: 'given' })).toContain(img('/given/width/10/format:webp/a.jpg'))
  })

  it('loads a module synchronously, from a sub-folder of the project', () => {
    const dir = enter({ 'imageboss.config.mjs': `export default () => (${FILE})\n`, 'docs/x.md': '' })
    process.chdir(path.join(dir, 'docs'))
    expect(render({ source: 'given' })).toContain(img('/given/width/10/format:webp/a.jpg'))
  })

  it('refuses, when the plugin is added, a module that waits, and a secret in the file', () => {
    const host = name === 'markdownIt' ? '`markdownItImageBoss`' : '`rehypeImageBoss`'
    const dir = enter({ 'imageboss.config.mjs': `export default await Promise.resolve(${FILE})\n` })
    expect(() => render({ source: 'given' })).toThrow(
      new ImageBossError(
        'invalid-option',
        `Unexpected top-level \`await\` in \`${path.join(dir, 'imageboss.config.mjs')}\`, which ${host} loads synchronously; expected the options as an object or a function that returns one, an \`imageboss.config.json\`, or the options passed to ${host} itself`
      )
    )
    enter({ 'imageboss.config.json': JSON.stringify({ source: 's', sources: { blog: { secret: 'do-not-print-me' } } }) })
    expect(() => render()).toThrow(
      "Unexpected `sources['blog'].secret` in `imageboss.config.json`, expected the secret in the `IMAGEBOSS_SECRET_BLOG` variable: a config file is part of the project, and secrets stay out of it"
    )
  })
})

describe('missing-secret where the host takes options', () => {
  it('names the `secret` option beside the variable (the CLI, which takes none, names the variable alone)', () => {
    enter({ 'imageboss.config.json': JSON.stringify({ source: 'from-file' }) })
    const md = new MarkdownIt().use(markdownItImageBoss, { production: true, env: {} })
    expect(() => md.render(MARKDOWN)).toThrow(
      'missing-secret: Missing secret for source `from-file`, expected the `IMAGEBOSS_SECRET` variable or the `secret` option (or `signed: false` for a source without signed URLs)'
    )
  })
})
