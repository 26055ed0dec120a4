import { describe, expect, it, vi } from 'vitest'
import { ImageBossError } from '../../src/index.js'
import rehypeImageBoss from '../../src/rehype.js'
import { DEV_OPTIONS, OPTIONS, SECRET, encodeSegment, signedUrl, unsignedUrl } from './expected.js'
import { run } from './pipeline.js'

describe('the independent expected-URL helper', () => {
  it('matches vector C-1 of the spec (agreed by the official Go and Ruby clients)', () => {
    expect(signedUrl('/mysecureimages/width/500/01.jpg', 'mysecret')).toBe(
      'https://img.imageboss.me/mysecureimages/width/500/01.jpg?bossToken=721fb4de4d58e0570789e12dc4319a2f5c63ffdff18a3c2dec6d90163a694c2c'
    )
  })
  it('encodes like Go PathEscape', () => {
    expect(encodeSegment("a b:@&=+$!'()*~é")).toBe('a%20b:@&=+$%21%27%28%29%2A~%C3%A9')
  })
})

describe('rehypeImageBoss: messages', () => {
  it('reports an invalid reference at the element, in unified style, leaving it unchanged', async () => {
    const file = await run('![alt](imageboss:/a.jpg?qualty=80)\n', DEV_OPTIONS)
    expect(file.messages.map(String)).toEqual(['page.md:1:1-1:35: Unexpected unknown parameter `qualty`, expected a known parameter such as `quality`'])
    const [message] = file.messages
    expect(message?.ruleId).toBe('unknown-parameter')
    expect(message?.source).toBe('imageboss-build')
    expect(message?.fatal).toBe(false)
    expect(message?.url).toBe('https://github.com/imageboss-build/imageboss-build/blob/main/docs/messages.md#unknown-parameter')
    expect(message?.ancestors?.map((node) => node.type)).toEqual(['root', 'element', 'element'])
    expect(String(file)).toBe('<p><img src="imageboss:/a.jpg?qualty=80" alt="alt"></p>')
  })

  it('reports every problem of a file, each at its place', async () => {
    const md = '# Title\n\n![a](imageboss:/a.jpg?w=0)\n\n![b](imageboss:/b.jpg#x)\n\n![c](imageboss:/ok.jpg?w=10)\n'
    const file = await run(md, DEV_OPTIONS)
    // `![a](imageboss:/a.jpg?w=0)` is 26 characters: columns 1 to 27 (end exclusive).
    expect(file.messages.map((m) => [String(m).replace(/\(`#`\).*/, '…'), m.ruleId])).toEqual([
      ['page.md:3:1-3:27: Unexpected value `0` for `w`, expected an integer from 1 to 8192', 'invalid-value'],
      ['page.md:5:1-5:25: Unexpected fragment …', 'invalid-reference']
    ])
    expect(String(file)).toContain(signedUrl('/demo-images/width/10/format:auto/ok.jpg', SECRET))
  })

  it('fails a production build after reporting all problems of the file', async () => {
    const md = '![a](imageboss:/a.jpg?qualty=80)\n\n<img src="imageboss://nowhere/b.jpg">\n\n![c](imageboss:/c.jpg?w=1&h=2&op=width)\n'
    const options = { ...OPTIONS, production: true }
    const { VFile } = await import('vfile')
    const file = new VFile({ value: md, path: 'page.md' })
    const { processor } = await import('./pipeline.js')
    // The error a plain script prints: every reason, each at its place.
    const error = await processor('raw-nodes', options)
      .process(file)
      .then(
        () => undefined,
        (error: unknown) => error
      )
    expect(String(error)).toContain('Cannot sign 3 image references in a production build')
    const lines = String((error as Error).message)
      .split('\n')
      .slice(1)
    expect(lines.map((line) => line.trim().split(': ').slice(0, 2))).toEqual([
      ['page.md:1:1', 'unknown-parameter'],
      ['page.md:3:23', 'unknown-source'],
      ['page.md:5:1', 'conflicting-parameters']
    ])
    for (const line of lines) expect(line).toMatch(/: Unexpected /)
    expect(file.messages.map((m) => [m.ruleId, m.fatal, m.place && 'start' in m.place ? m.place.start.line : 0])).toEqual([
      ['unknown-parameter', true, 1],
      ['unknown-source', true, 3],
      ['conflicting-parameters', true, 5],
      ['unknown-parameter', true, 1]
    ])
    expect(String(file.messages[3]).split('\n')[0]).toBe(
      'page.md:1:1-1:33: Cannot sign 3 image references in a production build, expected valid `imageboss:` references:'
    )
  })

  it('defaults to production from NODE_ENV in `env`', async () => {
    await expect(run('![a](imageboss:/a.jpg?qualty=1)\n', { ...OPTIONS, env: { NODE_ENV: 'production' } })).rejects.toThrow(/Cannot sign 1 image reference/)
  })

  it('missing secret: production fails with `missing-secret`', async () => {
    const { VFile } = await import('vfile')
    const { processor } = await import('./pipeline.js')
    const file = new VFile({ value: '![a](imageboss:/a.jpg?w=10)\n\n![b](imageboss:/b.jpg?w=20)\n', path: 'page.md' })
    await expect(processor('no-raw', { source: 'demo-images', env: {}, production: true }).process(file)).rejects.toThrow(/Cannot sign 2 image references/)
    expect(file.messages.map((m) => m.ruleId)).toEqual(['missing-secret', 'missing-secret', 'missing-secret'])
    expect(file.messages[0]?.reason).toBe(
      'Missing secret for source `demo-images`, expected the `IMAGEBOSS_SECRET` variable or the `secret` option (or `signed: false` for a source without signed URLs)'
    )
  })

  it('missing secret: development gives one warning (once per plugin instance) and unsigned URLs', async () => {
    const { processor } = await import('./pipeline.js')
    const { VFile } = await import('vfile')
    const onWarning = vi.fn()
    const p = processor('no-raw', { source: 'demo-images', env: {}, production: false, onWarning })
    const first = await p.process(new VFile({ value: '![a](imageboss:/a.jpg?w=10)\n\n![b](imageboss:/b.jpg?w=20)\n', path: 'one.md' }))
    const second = await p.process(new VFile({ value: '![c](imageboss:/c.jpg?w=30)\n', path: 'two.md' }))
    expect(first.messages.map(String)).toEqual([
      'one.md:1:1-1:28: Missing secret for source `demo-images`, expected the `IMAGEBOSS_SECRET` variable or the `secret` option (or `signed: false` for a source without signed URLs)'
    ])
    expect(first.messages[0]?.fatal).toBe(false)
    expect(first.messages[0]?.ruleId).toBe('missing-secret')
    expect(second.messages).toEqual([])
    expect(onWarning).toHaveBeenCalledTimes(1)
    expect(String(first)).toBe(
      `<p><img src="${unsignedUrl('/demo-images/width/10/format:auto/a.jpg')}" alt="a"></p>\n<p><img src="${unsignedUrl('/demo-images/width/20/format:auto/b.jpg')}" alt="b"></p>`
    )
    expect(String(second)).toBe(`<p><img src="${unsignedUrl('/demo-images/width/30/format:auto/c.jpg')}" alt="c"></p>`)
  })

  it('never puts the secret in a message', async () => {
    const md = '![a](imageboss:/a.jpg?qualty=80)\n\n![b](imageboss://other/b.jpg)\n\n<img src={x}>\n'
    const file = await run(md, { ...DEV_OPTIONS, sources: { other: {} } }, 'raw-nodes')
    expect(file.messages.length).toBeGreaterThan(1)
    for (const message of file.messages) {
      expect(String(message)).not.toContain(SECRET)
      expect(JSON.stringify({ ...message, ancestors: undefined })).not.toContain(SECRET)
    }
  })

  it('throws configuration mistakes when the plugin is created', () => {
    const bad = () => rehypeImageBoss({ source: 'not a source' })
    expect(bad).toThrow(ImageBossError)
    expect(bad).toThrow(/Unexpected `source` `not a source`/)
    try {
      rehypeImageBoss({ env: { VITE_IMAGEBOSS_SECRET: 'leak' } })
      expect.unreachable()
    } catch (error) {
      expect((error as ImageBossError).ruleId).toBe('exposed-secret')
      expect(String(error)).not.toContain('leak')
    }
  })
})
