// The markdown-it plugin with real markdown-it 14: what it signs, what it leaves, and where
// it says a problem is. Expected URLs come from the test oracle, never from src/.
import { readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import MarkdownIt from 'markdown-it'
import { describe, expect, it } from 'vitest'
import markdownItImageBoss, { type MarkdownItImageBossError, type Options } from '../../src/markdown-it.js'
import { expectedUrl } from '../helpers/expected.js'
import { scratchDirectories } from '../helpers/scratch.js'
import { images } from '../helpers/images.js'

const { scratch } = scratchDirectories()
const SECRET = 'md-secret-5c1d'
const url = (signedPath: string) => expectedUrl(signedPath, SECRET)
const settings: Options = { source: 'md', secret: SECRET, env: {} }

function render(markdown: string, options: Options = settings, env: Record<string, unknown> = {}): string {
  return new MarkdownIt({ html: true }).use(markdownItImageBoss, options).render(markdown, env)
}

/** The error a production render throws. */
function renderError(markdown: string, env: Record<string, unknown> = {}, options: Options = settings): MarkdownItImageBossError {
  try {
    render(markdown, { ...options, production: true }, env)
  } catch (error) {
    return error as MarkdownItImageBossError
  }
  throw new Error('Expected the render to fail')
}

/** 1-based line and column of `needle` in `text` (plus `extra` characters), counted here. */
function at(text: string, needle: string, extra = 0): string {
  const offset = text.indexOf(needle)
  if (offset === -1) throw new Error(`Expected ${needle} in the fixture`)
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  return `${line}:${offset - before.lastIndexOf('\n') + extra}`
}

describe('signing', () => {
  it('signs Markdown images, link destinations and raw HTML (inline and blocks)', () => {
    const html = render(
      [
        '![A cat](imageboss:/cats/a.jpg?w=300 "Title")',
        '',
        'Text <img src="imageboss:/cats/b.jpg?w=100&amp;h=50" alt="b"> and [a link](imageboss:/cats/c.jpg?op=cdn).',
        '',
        '<div style="background: url(imageboss:/cats/d.jpg?h=40)">',
        '<picture><source srcset="imageboss:/cats/e.jpg?w=200 1x, imageboss:/cats/e.jpg?w=400 2x"><img src="imageboss:/cats/f.jpg?w=10"></picture>',
        '</div>'
      ].join('\n')
    )
    for (const signedPath of [
      '/md/width/300/format:auto/cats/a.jpg',
      '/md/cover/100x50/format:auto/cats/b.jpg',
      '/md/cdn/format:auto/cats/c.jpg',
      '/md/height/40/format:auto/cats/d.jpg',
      '/md/width/200/format:auto/cats/e.jpg',
      '/md/width/400/format:auto/cats/e.jpg',
      '/md/width/10/format:auto/cats/f.jpg'
    ]) {
      expect(html).toContain(url(signedPath).replaceAll('&', '&amp;'))
    }
    expect(html).not.toContain('imageboss:')
    // The rest of the Markdown renders as it would without the plugin.
    expect(html).toContain('title="Title"')
    expect(html).toContain('<a href="https://img.imageboss.me/md/cdn/')
  })

  it('leaves inline code, fenced and indented code, and raw `<code>` and `<pre>` alone', () => {
    const markdown = [
      'Write `imageboss:/a.jpg?w=0` in Markdown.',
      '',
      '```md',
      '![x](imageboss:/b.jpg?w=0)',
      '```',
      '',
      '    <img src="imageboss:/c.jpg?w=0">',
      '',
      'Raw <code>imageboss:/d.jpg?w=0</code> too.',
      '',
      '<pre>',
      'imageboss:/e.jpg?w=0',
      '</pre>'
    ].join('\n')
    const plain = new MarkdownIt({ html: true }).render(markdown)
    // Production: any problem would throw.
    expect(render(markdown, { ...settings, production: true })).toBe(plain)
  })

  it('gives the image the responsive attributes its reference asks for (the worked examples)', () => {
    const { cases } = JSON.parse(readFileSync(new URL('../fixtures/vectors/responsive-cases.json', import.meta.url), 'utf8')) as {
      cases: Array<{ markdown: string; img: Record<string, string> }>
    }
    const options = { source: 'demo-images', secret: 'demo-secret', defaults: {}, env: {}, production: true }
    for (const testCase of cases) expect(images(render(testCase.markdown, options)), testCase.markdown).toEqual([testCase.img])
  })

  it('signs with the `IMAGEBOSS_*` variables of `env` and the named sources', () => {
    const html = render('![a](imageboss://blog-assets/a.jpg?w=50)', { env: { IMAGEBOSS_SECRET_BLOG_ASSETS: 'blog-secret' }, defaults: {} })
    expect(html).toContain(expectedUrl('/blog-assets/width/50/a.jpg', 'blog-secret'))
  })
})

describe('problems', () => {
  it('fails a production render with every problem of the file, at file:line:column, without the secret', () => {
    const markdown = [
      '# Title',
      '',
      '> Quoted ![x](imageboss:/a.jpg?w=0) and <img src="imageboss:/b.jpg?q=1">',
      '',
      '- item',
      '',
      '  <div>',
      '  <img src="imageboss:/c.jpg?w=-1">',
      '  </div>',
      '',
      'Prose that names imageboss:/d.jpg without code.'
    ].join('\n')
    const error = renderError(markdown, { path: '/site/docs/guide.md' })
    expect(error.name).toBe('ImageBossError')
    expect(error.ruleId).toBe('invalid-value')
    const lines = error.message.split('\n')
    expect(lines[0]).toBe('[imageboss] invalid-value: 4 problems with `imageboss:` references in /site/docs/guide.md:')
    expect(lines.slice(1)).toEqual([
      `  /site/docs/guide.md:${at(markdown, 'imageboss:/a.jpg?w=0', 'imageboss:/a.jpg?w='.length)}: invalid-value: Unexpected value \`0\` for \`w\`, expected an integer from 1 to 8192`,
      `  /site/docs/guide.md:${at(markdown, 'imageboss:/b.jpg?q=1', 'imageboss:/b.jpg?'.length)}: unknown-parameter: Unexpected unknown parameter \`q\`, expected a known parameter such as \`w\``,
      `  /site/docs/guide.md:${at(markdown, 'imageboss:/c.jpg?w=-1', 'imageboss:/c.jpg?w='.length)}: invalid-value: Unexpected value \`-1\` for \`w\`, expected an integer from 1 to 8192`,
      expect.stringMatching(
        new RegExp(`^  /site/docs/guide\\.md:${at(markdown, 'imageboss:/d.jpg')}: unsupported-position: Unexpected \`imageboss:\` reference in text`)
      )
    ])
    expect(error.problems.map((p) => p.place?.line)).toEqual([3, 3, 8, 11])
    // No stack of this package's frames: hosts that print the stack print the problems.
    expect(error.stack).toBe(`ImageBossError: ${error.message}\n`)
    expect(error.message).not.toContain(SECRET)
  })

  it('counts the lines of a frontmatter that the host took off before rendering', async () => {
    const body = 'Intro\n\n![x](imageboss:/a.jpg?w=0)\n'
    const file = path.join(await scratch('imageboss-md-'), 'page.md')
    await writeFile(file, `---\ntitle: Page\n---\n${body}`)
    const error = renderError(body, { path: file })
    // The body's line 3 is the file's line 6.
    expect(error.problems[0]?.place).toEqual({ file, line: 6, column: '![x](imageboss:/a.jpg?w='.length + 1 })
  })

  it("names the file given as `page.inputPath` (Eleventy's render data), and none without one", () => {
    expect(renderError('![x](imageboss:/a.jpg?w=0)', { page: { inputPath: './src/post.md' } }).problems[0]?.place?.file).toBe('./src/post.md')
    const error = renderError('![x](imageboss:/a.jpg?w=0)')
    expect(error.problems[0]?.place).toEqual({ file: undefined, line: 1, column: 25 })
    expect(error.message).toBe('[imageboss] 1:25: invalid-value: Unexpected value `0` for `w`, expected an integer from 1 to 8192')
  })

  it('outside production: warnings with their place, and the reference left as written', () => {
    const warnings: string[] = []
    const markdown = '![x](imageboss:/a.jpg?w=0) ![y](imageboss:/b.jpg?w=10)'
    const html = render(markdown, { ...settings, production: false, onWarning: (w) => warnings.push(w.message) }, { path: 'docs/a.md' })
    expect(warnings).toEqual([
      `docs/a.md:${at(markdown, 'imageboss:/a.jpg', 'imageboss:/a.jpg?w='.length)}: invalid-value: Unexpected value \`0\` for \`w\`, expected an integer from 1 to 8192`
    ])
    expect(html).toContain('src="imageboss:/a.jpg?w=0"')
    expect(html).toContain(url('/md/width/10/format:auto/b.jpg'))
  })

  it('a missing secret: one warning and unsigned URLs in development, an error in production', () => {
    const warnings: string[] = []
    const html = render('![x](imageboss:/a.jpg?w=10) ![y](imageboss:/b.jpg?w=10)', {
      source: 'md',
      env: {},
      production: false,
      onWarning: (w) => warnings.push(w.ruleId)
    })
    expect(warnings).toEqual(['missing-secret'])
    expect(html).toContain(expectedUrl('/md/width/10/format:auto/a.jpg'))
    const error = renderError('![x](imageboss:/a.jpg?w=10)', {}, { source: 'md', env: {} })
    expect(error.ruleId).toBe('missing-secret')
    expect(error.message).toContain('IMAGEBOSS_SECRET')
  })

  it('rejects unknown options when the plugin is added', () => {
    expect(() => new MarkdownIt().use(markdownItImageBoss, { secrte: 'x' } as Options)).toThrow(/Unexpected option `secrte`.*`secret`/)
  })
})
