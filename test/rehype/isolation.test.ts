// Two rehype pipelines at once, with different sources and secrets: each plugin instance
// keeps its own resolver, so no URL of one is signed for the other.
import { describe, expect, it } from 'vitest'
import { expectedUrl } from '../helpers/expected.js'
import { processor } from './pipeline.js'

const MARKDOWN = Array.from({ length: 50 }, (_, i) => `![${i}](imageboss:/p${i}.jpg?w=${i + 1})\n`).join('\n')

describe('two rehype pipelines at once', () => {
  it('never mix sources or secrets', async () => {
    const sites = [
      { source: 'site-a', secret: 'secret-a' },
      { source: 'site-b', secret: 'secret-b' }
    ]
    const outputs = await Promise.all(
      [...sites, ...sites].map(({ source, secret }) => processor('raw-nodes', { source, secret, env: {}, production: true }).process(MARKDOWN))
    )
    outputs.forEach((output, index) => {
      const { source, secret } = sites[index % 2] as { source: string; secret: string }
      for (let i = 0; i < 50; i++) expect(String(output)).toContain(`src="${expectedUrl(`/${source}/width/${i + 1}/format:auto/p${i}.jpg`, secret)}"`)
    })
  })
})
