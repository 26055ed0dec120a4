// The final check of a production build: nothing unsigned ships. Plugins in these tests slip
// references and unsigned URLs past the transforms, as a plugin or a data file could.
import { build, type Plugin } from 'vite'
import { describe, expect, it } from 'vitest'
import imageboss from 'imageboss-build/vite'
import { ImageBossError } from 'imageboss-build'
import { buildError, outputFiles, recordingLogger, signedUrl, tempProject } from './helpers.js'

const SECRET = 'output-check-secret'

async function project() {
  return tempProject({
    'index.html':
      '<!doctype html>\n<pre><code>&lt;img src="imageboss:/sample.jpg"&gt;</code></pre>\n<img src="imageboss:/ok.jpg?w=10">\n<script type="module" src="/src/main.js"></script>\n',
    'src/main.js': "export const ok = 'imageboss:/ok.jpg?w=20'\nconsole.log(ok)\n",
    'src/data.json': '{ "hero": "imageboss:/from-json.jpg?w=30" }\n'
  })
}

/** Appends `code` to the entry chunk after the transforms ran. */
function inject(code: string): Plugin {
  return {
    name: 'test:inject',
    renderChunk(chunk, info) {
      return info.isEntry ? { code: chunk + code, map: null } : null
    }
  }
}

async function run(root: string, plugins: Plugin[], production = true) {
  const { logger } = recordingLogger()
  return build({
    root,
    configFile: false,
    customLogger: logger,
    logLevel: 'silent',
    plugins: [imageboss({ source: 'site', secret: SECRET, sources: { open: { signed: false } }, env: {}, production }), ...plugins],
    build: { write: false, minify: false }
  })
}

describe('the output check of production builds', () => {
  it('passes a clean build, `<pre><code>` samples and signed URLs included', async () => {
    const files = outputFiles(await run(await project(), []))
    const html = files.find((f) => f.fileName === 'index.html')?.text ?? ''
    expect(html).toContain('&lt;img src="imageboss:/sample.jpg"&gt;')
    expect(html).toContain(signedUrl('/site/width/10/format:auto/ok.jpg', SECRET))
  })

  it('fails on a reference string slipped into a chunk, naming the file and line', async () => {
    const error = await buildError(run(await project(), [inject("\nconsole.log('x')\nwindow.slipped = 'imageboss:/slipped.jpg?w=5'\n")]))
    expect(error).toBeInstanceOf(ImageBossError)
    expect(error.message).toMatch(/^assets\/index-[\w-]+\.js:\d+:\d+: leftover-reference: Unexpected `imageboss:` reference left in the output/)
    expect(error.message).toContain('imageboss:/slipped.jpg?w=5')
    const [, line] = /index-[\w-]+\.js:(\d+):/.exec(error.message) ?? []
    expect(Number(line)).toBeGreaterThan(2)
  })

  it('fails on an ImageBoss URL of a signed source without `bossToken`; passes a signed one and one of an unsigned source', async () => {
    const unsigned = 'https://img.imageboss.me/site/width/100/a.jpg'
    const error = await buildError(run(await project(), [inject(`\nwindow.u = ${JSON.stringify(unsigned)}\n`)]))
    expect(error.message).toMatch(
      /^assets\/index-[\w-]+\.js:\d+:\d+: unsigned-url: Unexpected unsigned URL of source `site`, which demands signed URLs; expected a `bossToken`: https:\/\/img\.imageboss\.me\/site\/width\/100\/a\.jpg$/
    )
    expect(error.message).toContain(unsigned)

    const fine = [signedUrl('/site/width/100/a.jpg', SECRET), 'https://img.imageboss.me/open/cdn/b.jpg', 'https://img.imageboss.me/unknown/cdn/c.jpg']
    await run(await project(), [inject(`\nwindow.v = ${JSON.stringify(fine)}\n`)])
  })

  it('fails on a reference that reached the bundle through a JSON import', async () => {
    const root = await project()
    const { writeFile } = await import('node:fs/promises')
    await writeFile(`${root}/src/main.js`, "import data from './data.json'\nconsole.log(data.hero)\n")
    const error = await buildError(run(root, []))
    expect(error.message).toMatch(/^assets\/index-[\w-]+\.js:\d+:\d+: leftover-reference: .*\(from src\/data\.json\): imageboss:\/from-json\.jpg\?w=30$/)
  })

  it('fails on references in URL positions of HTML and CSS assets, at their line', async () => {
    const emit: Plugin = {
      name: 'test:emit',
      generateBundle() {
        this.emitFile({
          type: 'asset',
          fileName: 'late.html',
          source: '<!doctype html>\n<p>x</p>\n<img src="imageboss:/late.jpg">\n<pre>imageboss:/sample.jpg</pre>\n'
        })
        this.emitFile({ type: 'asset', fileName: 'late.css', source: '/* imageboss:/comment.jpg */\n.a{}\n.b { background: url(imageboss:/late-css.jpg) }\n' })
        this.emitFile({ type: 'asset', fileName: 'late.js.map', source: '{"sourcesContent":["\'imageboss:/in-map.jpg\'"]}' })
      }
    }
    const error = await buildError(run(await project(), [emit]))
    expect(
      error.message
        .split('\n')
        .slice(1)
        .map((line) => line.trim().split(': ').slice(0, 2))
        .sort()
    ).toEqual([
      ['late.css:3:22', 'leftover-reference'],
      ['late.html:3:11', 'leftover-reference']
    ])
    expect(error.message).toContain('imageboss:/late-css.jpg')
    expect(error.message).toContain('imageboss:/late.jpg')
  })

  it('leaves development builds (`production: false`) alone', async () => {
    await run(await project(), [inject("\nwindow.slipped = 'imageboss:/slipped.jpg'\n")], false)
  })

  it("exempts no `.url()` call in client output: one that is not this package's own is code like any other", async () => {
    const error = await buildError(
      run(await project(), [inject("\nwindow.r = boss.url('imageboss:/runtime.jpg?w=' + w)\nwindow.s = boss.resolve('imageboss:/static.jpg')\n")])
    )
    // The output check knows no signer's calls: what reaches the output is a leftover wherever it stands.
    expect(error.message).toMatch(/^leftover-reference: 2 problems/)
    expect(error.message).toMatch(/ {2}assets\/index-[\w-]+\.js:\d+:\d+: leftover-reference: .*imageboss:\/runtime\.jpg/)
    expect(error.message).toMatch(/ {2}assets\/index-[\w-]+\.js:\d+:\d+: leftover-reference: .*imageboss:\/static\.jpg/)
  })
})

describe('the output check message', () => {
  it('lists the first 50 leftovers and counts the rest', async () => {
    const { formatProblems } = await import('../../src/core/problems.js')
    const leftovers = Array.from({ length: 60 }, (_, i) => ({
      ruleId: 'leftover-reference' as const,
      reason: 'Unexpected reference left',
      start: 0,
      end: 0,
      reference: `imageboss:/${i}.jpg`,
      place: { file: 'page.html', line: i + 1, column: 3 }
    }))
    const lines = formatProblems(leftovers).split('\n')
    expect(lines.filter((line) => line.startsWith('page.html:'))).toHaveLength(50)
    expect(lines.at(-1)).toBe('… and 10 more')
    expect(lines[0]).toBe('page.html:1:3: leftover-reference: Unexpected reference left: imageboss:/0.jpg')
  })
})
