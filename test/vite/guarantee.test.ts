// The promise of a production `vite build`: every `imageboss:` reference is signed, or the build
// fails with a located message. Each case is its own real build. Expected URLs come from the
// oracle; the scan of the output uses this test's own pattern, not the package's.
import { readdirSync, readFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { parse } from 'acorn'
import { build, type Plugin } from 'vite'
import { describe, expect, it } from 'vitest'
import imageboss from 'imageboss-build/vite'
import { ImageBossError, type Problem } from 'imageboss-build'
import { cliVars, runCli, SITES } from '../cli/run.js'
import { buildError, outputFiles, signedUrl, tempProject, type OutputFile } from './helpers.js'

const SECRET = 'guarantee-secret'
const url = (signedPath: string) => signedUrl(signedPath, SECRET)
/** `imageboss:` as any output could spell it: plain, entities, JS and CSS escapes. */
const ANY_REFERENCE_RE = /imageboss(?::|&colon;|&#0*58;?|&#x0*3a;?|\\u003a|\\x3a|\\u\{0*3a\}|\\0*3a)/i

async function siteBuild(files: Record<string, string>) {
  const root = await tempProject(files)
  return {
    root,
    run: () =>
      build({
        root,
        configFile: false,
        logLevel: 'silent',
        plugins: [imageboss({ source: 'g', secret: SECRET, env: {} })],
        build: { write: false, minify: false, sourcemap: true }
      })
  }
}

/** Every emitted file is free of references, source maps' `sourcesContent` aside. */
function expectNoReference(files: OutputFile[]): void {
  for (const file of files) {
    let text = file.text
    if (file.fileName.endsWith('.map')) text = JSON.stringify({ ...(JSON.parse(text) as object), sourcesContent: [] })
    expect(text, file.fileName).not.toMatch(ANY_REFERENCE_RE)
  }
}

const HTML = (body: string) => `<!doctype html>\n<html><head></head><body>\n${body}\n<script type="module" src="/src/main.js"></script>\n</body></html>\n`

describe('a production vite build signs', () => {
  it.each<[string, Record<string, string>, string[]]>([
    [
      'a classic inline <script>',
      { 'index.html': HTML("<script>window.a = 'imageboss:/a.jpg?w=50'</script>"), 'src/main.js': '' },
      ['/g/width/50/format:auto/a.jpg']
    ],
    [
      'JSON-LD',
      { 'index.html': HTML('<script type="application/ld+json">{"@type": "ImageObject", "contentUrl": "imageboss:/a.jpg?w=60"}</script>'), 'src/main.js': '' },
      ['/g/width/60/format:auto/a.jpg']
    ],
    [
      'markup inside a JS string',
      { 'index.html': HTML(''), 'src/main.js': "document.body.insertAdjacentHTML('beforeend', '<img src=\"imageboss:/a.jpg?w=100\">')\n" },
      ['/g/width/100/format:auto/a.jpg']
    ],
    [
      'CSS inside a template literal',
      { 'index.html': HTML(''), 'src/main.js': 'document.body.style.cssText = `background: url(imageboss:/a.jpg?w=50)`\n' },
      ['/g/width/50/format:auto/a.jpg']
    ],
    [
      '<iframe srcdoc>',
      { 'index.html': HTML('<iframe srcdoc="<img src=&quot;imageboss:/a.jpg?w=70&quot;>"></iframe>'), 'src/main.js': '' },
      ['/g/width/70/format:auto/a.jpg']
    ],
    [
      'the argument of any other `.url()`',
      { 'index.html': HTML(''), 'src/main.js': "const o = { url: (u) => u }\nconsole.log(o.url('imageboss:/a.jpg?w=80'))\n" },
      ['/g/width/80/format:auto/a.jpg']
    ],
    [
      'markup with a responsive <img> in a double-quoted string',
      { 'index.html': HTML(''), 'src/main.js': `document.body.innerHTML = "<img src='imageboss:/a.jpg?w=100&srcset=auto' alt='x'>"\n` },
      ['/g/width/100/format:auto/a.jpg', '/g/width/200/format:auto/a.jpg']
    ]
  ])('%s', async (_, files, signedPaths) => {
    const { run } = await siteBuild(files)
    const output = outputFiles(await run())
    const all = output.map((f) => f.text).join('\n')
    for (const signedPath of signedPaths) expect(all).toContain(url(signedPath))
    expectNoReference(output)
    for (const chunk of output.filter((f) => f.fileName.endsWith('.js')))
      expect(() => parse(chunk.text, { ecmaVersion: 'latest', sourceType: 'module' })).not.toThrow()
  })
})

describe('a production vite build fails, naming the file, line and column', () => {
  it('on a stylesheet in `public/`, copied as it is', async () => {
    const { run } = await siteBuild({ 'index.html': HTML(''), 'src/main.js': '', 'public/site.css': 'body {\n  background: url(imageboss:/a.jpg?w=50);\n}\n' })
    const error = await buildError(run())
    expect(error).toBeInstanceOf(ImageBossError)
    expect(error.message).toMatch(/^public\/site\.css:2:19: leftover-reference: .*files in `public\/` are copied as they are.*: imageboss:\/a\.jpg\?w=50$/)
  })

  it('on an SVG imported with `?url`, naming the asset and the file it came from', async () => {
    const { run } = await siteBuild({
      'index.html': HTML(''),
      'src/main.js': "import icon from './icon.svg?url'\ndocument.body.append(Object.assign(new Image(), { src: icon }))\n",
      'src/icon.svg':
        '<svg xmlns="http://www.w3.org/2000/svg">\n  <image href="imageboss:/a.jpg?w=40" width="10" height="10"/>\n' + ' '.repeat(5000) + '\n</svg>\n'
    })
    const error = await buildError(run())
    expect(error.message).toMatch(/^assets\/icon-[\w-]+\.svg:2:16: leftover-reference: .*\(from src\/icon\.svg\): imageboss:\/a\.jpg\?w=40$/)
  })

  it('on every problem of every file in one run, identical ones grouped', async () => {
    const files = {
      'index.html': HTML('<img src="imageboss:/a.jpg?qualty=1">\n<p>see imageboss:/prose.jpg</p>'),
      'src/main.js': "import './a.css'\nexport const b = 'imageboss:/b.jpg?w=0'\nexport const c = 'imageboss:/c.jpg?w=' + window.w\n",
      'src/a.css': 'a { background: url(imageboss:/d.jpg?qualty=2) }\n'
    }
    const { run } = await siteBuild(files)
    const error = (await buildError(run())) as unknown as ImageBossError & { problems: Problem[] }
    expect(error).toBeInstanceOf(ImageBossError)
    const places = error.problems.map((p) => `${path.basename(p.place?.file ?? '')}:${p.place?.line}:${p.place?.column} ${p.ruleId}`).sort()
    /** `file:line:column` of `needle` in a file (plus `shift` characters), 1-based. */
    const at = (name: keyof typeof files, needle: string, shift = 0) => {
      const text = files[name]
      const offset = text.indexOf(needle) + shift
      const before = text.slice(0, offset).split('\n')
      return `${path.basename(name)}:${before.length}:${(before.at(-1)?.length ?? 0) + 1}`
    }
    expect(places).toEqual(
      [
        `${at('index.html', 'qualty')} unknown-parameter`,
        `${at('index.html', 'imageboss:/prose')} unsupported-position`,
        `${at('src/main.js', 'w=0', 2)} invalid-value`,
        `${at('src/main.js', "'imageboss:/c.jpg")} dynamic-reference`,
        `${at('src/a.css', 'qualty')} unknown-parameter`
      ].sort()
    )
    // `qualty` twice: one line with both places.
    expect(error.message).toMatch(/unknown-parameter: Unexpected unknown parameter `qualty`.*\(2 times: /)
  })
})

describe('signers in browser code', () => {
  it('stop a build with `client-signing` at the import', async () => {
    const files = {
      'index.html': HTML(''),
      'src/main.js':
        "import { imagebossUrl } from 'imageboss-build/astro/runtime'\nimport * as core from 'imageboss-build'\nconsole.log(imagebossUrl(location.hash), core)\n"
    }
    const { run } = await siteBuild(files)
    const error = (await buildError(run())) as unknown as ImageBossError & { problems: Problem[] }
    expect(error.problems.map((p) => `${path.basename(p.place?.file ?? '')}:${p.place?.line}:${p.place?.column} ${p.ruleId}`)).toEqual([
      'main.js:1:10 client-signing',
      'main.js:2:8 client-signing'
    ])
    expect(error.message).toContain('Unexpected `imagebossUrl` of imageboss-build imported into code that runs in the browser')
  })
})

describe('a production vite build without a secret', () => {
  it('says `missing-secret` once, with the count and places of the references it stopped', async () => {
    const root = await tempProject({
      'index.html': HTML('<img src="imageboss:/a.jpg?w=1">\n<img src="imageboss:/b.jpg?w=2">'),
      'src/main.js': "export const c = 'imageboss:/c.jpg?w=3'\n"
    })
    const error = await buildError(
      build({ root, configFile: false, logLevel: 'silent', plugins: imageboss({ source: 'g', env: {} }), build: { write: false } })
    )
    expect(error.message).toMatch(/^missing-secret: 3 problems/)
    const lines = error.message.split('\n').filter((line) => line.startsWith('  ') && line.includes('missing-secret'))
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/\(3 times: (?:index\.html|src\/main\.js):\d+:\d+, .*\)$/)
  })
})

/** Every file of a built site, emitted into a build as assets, as another plugin could. */
function emitSite(dir: string): Plugin {
  return {
    name: 'test:emit-site',
    generateBundle() {
      for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile()) continue
        const file = path.join(entry.parentPath, entry.name)
        this.emitFile({ type: 'asset', fileName: path.relative(dir, file).split(path.sep).join('/'), source: readFileSync(file) })
      }
    }
  }
}

