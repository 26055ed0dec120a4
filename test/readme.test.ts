// Fails when the README or docs/ drift from the code: every rule id, attribute, kind of file,
// parameter and option is documented; the configs shown are the ones the tests build; every
// relative link and anchor leads somewhere; the README stays short.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { RULE_IDS } from '../src/index.js'
import { ruleUrl } from '../src/core/errors.js'
import { IMAGE_OPTIONS, OPERATION_PARAMETERS } from '../src/core/parameters.js'
import { URL_ATTRIBUTES } from '../src/core/attributes.js'
import { FILE_KINDS } from '../src/core/scan/dispatch.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8')

const readme = read('README.md')
const DOCS = readdirSync(path.join(ROOT, 'docs'))
  .filter((name) => name.endsWith('.md'))
  .map((name) => `docs/${name}`)
/** Every Markdown file whose links must hold. */
const PAGES = ['README.md', 'CONTRIBUTING.md', ...DOCS]

/** A Markdown text with its fenced code blocks blanked out (same length): their `#` lines and brackets do not count. */
function withoutFences(markdown: string): string {
  return markdown.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, (block) => block.replace(/[^\n]/g, ' '))
}

/** The part of `markdown` from the heading `title` (any level) to the next heading of its level or above. */
function section(markdown: string, title: string): string {
  const prose = withoutFences(markdown)
  const heading = new RegExp('^(#+) ' + title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '$', 'm').exec(prose)
  if (!heading) throw new Error(`Expected a heading "${title}"`)
  const start = heading.index + heading[0].length
  const end = new RegExp(`^#{1,${heading[1]?.length ?? 1}} `, 'm').exec(prose.slice(start))
  return markdown.slice(heading.index, end ? start + end.index : undefined)
}

/**
 * The anchor GitHub gives a heading, written from its documented behaviour (as github-slugger
 * does): the text as shown (no backticks, link targets or emphasis marks), lower case,
 * punctuation dropped but `-` and `_`, each space a `-`; a repeated anchor gets `-1`, `-2`, ….
 */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>()
  const anchors = new Set<string>()
  for (const [, text] of withoutFences(markdown).matchAll(/^#{1,6} +(.+?) *#*$/gm)) {
    const shown = (text ?? '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[`*]/g, '')
    const slug = shown
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-')
    const count = seen.get(slug) ?? 0
    seen.set(slug, count + 1)
    anchors.add(count === 0 ? slug : `${slug}-${count}`)
  }
  return anchors
}

/** The targets of the inline links and images of a Markdown text, code left out. */
function linksOf(markdown: string): string[] {
  const prose = withoutFences(markdown).replace(/(`+)[\s\S]*?\1/g, '')
  return [...prose.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?: "[^"]*")?\)/g)].map((match) => match[1] as string)
}

describe('README', () => {
  it('is at most 15,000 bytes', () => {
    expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(15_000)
  })

  it('puts installing before everything but the introduction, and a section per tool after it', () => {
    const headings = [...withoutFences(readme).matchAll(/^(##+) (.+)$/gm)].map((match) => match[2])
    expect(headings[0]).toBe('Install')
    for (const tool of ['Vite', 'Astro', 'VitePress', 'Eleventy', 'unified and MDX', 'MDX with Vite', 'SvelteKit', 'CLI']) {
      expect(headings).toContain(tool)
      expect(section(readme, tool)).toContain('npm install --save-dev imageboss-build')
    }
    expect(headings).toContain('How errors show up')
  })

  it('shows a first example whose URL is what the demo settings produce', () => {
    // The worked example with the default `defaults` ({format: 'auto'}), from the vectors.
    const { cases } = JSON.parse(read('test/fixtures/vectors/reference-cases.json')) as {
      cases: Array<{ settings: { source?: string; secret?: string; defaults?: unknown }; reference: string; url: string | null }>
    }
    const vector = cases.find((c) => c.reference === 'imageboss:/photos/cat.jpg?w=800' && c.settings.defaults === undefined)
    const example = /```html\n(<img src="https:[^\n]+)\n```/.exec(readme)?.[1]
    expect(vector?.url).toMatch(/^https:/)
    expect(example).toBe(`<img src="${vector?.url}" alt="A cat">`)
    expect(readme.slice(0, readme.indexOf(example ?? '\0'))).toContain(
      `with the source \`${vector?.settings.source}\` and the secret \`${vector?.settings.secret}\``
    )
  })

  it('shows the VitePress config that test/vitepress builds, byte for byte', async () => {
    const { README_CONFIG } = await import('./vitepress/helpers.js')
    expect(section(readme, 'VitePress')).toContain('```js\n// docs/.vitepress/config.mjs\n' + README_CONFIG + '```')
  })

  it('shows the Next.js config of examples/next, which test/next builds, byte for byte', () => {
    expect(section(readme, 'Next.js')).toContain('```js\n' + read('examples/next/next.config.mjs') + '```')
  })

  it('shows the MDX with Vite config that test/vite/mdx.test.ts builds', () => {
    const mdx = section(readme, 'MDX with Vite')
    expect(mdx).toContain('npm install --save-dev imageboss-build @mdx-js/rollup')
    expect(mdx).toContain('const images = imageboss()')
    expect(mdx).toContain('plugins: [mdx({ rehypePlugins: [images.rehype] }), images]')
  })

  it('shows exactly the two commands for a fresh clone under Develop, and links CONTRIBUTING.md', () => {
    const develop = section(readme, 'Develop')
    const commands = [...develop.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]?.trim())
    expect(commands).toEqual(['npm install && npm run demo', 'npm test'])
    expect(develop).toContain('(CONTRIBUTING.md)')
  })
})

