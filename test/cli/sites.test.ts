import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { expectedUrl, hmac } from '../helpers/expected.js'
import { BLOG_SECRET, cliVars, copySite, runCli, SECRET, snapshot } from './run.js'

const url = (signedPath: string) => expectedUrl(signedPath, SECRET)

/** The line (1-based) of the first occurrence of `needle` in `text`. */
function lineOf(text: string, needle: string): number {
  const index = text.indexOf(needle)
  expect(index, needle).toBeGreaterThan(-1)
  return text.slice(0, index).split('\n').length
}

describe('a Hugo-like site', () => {
  it('is rewritten in place, then verified clean', async () => {
    const dir = copySite('hugo')
    const rewrite = await runCli(['rewrite', 'public'], { cwd: dir })
    expect(rewrite.stderr).toBe('')
    expect(rewrite.code).toBe(0)
    expect(rewrite.stdout).toMatch(/^imageboss rewrite: 9 files, 8 rewritten, 31 references, 0 errors in \d+\.\d\ds\n$/)

    const read = (file: string) => readFileSync(path.join(dir, 'public', file), 'utf8')
    const home = read('index.html')
    expect(home).toContain(`<meta property="og:image" content="${url('/demo/cover/1200x630/format:auto/photos/hero.jpg')}">`)
    expect(home).toContain(`<img src="${url('/demo/width/800/format:auto/photos/cat.jpg')}"   alt="A cat"  class="hero">`)
    expect(home).toContain(`url('${url('/demo/cover:entropy/1600x400/format:auto/photos/banner.jpg')}')`)
    expect(home).toContain(`<a href="${expectedUrl('/blog-assets/cdn/format:auto/downloads/poster.jpg', BLOG_SECRET)}">`)
    // Responsive keys, as the Vite plugin writes them.
    expect(home).toContain(
      `srcset="${url('/demo/cover/400x300/format:auto/photos/card.jpg')} 400w, ${url('/demo/cover/640x480/format:auto/photos/card.jpg')} 640w`
    )
    expect(home).toContain('sizes="(min-width: 400px) 400px, 100vw" width="400" height="300" loading="lazy" decoding="async" alt="Card">')
    // Inline script and JSON-LD.
    expect(home).toContain(`large: '${url('/demo/width/1600/format:auto/photos/cat.jpg')}'`)
    expect(home).toContain(`"image": "${url('/demo/width/1200/format:auto/photos/hero.jpg')}"}`)
    // Code samples and comments are left alone.
    expect(home).toContain('<pre><code>&lt;img src="imageboss:/photos/cat.jpg?w=800"&gt;</code></pre>')
    expect(home).toContain('<!-- imageboss:/photos/commented.jpg stays in a comment -->')

    const post = read('posts/first-post/index.html')
    expect(post).toContain(`<img src='${url('/demo/width/320/format:auto,quality:80/posts/first/my%20photo.jpg')}' alt='Quoted with single quotes'>`)
    expect(post).toContain('loading="eager" fetchpriority="high"')
    // The priority image is preloaded from the head, with the element's own candidates.
    const candidates = `${url('/demo/width/480/format:auto/posts/first/diagram.png')} 480w, ${url('/demo/width/960/format:auto/posts/first/diagram.png')} 960w`
    expect(post).toContain(`<link rel="preload" as="image" imagesrcset="${candidates}" imagesizes="100vw" fetchpriority="high"></head>`)
    expect(post).toContain(`srcset="${candidates}"`)

    const rss = read('posts/index.xml')
    expect(rss).toContain(`<enclosure url="${url('/demo/cover:center/1200x600/format:auto/posts/first/cover.jpg')}" length="0"`)
    expect(rss).toContain(`<media:content url="${url('/demo/width/640/format:auto/posts/first/cover.jpg')}" medium="image"/>`)
    expect(rss).toContain(`&lt;img src="${url('/demo/width/480/format:auto/posts/first/diagram.png')}" alt="Diagram"&gt;</description>`)
    expect(rss).toContain('<!-- imageboss:/ignored/in-comment.jpg -->')
    expect(read('sitemap.xml')).toContain(`<image:loc>${url('/demo/cover/1200x630/format:auto/photos/hero.jpg')}</image:loc>`)

    expect(read('css/main.css')).toContain(`.hero{background:url(${url('/demo/cover:entropy/1600x400/format:auto/photos/banner.jpg')}) no-repeat}`)
    const js = read('js/main.js')
    expect(js).toContain(`thumb:"${url('/demo/cover/200x200/format:auto/photos/cat.jpg')}",full:'${url('/demo/cdn/format:auto/photos/cat.jpg')}'`)
    expect(js).toContain(`innerHTML='<img src="${url('/demo/width/300/format:auto/photos/dog.jpg')}" alt="Dog">'`)
    expect(js).toContain('`' + url('/demo/width/100/format:auto/photos/template.jpg') + '`')
    expect(read('index.json')).toContain(`    "image": "${url('/demo/width/640/format:auto/posts/first/cover.jpg')}"\n`)
    expect(read('site.webmanifest')).toContain(`{"src":"${url('/demo/cover/192x192/format:auto/icons/icon.png')}","sizes":"192x192"`)
    // Files of other kinds are never touched.
    expect(readFileSync(path.join(dir, 'public/favicon.ico'), 'latin1')).toContain('imageboss:/binary')

    const verify = await runCli(['verify', 'public'], { cwd: dir })
    // 37 URLs in the pages, and the two candidates of the preload.
    expect(verify.stdout).toMatch(/^imageboss verify: 9 files, 39 URLs checked, 0 findings in /)
    expect(verify.code).toBe(0)

    // A second run finds nothing to do.
    const before = snapshot(dir)
    expect((await runCli(['rewrite', 'public'], { cwd: dir })).stdout).toMatch(/9 files, 0 rewritten, 0 references, 0 errors/)
    expect(snapshot(dir)).toEqual(before)
  })

  it('--dry-run lists what would change and changes nothing', async () => {
    const dir = copySite('hugo')
    const before = snapshot(dir)
    const result = await runCli(['rewrite', '--dry-run', 'public'], { cwd: dir })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('public/index.html: would rewrite 9 references\n')
    expect(result.stdout).toContain('public/sitemap.xml: would rewrite 2 references\n')
    expect(result.stdout).toMatch(/imageboss rewrite --dry-run: 9 files, 8 to rewrite, 31 references, 0 errors/)
    expect(snapshot(dir)).toEqual(before)
  })

  it('verify names the file and line of a tampered token, a stale secret, an unsigned URL and a leftover', async () => {
    const dir = copySite('hugo')
    expect((await runCli(['rewrite', 'public'], { cwd: dir })).code).toBe(0)
    const file = path.join(dir, 'public/posts/first-post/index.html')
    const original = readFileSync(file, 'utf8')
    const token = hmac(SECRET, '/demo/width/600/format:auto/posts/first/narrow.jpg')
    const tampered = token.slice(0, 10) + (token[10] === '0' ? '1' : '0') + token.slice(11)
    const unsigned = 'https://img.imageboss.me/demo/width/50/format:auto/x.jpg'
    writeFileSync(file, original.replace(token, tampered).replace('</article>', `<img src="${unsigned}">\n<img src="imageboss:/late.jpg">\n</article>`))
    const text = readFileSync(file, 'utf8')
    const result = await runCli(['verify', 'public'], { cwd: dir })
    expect(result.code).toBe(1)
    const lines = result.stdout.trim().split('\n')
    expect(lines[0]).toMatch(
      new RegExp(
        `^public/posts/first-post/index\\.html:${lineOf(text, tampered)}:\\d+: invalid-token: Unexpected \`bossToken\`: it does not verify with the secret of source \`demo\``
      )
    )
    expect(lines[0]).toContain(tampered)
    expect(lines[1]).toMatch(new RegExp(`^public/posts/first-post/index\\.html:${lineOf(text, unsigned)}:11: unsigned-url: `))
    expect(lines[2]).toMatch(new RegExp(`^public/posts/first-post/index\\.html:${lineOf(text, 'imageboss:/late.jpg')}:11: leftover-reference: `))
    expect(lines[3]).toMatch(/^imageboss verify: 9 files, \d+ URLs checked, 3 findings in /)

    const json = await runCli(['verify', '--json', 'public'], { cwd: dir })
    expect(json.code).toBe(1)
    const report = JSON.parse(json.stdout) as { files: number; findings: { file: string; line: number; rule: string; value: string }[] }
    expect(report.files).toBe(9)
    expect(report.findings.map((f) => [f.file, f.line, f.rule])).toEqual([
      ['public/posts/first-post/index.html', lineOf(text, tampered), 'invalid-token'],
      ['public/posts/first-post/index.html', lineOf(text, unsigned), 'unsigned-url'],
      ['public/posts/first-post/index.html', lineOf(text, 'imageboss:/late.jpg'), 'leftover-reference']
    ])

    // After a rotation, every URL made with the old secret is reported, and no secret is printed.
    const rotated = await runCli(['verify', 'public'], { cwd: dir, vars: cliVars({ IMAGEBOSS_SECRET: 'new-secret' }) })
    expect(rotated.code).toBe(1)
    expect(rotated.stdout.match(/invalid-token/g)?.length).toBeGreaterThan(20)
    expect(rotated.stdout).not.toContain('new-secret')
    expect(rotated.stdout).not.toContain(SECRET)
  })
})