/** A built site with the kinds of leftovers each scanner finds, escaped forms included. */
const HOSTILE_SITE: Record<string, string> = {
  'index.html':
    '<!doctype html>\n<img src="imageboss:/a.jpg">\n<p>text imageboss&colon;/b.jpg</p>\n<pre>imageboss:/sample.jpg</pre>\n<script>var x = "imageboss\\u003a/c.jpg"</script>\n' +
    '<a href="https://img.imageboss.me/demo/width/10/d.jpg">unsigned</a>\n<img src="https://img.imageboss.me/demo/width/10/e.jpg?bossToken=' +
    '0'.repeat(64) +
    '">\n',
  'app.js': "export const a = 'imageboss:/f.jpg'\nexport const b = `<img src=\"imageboss:/g.jpg\">`\nconst c = { 'imageboss:/key.jpg': 1 }\n",
  'site.css': '/* imageboss:/comment.jpg */\n.a { background: url(imageboss\\3a /h.jpg) }\n',
  'feed.xml': '<rss><item><enclosure url="imageboss:/i.jpg"/><description>&lt;img src="imageboss:/j.jpg"&gt;</description></item></rss>\n',
  'icon.svg': '<svg><image href="imageboss:/k.jpg"/></svg>\n',
  'data.json': '{"image": "imageboss:/l.jpg", "imageboss:/key.jpg": 1}\n',
  'robots.txt': 'Sitemap: imageboss:/m.jpg\n'
}

