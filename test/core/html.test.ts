import { describe, expect, it } from 'vitest'
import { applyEdits } from '../../src/core/edits.js'
import { scanText } from '../../src/core/scan/index.js'

/** The core HTML scanner with a signer made of `url` (and `image`), as adapters call it. */
function rewriteHtml(html: string, url: (reference: string) => string, options: { fragment?: boolean; component?: boolean } = {}) {
  return scanText('html', html, { signer: { url }, ...options })
}
import { ImageBossError } from '../../src/index.js'

// A stand-in resolver: these tests are about where values sit, not about URLs.
const fake = (reference: string): string => {
  if (reference.includes('bad')) throw new ImageBossError('unknown-parameter', 'bad reference', { offset: reference.indexOf('bad') })
  return 'https://x.test/' + reference.slice('imageboss:'.length).replace(/^\/+/, '') + '?t=1&u=2'
}

function rewrite(html: string, fragment = false) {
  const result = rewriteHtml(html, fake, { fragment })
  return { ...result, output: applyEdits(html, result.edits), slices: result.edits.map((e) => html.slice(e.start, e.end)) }
}

describe('rewriteHtml', () => {
  it('replaces only value ranges; everything else survives byte for byte', () => {
    const html = `<!DOCTYPE html>\n<html>\n  <body>\n    <IMG   SRC = 'imageboss:/a.jpg?w=1'   alt="A &amp; B"\n      class=x>\n  </body>\n</html>\n`
    const { slices, output } = rewrite(html)
    expect(slices).toEqual(['imageboss:/a.jpg?w=1'])
    expect(output).toBe(html.replace('imageboss:/a.jpg?w=1', 'https://x.test/a.jpg?w=1?t=1&amp;u=2'))
  })

  it('finds every attribute of the table', () => {
    const html = [
      '<img src="imageboss:/1.jpg" srcset="imageboss:/2.jpg 1x, imageboss:/3.jpg 2x" data-src="imageboss:/4.jpg">',
      '<picture><source srcset="imageboss:/5.jpg 640w,imageboss:/6.jpg 1280w"></picture>',
      '<link rel="preload" as="image" href="imageboss:/7.jpg" imagesrcset="imageboss:/8.jpg 1x">',
      '<meta property="og:image" content="imageboss:/9.jpg">',
      '<video poster="imageboss:/10.jpg"></video><a href="imageboss:/11.jpg">x</a>',
      '<svg><image href="imageboss:/12.jpg"/><image xlink:href="imageboss:/13.jpg"/></svg>',
      '<input type="image" src="imageboss:/14.jpg"><input type="text" value="imageboss:/no.jpg" src="imageboss:/no.jpg">',
      '<div style="background: url(imageboss:/15.jpg) , image-set(&quot;imageboss:/16.jpg&quot; 1x)"></div>'
    ].join('\n')
    const { slices, output } = rewrite(html)
    expect(slices.filter((s) => s.startsWith('imageboss:')).sort()).toEqual(Array.from({ length: 14 }, (_, i) => `imageboss:/${i + 1}.jpg`).sort())
    // The style with entities is written anew, whole.
    expect(output).toContain('style="background: url(https://x.test/15.jpg?t=1&amp;u=2) , image-set(&quot;https://x.test/16.jpg?t=1&amp;u=2&quot; 1x)"')
    expect(output).toContain('value="imageboss:/no.jpg" src="imageboss:/no.jpg"')
    expect(output.match(/imageboss:/g)).toHaveLength(2)
  })

  it('keeps srcset descriptors and spacing', () => {
    const html = '<img srcset="\n  imageboss:/a.jpg?w=400   400w,\n  /local.jpg 800w,imageboss:/b.jpg 1200w\n">'
    const { output } = rewrite(html)
    expect(output).toBe('<img srcset="\n  https://x.test/a.jpg?w=400?t=1&amp;u=2   400w,\n  /local.jpg 800w,https://x.test/b.jpg?t=1&amp;u=2 1200w\n">')
  })

  it('decodes entities before parsing the reference (`&amp;` between parameters)', () => {
    const seen: string[] = []
    const html = '<img src="imageboss:/a.jpg?w=400&amp;h=300">'
    const result = rewriteHtml(html, (reference) => (seen.push(reference), 'u&v'))
    expect(seen).toEqual(['imageboss:/a.jpg?w=400&h=300'])
    expect(applyEdits(html, result.edits)).toBe('<img src="u&amp;v">')
  })

  it('decodes a numeric entity in the scheme', () => {
    const { output } = rewrite('<img src="imageboss&#58;/a.jpg">')
    expect(output).toBe('<img src="https://x.test/a.jpg?t=1&amp;u=2">')
  })

  it('quotes an unquoted value and escapes for single quotes', () => {
    expect(rewrite('<img src=imageboss:/a.jpg>').output).toBe('<img src="https://x.test/a.jpg?t=1&amp;u=2">')
    const seen: string[] = []
    const html = "<img src='imageboss:/a.jpg'>"
    const result = rewriteHtml(html, (r) => (seen.push(r), `it's`))
    expect(applyEdits(html, result.edits)).toBe("<img src='it&#39;s'>")
  })

  it('rewrites <style> text with exact offsets', () => {
    const html = '<style>\n.a { background: url("imageboss:/a.jpg") }\n/* url(imageboss:/comment.jpg) */\n</style>'
    const { slices } = rewrite(html)
    expect(slices).toEqual(['imageboss:/a.jpg'])
  })

  it('leaves the text of code samples and comments alone, and signs the elements inside code samples', () => {
    const html = [
      '<pre>imageboss:/pre-text.jpg <img src="imageboss:/pre.jpg"></pre>',
      '<p><code>imageboss:/code-text.jpg <img src="imageboss:/code.jpg"></code></p>',
      '<!-- <img src="imageboss:/comment.jpg"> -->',
      '<textarea><img src="imageboss:/textarea.jpg"></textarea>',
      '<script type="text/plain"><img src="imageboss:/plain.jpg"></script>'
    ].join('\n')
    const result = rewrite(html)
    expect([...result.edits].sort((a, b) => a.start - b.start).map((e) => html.slice(e.start, e.end))).toEqual(['imageboss:/pre.jpg', 'imageboss:/code.jpg'])
    expect(result.problems).toEqual([])
  })

  it('reports what it cannot sign: prose, unknown script types, attributes that are not URLs', () => {
    const html = [
      '<p>imageboss:/text.jpg</p>',
      '<script type="text/x-unknown"><img src="imageboss:/script.jpg"></script>',
      '<div data-bg="imageboss:/bg.jpg"></div>'
    ].join('\n')
    const result = rewrite(html)
    expect(result.edits).toEqual([])
    expect(result.problems.map((p) => [p.ruleId, html.slice(p.start, p.end)])).toEqual([
      ['unsupported-position', 'imageboss:'],
      ['unsupported-position', 'imageboss:'],
      ['unsupported-position', 'imageboss:']
    ])
  })

  it('rewrites inside <template> and <noscript>', () => {
    const { slices } = rewrite('<template><img src="imageboss:/t.jpg"></template><noscript><img src="imageboss:/n.jpg"></noscript>')
    expect(slices.sort()).toEqual(['imageboss:/n.jpg', 'imageboss:/t.jpg'])
  })

  it('locates problems at the offending part of the reference', () => {
    const html = '<p>\n<img src="imageboss:/a.jpg?bad=1"> <img srcset="imageboss:/ok.jpg 1x, imageboss:/b.jpg?bad 2x">'
    const result = rewrite(html)
    expect(result.problems.map((p) => [p.ruleId, html.slice(p.start, p.end)])).toEqual([
      ['unknown-parameter', 'bad=1'],
      ['unknown-parameter', 'bad']
    ])
    expect(result.count).toBe(1)
  })

  it('locates problems in entity-encoded values at the value', () => {
    const html = '<img src="imageboss:/a.jpg?x=1&amp;bad=1">'
    const result = rewrite(html)
    expect(result.problems).toHaveLength(1)
    expect(html.slice(result.problems[0]?.start, result.problems[0]?.end)).toBe('imageboss:/a.jpg?x=1&amp;bad=1')
    expect(result.edits).toEqual([])
  })

  it('parses fragments (raw HTML from Markdown)', () => {
    const { slices } = rewrite('<img src="imageboss:/a.jpg" />', true)
    expect(slices).toEqual(['imageboss:/a.jpg'])
    expect(rewrite('<td><img src="imageboss:/cell.jpg"></td>', true).slices).toEqual(['imageboss:/cell.jpg'])
  })

  it('does nothing (and does not parse) without a reference', () => {
    expect(rewrite('<img src="/a.jpg">')).toMatchObject({ edits: [], problems: [], count: 0 })
  })
})

describe('rewriteHtml in component templates', () => {
  it('leaves component props alone with `skipComponents`, and visits their children', () => {
    const html =
      '<Image src="imageboss:/c.jpg" width={800} /><ui.Avatar src="imageboss:/d.jpg"/><Card><img src="imageboss:/e.jpg"></Card><img src="imageboss:/f.jpg">'
    const result = rewriteHtml(html, fake, { component: true })
    expect(result.edits.map((e) => html.slice(e.start, e.end)).sort()).toEqual(['imageboss:/e.jpg', 'imageboss:/f.jpg'])
    // Without it, `<Image>` is HTML's legacy alias of `<img>`.
    expect(
      rewriteHtml(html, fake, { fragment: true })
        .edits.map((e) => html.slice(e.start, e.end))
        .sort()
    ).toEqual(['imageboss:/c.jpg', 'imageboss:/e.jpg', 'imageboss:/f.jpg'])
  })
})
