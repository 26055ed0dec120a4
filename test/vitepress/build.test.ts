// A real `vitepress build` of examples/vitepress (VitePress 1.6.4, which runs Vite 5), with the
// config the README gives: Markdown, raw HTML, a theme component and `head` come out signed.
import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { badTokens, copyExample, lineColumn, README_CONFIG, references, runVitePress, SAMPLES, SECRET, SIGNED, url } from './helpers.js'
import { readTree } from '../helpers/files.js'

describe('vitepress build (examples/vitepress)', () => {
  let files: Map<string, string>
  beforeAll(async () => {
    const dir = await copyExample()
    const result = await runVitePress(['build', 'docs'], dir)
    expect(result.output).not.toContain(SECRET)
    expect(result.code, result.output).toBe(0)
    files = await readTree(path.join(dir, 'docs/.vitepress/dist'), /\.(?:html|js|css|json)$/)
  }, 120_000)

  it('signs Markdown images, raw HTML, the page script and the `head` meta in the rendered page', () => {
    const page = files.get('index.html') ?? ''
    expect(page).toContain(`<img src="${url(SIGNED.markdownImage)}" alt="A cat">`)
    expect(page).toContain(`<img src="${url(SIGNED.rawHtml)}" alt="A dog">`)
    expect(page).toContain(`<img src="${url(SIGNED.scriptSetup)}" alt="A thumbnail">`)
    expect(page).toContain(`<meta property="og:image" content="${url(SIGNED.headMeta)}">`)
    expect(page).toContain(url(SIGNED.componentTemplate))
  })

  it('signs the theme component: template in its chunk, `<style>` in the stylesheet', () => {
    const all = [...files.values()].join('\n')
    expect(all).toContain(url(SIGNED.componentTemplate))
    const css = [...files]
      .filter(([name]) => name.endsWith('.css'))
      .map(([, text]) => text)
      .join('\n')
    expect(css).toContain(url(SIGNED.componentStyle))
  })

  it('ships no reference but the code samples, and only URLs whose tokens verify', () => {
    for (const [name, text] of files) {
      expect(badTokens(text), name).toEqual([])
      for (const reference of references(text)) expect(SAMPLES, `${name}: ${reference}`).toContain(reference)
      expect(text, name).not.toContain(SECRET)
    }
    // In the pages, those are inside `<code>`.
    for (const name of ['index.html', 'code.html']) {
      const page = files.get(name) ?? ''
      expect(page.replace(/<code>[\s\S]*?<\/code>/g, ''), name).not.toContain('imageboss:')
      expect(references(page).length, name).toBeGreaterThan(0)
    }
  })
})

describe('vitepress build with a bad reference', () => {
  it('fails with every problem of the page at file:line:column and its rule id, and no secret', async () => {
    const page =
      '---\ntitle: Guide\n---\n\n# Guide\n\n![A cat](imageboss:/photos/cat.jpg?w=0) and <img src="imageboss:/photos/dog.jpg?wdth=300">\n\nAs code it is fine: `imageboss:/photos/cat.jpg?w=0`\n'
    // With the README's config as it is written there.
    const dir = await copyExample({ 'docs/guide.md': page, 'docs/.vitepress/config.mjs': README_CONFIG })
    const { code, output } = await runVitePress(['build', 'docs'], dir)
    expect(code).not.toBe(0)
    // The README shows these lines; the places are counted here.
    expect(lineColumn(page, 'imageboss:/photos/cat.jpg?w=0', 'imageboss:/photos/cat.jpg?w='.length)).toBe('7:38')
    expect(lineColumn(page, 'imageboss:/photos/dog.jpg', 'imageboss:/photos/dog.jpg?'.length)).toBe('7:81')
    expect(output).toContain(
      [
        '[vitepress] [imageboss] invalid-value: 2 problems with `imageboss:` references in docs/guide.md:',
        '  docs/guide.md:7:38: invalid-value: Unexpected value `0` for `w`, expected an integer from 1 to 8192',
        '  docs/guide.md:7:81: unknown-parameter: Unexpected unknown parameter `wdth`, expected a known parameter such as `width`'
      ].join('\n')
    )
    expect(output).not.toContain(SECRET)
    // The problems, not a stack trace.
    expect(output).not.toMatch(/^\s+at /m)
  }, 120_000)

  it('fails on a bad `head` reference, located in the config file', async () => {
    const dir = await copyExample()
    const configFile = path.join(dir, 'docs/.vitepress/config.mjs')
    const config = (await readFile(configFile, 'utf8')).replace('og.jpg?w=1200&h=630', 'og.jpg?w=1200&h=0')
    await writeFile(configFile, config)
    const { code, output } = await runVitePress(['build', 'docs'], dir)
    expect(code).not.toBe(0)
    // One problem: its rule, its reason, and its place relative to the site's root (`docs`).
    expect(output).toContain(
      `.vitepress/config.mjs:${lineColumn(config, 'imageboss:/vitepress/og.jpg', 'imageboss:/vitepress/og.jpg?w=1200&h='.length)}: invalid-value: Unexpected value \`0\` for \`h\`, expected an integer from 1 to 8192`
    )
    expect(output).not.toContain(SECRET)
  }, 120_000)

  it('checks the pages VitePress renders after its bundles: a reference or the secret written by `transformHtml` fails the build, the page is removed, and `buildEnd` does not run', async () => {
    // `transformHtml` runs on each rendered page, past every Vite hook; `buildEnd` is where a site may deploy itself.
    const hooks = `
  transformHtml: (html, id) => id.endsWith('index.html') ? html.replace('</body>', '<img src="imageboss:/vitepress/late.jpg?w=10"></body>') : id.endsWith('code.html') ? html.replace('</body>', '<meta name="k" content="' + process.env.IMAGEBOSS_SECRET + '"></body>') : html,
  buildEnd: async () => { (await import('node:fs')).writeFileSync(new URL('./deployed', import.meta.url), 'yes') },
`
    const dir = await copyExample()
    const configFile = path.join(dir, 'docs/.vitepress/config.mjs')
    await writeFile(
      configFile,
      (await readFile(configFile, 'utf8')).replace("title: 'imageboss-build and VitePress',", `title: 'imageboss-build and VitePress',${hooks}`)
    )
    const { code, output } = await runVitePress(['build', 'docs'], dir)
    expect(code, output).not.toBe(0)
    expect(output).toMatch(/^\[imageboss\] secret-in-output: 2 problems:$/m)
    expect(output).toMatch(/leftover-reference: Unexpected `imageboss:` reference left in the output in `src`[^\n]*written by VitePress after the bundle/)
    // Each in the page it is in, relative to the site's root (`docs`), listed once.
    expect(output).toMatch(/^ {2}\.vitepress\/dist\/index\.html:\d+:\d+: leftover-reference: /m)
    expect(output).toMatch(/^ {2}\.vitepress\/dist\/code\.html:\d+:\d+: secret-in-output: /m)
    expect(output.match(/dist\/code\.html/g)).toHaveLength(1)
    expect(output).not.toContain(SECRET)
    const dist = path.join(dir, 'docs/.vitepress/dist')
    expect(existsSync(path.join(dist, 'index.html'))).toBe(false)
    expect(existsSync(path.join(dist, 'code.html'))).toBe(false)
    expect(existsSync(path.join(dist, '404.html'))).toBe(true)
    expect(existsSync(path.join(dir, 'docs/.vitepress/deployed'))).toBe(false)
  }, 120_000)
})
