// Fails when the README drifts from the code: every rule id and option is documented.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { RULE_IDS } from '../src/index.js'
import { IMAGE_OPTIONS, OPERATION_PARAMETERS } from '../src/core/parameters.js'
import { URL_ATTRIBUTES } from '../src/core/attributes.js'
import { FILE_KINDS } from '../src/core/scan/dispatch.js'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const messages = readme.slice(readme.indexOf('## Messages'), readme.indexOf('## Types'))

describe('README', () => {
  it.each(RULE_IDS)('documents the rule `%s` under Messages, with when, why and how to solve', (ruleId) => {
    const start = messages.indexOf(`### \`${ruleId}\``)
    expect(start).toBeGreaterThan(-1)
    const section = messages.slice(start, messages.indexOf('\n### ', start + 1) >>> 0)
    expect(section).toContain('**When**')
    expect(section).toContain('**Why**')
    expect(section).toContain('**To solve**')
  })

  it('shows the one table of what is a reference: every attribute and every kind of file the scanners read', () => {
    const section = readme.slice(readme.indexOf('## Where references are found'), readme.indexOf('## Messages'))
    for (const entry of URL_ATTRIBUTES) expect(section).toContain(`\`${entry.attribute}\``)
    for (const extension of Object.keys(FILE_KINDS)) expect(section).toContain(`\`${extension}\``)
  })

  it('documents every ImageBoss option and operation parameter', () => {
    for (const name of [...Object.keys(IMAGE_OPTIONS), ...Object.keys(OPERATION_PARAMETERS)]) {
      expect(readme).toContain(`\`${name}\``)
    }
  })

  it('documents every option of createImageBoss', () => {
    for (const name of ['source', 'secret', 'sources', 'baseUrl', 'defaults', 'presets', 'extraOptions', 'env', 'production', 'onWarning', 'responsive', 'attributes']) {
      expect(readme).toMatch(new RegExp('^\\| `' + name + '` \\|', 'm'))
    }
  })

  it('shows a first example whose URL is what the demo settings produce', () => {
    // The worked example with the default `defaults` ({format: 'auto'}), from the vectors.
    const { cases } = JSON.parse(readFileSync(new URL('fixtures/vectors/reference-cases.json', import.meta.url), 'utf8')) as {
      cases: Array<{ settings: { defaults?: unknown }; reference: string; url: string | null }>
    }
    const vector = cases.find((c) => c.reference === 'imageboss:/photos/cat.jpg?w=800' && c.settings.defaults === undefined)
    const example = /```html\n(<img src="https:[^\n]+)\n```/.exec(readme)?.[1]
    expect(vector?.url).toMatch(/^https:/)
    expect(example).toBe(`<img src="${vector?.url}" alt="A cat">`)
  })

  it('shows the VitePress config that test/vitepress builds, byte for byte', async () => {
    const { README_CONFIG } = await import('./vitepress/helpers.js')
    expect(readme).toContain('```js\n// docs/.vitepress/config.mjs\n' + README_CONFIG + '```')
  })

  it('shows the MDX with Vite config that test/vite/mdx.test.ts builds', () => {
    const section = readme.slice(readme.indexOf('### MDX with Vite'), readme.indexOf('### SvelteKit'))
    expect(section).toContain('const images = imageboss()')
    expect(section).toContain('plugins: [mdx({ rehypePlugins: [images.rehype] }), images]')
  })

  it('shows the quick start and the test command', () => {
    expect(readme).toContain('npm install && npm run demo')
    expect(readme).toContain('npm test')
  })
})