describe('docs/messages.md', () => {
  const messages = read('docs/messages.md')
  const anchors = anchorsOf(messages)

  it.each(RULE_IDS)('documents the rule `%s` with when, why and how to solve, where its messages link', (ruleId) => {
    const rule = section(messages, `\`${ruleId}\``)
    expect(rule.startsWith(`### \`${ruleId}\``)).toBe(true)
    expect(rule).toContain('**When**')
    expect(rule).toContain('**Why**')
    expect(rule).toContain('**To solve**')
    expect(anchors).toContain(ruleId)
    expect(ruleUrl(ruleId)).toBe(`https://github.com/imageboss-build/imageboss-build/blob/main/docs/messages.md#${ruleId}`)
  })

  it('has no heading for a rule that does not exist', () => {
    const documented = [...messages.matchAll(/^### `([^`]+)`$/gm)].map((match) => match[1])
    expect(documented).toEqual([...RULE_IDS])
  })
})

describe('docs/syntax.md', () => {
  const syntax = read('docs/syntax.md')

  it('shows the one table of what is a reference: every attribute and every kind of file the scanners read', () => {
    const where = section(syntax, 'Where references are found')
    for (const entry of URL_ATTRIBUTES) expect(where).toContain(`\`${entry.attribute}\``)
    for (const extension of Object.keys(FILE_KINDS)) expect(where).toContain(`\`${extension}\``)
  })

  it('documents every ImageBoss option and operation parameter in its tables', () => {
    for (const name of [...Object.keys(IMAGE_OPTIONS), ...Object.keys(OPERATION_PARAMETERS)]) {
      expect(syntax).toMatch(new RegExp('^\\|[^\\n]*`' + name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '`', 'm'))
    }
  })
})

describe('docs/api.md', () => {
  it('documents every option of createImageBoss in the Options table', () => {
    const options = section(read('docs/api.md'), 'Options')
    for (const name of [
      'source',
      'secret',
      'sources',
      'baseUrl',
      'defaults',
      'presets',
      'extraOptions',
      'env',
      'production',
      'onWarning',
      'responsive',
      'attributes'
    ]) {
      expect(options).toMatch(new RegExp('^\\| `' + name + '` \\|', 'm'))
    }
  })
})

describe('links', () => {
  it('finds the anchors GitHub makes, as the docs use them', () => {
    expect([...anchorsOf('### `invalid-value`\n## `createImageBoss(options?)`\n## Options\n## Options\n```sh\n# not a heading\n```\n')]).toEqual([
      'invalid-value',
      'createimagebossoptions',
      'options',
      'options-1'
    ])
    expect(linksOf('[a](x.md) `[b](y.md)`\n```md\n[c](z.md)\n```\n![d](e.png)')).toEqual(['x.md', 'e.png'])
  })

  it.each(PAGES)('in %s: every relative link points to a file that exists, and every anchor to a heading', (page) => {
    const links = linksOf(read(page)).filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target))
    for (const link of links) {
      const [file = '', anchor] = link.split('#')
      const target = file === '' ? page : path.posix.normalize(path.posix.join(path.posix.dirname(page), file))
      expect(existsSync(path.join(ROOT, target)), `${page}: ${link}`).toBe(true)
      if (anchor !== undefined) {
        expect(target.endsWith('.md'), `${page}: ${link}`).toBe(true)
        expect([...anchorsOf(read(target))], `${page}: ${link}`).toContain(anchor)
      }
    }
  })

  it('links every docs page from the README', () => {
    const linked = new Set(linksOf(readme).map((link) => link.split('#')[0]))
    for (const page of DOCS) expect(linked, page).toContain(page)
  })
})
