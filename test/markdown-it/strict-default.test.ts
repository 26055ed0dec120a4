// A plain markdown-it script (no NODE_ENV, no `production` option) fails on problems, as a
// production build does: `md.render` throws rather than return HTML with `imageboss:`
// references or unsigned URLs. Development is asked for, with `production: false` or NODE_ENV.
import MarkdownIt from 'markdown-it'
import { describe, expect, it } from 'vitest'
import markdownItImageBoss, { type MarkdownItImageBossError, type Options } from '../../src/markdown-it.js'
import { expectedUrl } from '../helpers/expected.js'
import { withoutEnv } from '../helpers/env.js'

const SECRET = 'strict-md-secret'
const TYPO = '# Post\n\n![a](imageboss:/a.jpg?qualty=80)\n\n![b](imageboss:/b.jpg?w=10)\n'
const GOOD = '![b](imageboss:/b.jpg?w=10)\n'

withoutEnv(['NODE_ENV', 'IMAGEBOSS_SOURCE', 'IMAGEBOSS_SECRET', 'IMAGEBOSS_BASE_URL'])

function render(markdown: string, options: Options): string {
  return new MarkdownIt({ html: true }).use(markdownItImageBoss, options).render(markdown, { path: 'post.md' })
}

function renderError(markdown: string, options: Options): MarkdownItImageBossError {
  try {
    render(markdown, options)
  } catch (error) {
    return error as MarkdownItImageBossError
  }
  throw new Error('Expected the render to fail')
}

describe('markdownItImageBoss without NODE_ENV', () => {
  it('starts with NODE_ENV unset', () => {
    expect(process.env.NODE_ENV).toBeUndefined()
  })

  it('throws on a typo, at file:line:column', () => {
    const error = renderError(TYPO, { source: 'docs', secret: SECRET })
    expect(error.ruleId).toBe('unknown-parameter')
    expect(error.problems.map((p) => p.ruleId)).toEqual(['unknown-parameter'])
    const column = TYPO.split('\n')[2]!.indexOf('qualty') + 1
    expect(error.message).toContain(`post.md:3:${column}: unknown-parameter: Unexpected unknown parameter \`qualty\``)
  })

  it('throws when the secret is missing (`missing-secret`), naming the variable', () => {
    const error = renderError(GOOD, { source: 'docs' })
    expect(error.ruleId).toBe('missing-secret')
    expect(error.message).toContain('IMAGEBOSS_SECRET')
  })

  it('signs a document without problems', () => {
    expect(render(GOOD, { source: 'docs', secret: SECRET })).toBe(`<p><img src="${expectedUrl('/docs/width/10/format:auto/b.jpg', SECRET)}" alt="b"></p>\n`)
  })

  it('warns and renders with `production: false`: the typo left as written, the rest signed', () => {
    const warnings: string[] = []
    const html = render(TYPO, { source: 'docs', secret: SECRET, production: false, onWarning: (w) => warnings.push(w.ruleId) })
    expect(warnings).toEqual(['unknown-parameter'])
    expect(html).toContain('src="imageboss:/a.jpg?qualty=80"')
    expect(html).toContain(expectedUrl('/docs/width/10/format:auto/b.jpg', SECRET))
  })

  it('warns and renders with NODE_ENV=development: the typo, and a missing secret with unsigned URLs', () => {
    process.env.NODE_ENV = 'development'
    const warnings: string[] = []
    const onWarning = (w: { ruleId: string }) => warnings.push(w.ruleId)
    expect(render(TYPO, { source: 'docs', secret: SECRET, onWarning })).toContain('src="imageboss:/a.jpg?qualty=80"')
    expect(render(GOOD, { source: 'docs', onWarning })).toBe(`<p><img src="${expectedUrl('/docs/width/10/format:auto/b.jpg')}" alt="b"></p>\n`)
    expect(warnings).toEqual(['unknown-parameter', 'missing-secret'])
  })

  it('warns and renders with `production: false` when the secret is missing', () => {
    const warnings: string[] = []
    const html = render(GOOD, { source: 'docs', production: false, onWarning: (w) => warnings.push(w.ruleId) })
    expect(warnings).toEqual(['missing-secret'])
    expect(html).toContain(`src="${expectedUrl('/docs/width/10/format:auto/b.jpg')}"`)
  })
})