describe('an Eleventy-like site', () => {
  it('is rewritten in place, then verified clean', async () => {
    const dir = copySite('eleventy')
    const result = await runCli(['rewrite', '_site'], { cwd: dir })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^imageboss rewrite: 9 files, 8 rewritten, 18 references, 0 errors/)
    const read = (file: string) => readFileSync(path.join(dir, '_site', file), 'utf8')
    const home = read('index.html')
    // An unquoted attribute gets quotes; densities give a dpr srcset.
    expect(home).toContain(
      `<img src="${url('/demo/width/160/format:auto/brand/logo.png')}" srcset="${url('/demo/width/160/format:auto/brand/logo.png')} 1x, ${url('/demo/width/160/dpr:2,format:auto/brand/logo.png')} 2x`
    )
    expect(home).toContain(`<image href="${url('/demo/width/100/format:auto/brand/shape.png')}"`)
    expect(home).toContain(`url("${url('/demo/cover:attention/1920x480/format:auto/brand/masthead.jpg')}") center / cover;`)
    const post = read('blog/post-1/index.html')
    expect(post).toContain(`<img src="${url('/demo/width/480/format:auto/blog/post-1/photo-%C3%A9t%C3%A9.jpg')}" alt="Non-ASCII">`)
    expect(post).toContain('<code>imageboss:/blog/post-1/in-code.jpg</code>')
    expect(post).toContain(`data-src="${url('/demo/width/640/format:auto/blog/post-1/lazy.jpg')}"`)
    expect(read('about/index.htm')).toContain(expectedUrl('/blog-assets/cover:face/300x300/format:auto/team/portrait.jpg', BLOG_SECRET))
    const feed = read('feed.xml')
    expect(feed).toContain(`<link rel="enclosure" href="${url('/demo/cover/1200x630/format:auto/blog/post-1/cover.jpg')}" type="image/jpeg"/>`)
    expect(feed).toContain(`<![CDATA[<p>Hello</p><p><img src="${url('/demo/width/720/format:auto/blog/post-1/photo.jpg')}" alt="A photo"></p>]]>`)
    expect(read('sitemap.xml')).toContain(`<image:loc>\n\t\t\t${url('/demo/cover/1200x630/format:auto/blog/post-1/cover.jpg')}\n\t\t</image:loc>`)
    expect(read('assets/app.mjs')).toContain('import { setup } from "./lib.mjs";')
    expect(read('assets/app.mjs')).toContain('small: `' + url('/demo/width/400/format:webp/brand/hero.webp') + '`,')
    expect(read('assets/styles.css')).toContain(`--hero: url( "${url('/demo/width/1600/format:webp/brand/hero.webp')}" );`)
    expect(read('manifest.webmanifest')).toContain(`\t\t{ "src": "${url('/demo/cover/512x512/format:auto/brand/icon.png')}", "sizes": "512x512" }\n`)

    const verify = await runCli(['verify', '_site'], { cwd: dir })
    expect(verify.stdout).toMatch(/^imageboss verify: 9 files, \d+ URLs checked, 0 findings/)
    expect(verify.code).toBe(0)
  })
})
