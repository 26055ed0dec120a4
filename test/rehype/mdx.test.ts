import { compile } from '@mdx-js/mdx'
import { describe, expect, it } from 'vitest'
import { VFile } from 'vfile'
import rehypeImageBoss from '../../src/rehype.js'
import { DEV_OPTIONS, OPTIONS, SECRET, signedUrl } from './expected.js'

const DYNAMIC =
  "built at run time so it cannot be signed at build time; expected a whole reference in one string, such as a lookup object of full references (`{ small: 'imageboss:/a.jpg?w=400', large: 'imageboss:/a.jpg?w=800' }`)"

const url = (signedPath: string) => signedUrl(signedPath, SECRET)

async function mdx(value: string, options: Parameters<typeof rehypeImageBoss>[0] = OPTIONS) {
  const file = await compile(new VFile({ value, path: 'page.mdx' }), { rehypePlugins: [[rehypeImageBoss, options]] })
  return { code: String(file), file }
}

describe('rehypeImageBoss: MDX', () => {
  it('rewrites string and string-literal expression attributes of JSX <img>', async () => {
    const { code, file } = await mdx(
      [
        '<img src="imageboss:/a.jpg?w=500" alt="a" />',
        '',
        '<img src={"imageboss:/b.jpg?w=600"} />',
        '',
        "<img src={'imageboss:/c.jpg?w=700'} srcSet={`imageboss:/c.jpg?w=700 1x, imageboss:/c.jpg?w=1400 2x`} />",
        '',
        '![md](imageboss:/d.jpg?w=800)',
        ''
      ].join('\n')
    )
    expect(file.messages).toEqual([])
    expect(code).not.toContain('imageboss:')
    expect(code).toContain(JSON.stringify(url('/demo-images/width/500/format:auto/a.jpg')))
    expect(code).toContain(JSON.stringify(url('/demo-images/width/600/format:auto/b.jpg')))
    expect(code).toContain(JSON.stringify(url('/demo-images/width/700/format:auto/c.jpg')))
    expect(code).toContain(JSON.stringify(`${url('/demo-images/width/700/format:auto/c.jpg')} 1x, ${url('/demo-images/width/1400/format:auto/c.jpg')} 2x`))
    expect(code).toContain(JSON.stringify(url('/demo-images/width/800/format:auto/d.jpg')))
  })

  it('rewrites image props of components (src, srcSet, poster), not other props', async () => {
    const { code, file } = await mdx('<Figure src="imageboss:/e.jpg?w=320" srcSet="imageboss:/e.jpg?w=640 2x" caption="imageboss:the-service" />\n')
    expect(file.messages).toEqual([])
    expect(code).toContain(`src: ${JSON.stringify(url('/demo-images/width/320/format:auto/e.jpg'))}`)
    expect(code).toContain(`srcSet: ${JSON.stringify(url('/demo-images/width/640/format:auto/e.jpg') + ' 2x')}`)
    expect(code).toContain('caption: "imageboss:the-service"')
  })

  it('leaves runtime values alone, and reports dynamic references', async () => {
    const { code, file } = await mdx(
      [
        'export const someVar = "/local.png"',
        '',
        '<img src={someVar} />',
        '',
        '<img src={"imageboss:/a.jpg?w=" + w} />',
        '',
        '<img {...{ src: "imageboss:/spread.jpg" }} />',
        ''
      ].join('\n'),
      DEV_OPTIONS
    )
    expect(code).toContain('src: someVar')
    expect(code).toContain('src: "imageboss:/a.jpg?w=" + w')
    expect(file.messages.map(String)).toEqual([
      `page.mdx:5:6-5:37: Unexpected dynamic reference in the expression of \`src\`, ${DYNAMIC}`,
      `page.mdx:7:6-7:43: Unexpected dynamic reference in a spread attribute, ${DYNAMIC}`
    ])
    expect(file.messages.map((m) => [m.ruleId, m.source, m.fatal])).toEqual([
      ['dynamic-reference', 'imageboss-build', false],
      ['dynamic-reference', 'imageboss-build', false]
    ])
  })

  it('fails a production build on a dynamic reference', async () => {
    const file = new VFile({ value: '<img src={`imageboss:/a.jpg?w=${w}`} />\n', path: 'page.mdx' })
    await expect(compile(file, { rehypePlugins: [[rehypeImageBoss, { ...OPTIONS, production: true }]] })).rejects.toThrow(/Cannot sign 1 image reference/)
    expect(file.messages.map((m) => [String(m), m.ruleId, m.fatal])).toEqual([
      [`page.mdx:1:6-1:37: Unexpected dynamic reference in the expression of \`src\`, ${DYNAMIC}`, 'dynamic-reference', true],
      [
        `page.mdx:1:6-1:37: Cannot sign 1 image reference in a production build, expected valid \`imageboss:\` references:\n  page.mdx:1:6: dynamic-reference: Unexpected dynamic reference in the expression of \`src\`, ${DYNAMIC}`,
        'dynamic-reference',
        true
      ]
    ])
  })

  it('signs the elements inside <code> and <pre> in MDX, and leaves their text and fenced code alone', async () => {
    const { code, file } = await mdx(
      '<pre><img src="imageboss:/a.jpg?w=1" /></pre>\n\n<code>imageboss:/c.jpg</code>\n\n```html\n<img src="imageboss:/b.jpg">\n```\n'
    )
    expect(file.messages).toEqual([])
    expect(code).toContain(`"${url('/demo-images/width/1/format:auto/a.jpg')}"`)
    expect(code).not.toContain('imageboss:/a.jpg')
    expect(code).toContain('"imageboss:/c.jpg"')
    expect(code).toContain('<img src=\\"imageboss:/b.jpg\\">')
  })
})