describe('the build-output check and `imageboss verify` agree', () => {
  async function viteFindings(dir: string): Promise<string[]> {
    const root = await tempProject({ 'src/main.js': 'export const nothing = 1\n' })
    const error = (await buildError(
      build({
        root,
        configFile: false,
        logLevel: 'silent',
        plugins: [imageboss({ env: cliVars() }), emitSite(dir)],
        build: { write: false, rollupOptions: { input: `${root}/src/main.js` } }
      })
    )) as unknown as { problems?: Problem[] }
    return (error.problems ?? []).map((p) => `${p.place?.file}:${p.place?.line}:${p.place?.column} ${p.ruleId}`).sort()
  }

  async function verifyFindings(dir: string): Promise<string[]> {
    const result = await runCli(['verify', '.', '--json'], { cwd: dir })
    const { findings } = JSON.parse(result.stdout) as { findings: Array<{ file: string; line: number; column: number; rule: string }> }
    return findings.map((f) => `${path.normalize(f.file)}:${f.line}:${f.column} ${f.rule}`).sort()
  }

  it.each([
    ['the Hugo-like site', path.join(SITES, 'hugo/public')],
    ['the Eleventy-like site', path.join(SITES, 'eleventy/_site')],
    ['a site of leftovers in every kind of file', 'hostile']
  ])('on %s', async (_, site) => {
    let dir = site
    if (site === 'hostile') {
      dir = await tempProject({})
      for (const [name, text] of Object.entries(HOSTILE_SITE)) {
        await mkdir(path.dirname(path.join(dir, name)), { recursive: true })
        await writeFile(path.join(dir, name), text)
      }
    }
    const fromVite = await viteFindings(dir)
    const fromVerify = await verifyFindings(dir)
    expect(fromVite.length).toBeGreaterThan(0)
    expect(fromVite).toEqual(fromVerify)
  })
})
