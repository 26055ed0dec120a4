// The worked examples through a real Markdown pipeline: Markdown in, <img> attributes out.
import { readFileSync } from 'node:fs'
import { compile } from '@mdx-js/mdx'
import rehypeRaw from 'rehype-raw'
import rehypeStringify from 'rehype-stringify'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import { unified } from 'unified'
import { describe, expect, it } from 'vitest'
import rehypeImageBoss from '../../src/rehype.js'
import { images } from '../helpers/images.js'

interface ResponsiveCase {
  markdown: string
  img: Record<string, string>
}
const { cases } = JSON.parse(readFileSync(new URL('../fixtures/vectors/responsive-cases.json', import.meta.url), 'utf8')) as {
  cases: ResponsiveCase[]
}
const settings = { source: 'demo-images', secret: 'demo-secret', defaults: {}, env: {}, production: true }

async function markdown(source: string, raw: 'none' | 'raw' | 'rehype-raw') {
  const processor = unified()
    .use(remarkParse)
    .use(remarkRehype, { allowDangerousHtml: raw !== 'none' })
    .use(rehypeImageBoss, settings)
  if (raw === 'rehype-raw') processor.use(rehypeRaw)
  return String(await processor.use(rehypeStringify, { allowDangerousHtml: true }).process(source))
}

describe('responsive images in Markdown', () => {
  for (const testCase of cases) {
    it(`${testCase.markdown} (Markdown image)`, async () => {
      expect(images(await markdown(testCase.markdown, 'none'))).toEqual([testCase.img])
    })

    // The same reference in raw HTML: a `raw` node, and an element after rehype-raw.
    const reference = /\((imageboss:[^)\s]+)\)/.exec(testCase.markdown)?.[1] as string
    const alt = testCase.img.alt as string
    const html = `<img alt="${alt}" src="${reference.replaceAll('&', '&amp;')}">`
    for (const mode of ['raw', 'rehype-raw'] as const) {
      it(`${testCase.markdown} (raw HTML, ${mode})`, async () => {
        expect(images(await markdown(html, mode))).toEqual([testCase.img])
      })
    }

    it(`${testCase.markdown} (MDX JSX)`, async () => {
      const code = String(await compile(`<img alt="${alt}" src="${reference}" />`, { rehypePlugins: [[rehypeImageBoss, settings]] }))
      const props = /_jsx\("img", (\{[\s\S]*?\})\)/.exec(code)?.[1] as string
      const jsx = Function(`return (${props})`)() as Record<string, string>
      // JSX names: `srcSet`, `fetchPriority`.
      const expected = Object.fromEntries(
        Object.entries(testCase.img).map(([name, value]) => [name === 'srcset' ? 'srcSet' : name === 'fetchpriority' ? 'fetchPriority' : name, value])
      )
      expect(jsx).toEqual(expected)
    })
  }

  it('a responsive key on a link destination is misplaced', async () => {
    const file = await unified()
      .use(remarkParse)
      .use(remarkRehype)
      .use(rehypeImageBoss, { ...settings, production: false })
      .use(rehypeStringify)
      .process('[a](imageboss:/a.jpg?w=10&srcset=auto)')
    expect(file.messages.map((m) => m.ruleId)).toEqual(['misplaced-parameter'])
  })
})
