// What a VitePress page shows as code reaches its JS chunk as Vue's compiled calls
// (`createElementVNode("code", null, "imageboss:…")`) when the page is too small for Vue to
// make it one string of markup. The core's script scanner must read those as code samples,
// as it reads `<code>` in markup: neither signed nor a leftover, in the build and the check.
import { compileTemplate } from 'vue/compiler-sfc'
import { describe, expect, it } from 'vitest'
import { checkText, scanText } from '../../src/index.js'

const signer = { url: (reference: string) => `https://img.example/${reference.length}` }

/** A template compiled by Vue for the browser, as VitePress compiles a page. */
function compiled(template: string): string {
  return compileTemplate({ source: template, filename: 'page.vue', id: 'page' }).code
}

describe('code samples in compiled templates', () => {
  it('leaves inline code and `<pre>` alone, and signs the image beside them', () => {
    const code = compiled('<p>Write <code>imageboss:/a.jpg?w=1</code> <img src="https://img.example/x"></p><pre>imageboss:/b.jpg</pre>')
    expect(code).toContain('"imageboss:/a.jpg?w=1"')
    expect(checkText('script', code).problems).toEqual([])
    expect(scanText('script', code, { signer }).edits).toEqual([])
  })

  it('reads the hand-written and JSX shapes too: `h(tag, props, children)`, `h(tag, children)`, `jsx(tag, { children })`', () => {
    const code = [
      'h("code", null, "imageboss:/a.jpg")',
      'h("pre", "imageboss:/b.jpg")',
      'h("pre", null, [h("code", null, ["imageboss:/c.jpg"])])',
      'jsx("code", { children: "imageboss:/d.jpg", className: "x" })',
      // MDX: the tag looked up in its components.
      'jsx(_components.pre, { children: jsx(_components.code, { children: `imageboss:/e.jpg\n` }) })'
    ].join('\n')
    expect(checkText('script', code).problems).toEqual([])
  })

  it('still reads the other props of a code element, and calls of other tags', () => {
    const code = [
      'jsx("code", { title: "imageboss:/a.jpg", children: "x" })',
      'h("div", null, "imageboss:/b.jpg")',
      'h("img", { src: "imageboss:/c.jpg" })',
      'jsx(_components.p, { children: "imageboss:/d.jpg" })',
      'jsx(_components["code"], { children: "imageboss:/e.jpg" })',
      'response.code(404, "imageboss:/f.jpg")'
    ].join('\n')
    expect(checkText('script', code).problems.map((p) => p.reference ?? code.slice(p.start, p.end))).toEqual([
      'imageboss:/a.jpg',
      'imageboss:/b.jpg',
      'imageboss:/c.jpg',
      'imageboss:/d.jpg',
      'imageboss:/e.jpg',
      'imageboss:/f.jpg'
    ])
    const signed = scanText('script', code, { signer })
    expect(signed.count).toBe(6)
  })
})
