// The HTML scanner reads tokens, as a browser's tokenizer does, without building a tree: every
// start tag once, whatever a tree builder would drop, move or reopen. Expected URLs come from
// the oracle (test/helpers/expected.ts).
import { describe, expect, it } from 'vitest'
import { applyEdits } from '../../src/core/edits.js'
import { createImageBoss } from '../../src/index.js'
import { scanText } from '../../src/core/scan/index.js'
import { expectedUrl } from '../helpers/expected.js'

const SECRET = 'html-tokens-secret'
const boss = createImageBoss({ source: 's', secret: SECRET, defaults: {}, env: {}, production: true })
const signer = { url: (r: string) => boss.url(r), image: (r: string) => boss.image(r) }
const w = (width: number, file: string) => expectedUrl(`/s/width/${width}/${file}`, SECRET)

function sign(text: string) {
  const result = scanText('html', text, { signer })
  return { output: applyEdits(text, result.edits), count: result.count, problems: result.problems.map((p) => [p.ruleId, text.slice(p.start, p.end)]) }
}

describe('start tags a tree builder drops or reopens', () => {
  it('signs an `<img>` inside `<select><option>`, which Chromium requests', () => {
    const page = '<select><option><img src="imageboss:/opt.jpg?w=10">One</option></select>'
    expect(sign(page)).toEqual({ output: page.replace('imageboss:/opt.jpg?w=10', w(10, 'opt.jpg')), count: 1, problems: [] })
  })

  it('reads each start tag once after formatting elements left open before blocks', () => {
    const divs = Array.from({ length: 50 }, (_, i) => `<div><img src="imageboss:/r/${i}.jpg?w=${i + 1}"></div>`).join('')
    const page = `<p>${Array.from({ length: 50 }, (_, i) => `<b id=b${i}>`).join('')}${divs}`
    const result = sign(page)
    expect(result.problems).toEqual([])
    expect(result.count).toBe(50)
    let expected = page
    for (let i = 0; i < 50; i++) expected = expected.replace(`imageboss:/r/${i}.jpg?w=${i + 1}`, w(i + 1, `r/${i}.jpg`))
    expect(result.output).toBe(expected)
  })

  it('reads `<image>` as `<img>` in HTML, and as an SVG element in SVG', () => {
    expect(sign('<image src="imageboss:/i.jpg?w=20">').output).toBe(`<image src="${w(20, 'i.jpg')}">`)
    expect(sign('<svg><image href="imageboss:/v.jpg?w=30"/></svg>').output).toBe(`<svg><image href="${w(30, 'v.jpg')}"/></svg>`)
  })
})

describe('raw text and foreign content', () => {
  it('reads `<style>` and `<script>` text raw, and their end tag only as their end', () => {
    const page = '<style>a{background:url(imageboss:/s.jpg?w=40)} /* </div> */</style><script>x = "</p><img src=imageboss:/m.jpg>"</script><p>after</p>'
    const result = sign(page)
    // The `<img>` in the script's string is markup in a string, signed once by the script scanner (quoted for the string).
    const cdn = expectedUrl('/s/cdn/m.jpg', SECRET)
    expect(result).toEqual({
      output: page.replace('imageboss:/s.jpg?w=40', w(40, 's.jpg')).replace('src=imageboss:/m.jpg', `src=\\"${cdn}\\"`),
      count: 2,
      problems: []
    })
  })

  it('signs CSS in an SVG `<style>`, read as markup there', () => {
    const page = '<svg><style>.a{fill:url(imageboss:/f.jpg?w=50)}</style><rect class="a"/></svg>'
    expect(sign(page).output).toBe(page.replace('imageboss:/f.jpg?w=50', w(50, 'f.jpg')))
  })

  it('leaves CDATA in SVG and `<title>` text in HTML as text: a reference there is a problem', () => {
    expect(sign('<svg><![CDATA[ imageboss:/c.jpg ]]></svg>').problems.map(([rule]) => rule)).toEqual(['unsupported-position'])
    expect(sign('<title>imageboss:/t.jpg</title>').problems.map(([rule]) => rule)).toEqual(['unsupported-position'])
  })

  it('ends SVG content at an HTML element that breaks out of it', () => {
    const page = '<svg><p><img src="imageboss:/b.jpg?w=60"></svg>'
    expect(sign(page).output).toBe(`<svg><p><img src="${w(60, 'b.jpg')}"></svg>`)
  })

  it('reads a tag left open at the end of the file as no text', () => {
    expect(sign('<p>x</p><img src="imageboss:/open.jpg?w=1').problems).toEqual([])
  })
})
