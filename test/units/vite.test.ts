import { describe, expect, it } from 'vitest'
import { buildCodeFrame } from '../../src/vite-plugins/code-frame.js'
import { CSS_ID_RE, isScript } from '../../src/vite-plugins/filters.js'
import { referenceOfId, virtualModuleCode } from '../../src/vite-plugins/virtual-module.js'

describe('referenceOfId', () => {
  it('strips the query markers Vite adds and keeps the reference’s own parameters as written', () => {
    expect(referenceOfId('\0imageboss:/hero.jpg?import&w=400')).toBe('imageboss:/hero.jpg?w=400')
    expect(referenceOfId('\0imageboss:/hero.jpg?w=400&import')).toBe('imageboss:/hero.jpg?w=400')
    expect(referenceOfId('\0imageboss:/hero.jpg?w=400&t=1712345678&url')).toBe('imageboss:/hero.jpg?w=400')
    expect(referenceOfId('\0imageboss:/hero.jpg?import')).toBe('imageboss:/hero.jpg')
    expect(referenceOfId('\0imageboss://blog/a%20b.jpg?fill-color=%23FFF&raw&h=3')).toBe('imageboss://blog/a%20b.jpg?fill-color=%23FFF&h=3')
    expect(referenceOfId('/src/main.ts')).toBeUndefined()
  })

  it('exports the URL as a JSON string, and the image attributes by name', () => {
    const code = virtualModuleCode({ src: 'https://x/"a"', srcset: 'https://x/1 1w', width: '400', height: '300' })
    expect(code).toContain('export const src = "https://x/\\"a\\""\n')
    expect(code).toContain('export const srcset = "https://x/1 1w"\n')
    expect(code).toContain('export const sizes = undefined\n')
    expect(code).toContain('export const width = 400\n')
    expect(code).toContain('export const height = 300\n')
    expect(code).toContain('export default src\n')
  })
})

describe('filters', () => {
  it('tells stylesheets, framework style blocks and scripts apart', () => {
    for (const id of [
      '/a.css',
      '/a.scss?inline',
      '/a.less',
      '/a.styl',
      '/a.pcss',
      '/App.vue?vue&type=style&index=0&lang.css',
      '/A.svelte?svelte&type=style&lang.css',
      '/p.astro?astro&type=style&index=0&lang.css'
    ]) {
      expect(CSS_ID_RE.test(id), id).toBe(true)
      expect(isScript(id), id).toBe(false)
    }
    for (const id of [
      '/a.ts',
      '/a.tsx',
      '/a.mjs',
      '/a.jsx',
      '/App.vue',
      '/App.vue?vue&type=script&setup=true&lang.ts',
      '/A.svelte',
      '/index.html?html-proxy&index=0.js'
    ]) {
      expect(isScript(id), id).toBe(true)
    }
    for (const id of ['/index.html', '/node_modules/x/index.js', '/a.ts?raw']) expect(isScript(id), id).toBe(false)
  })
})

describe('buildCodeFrame', () => {
  it('marks the line and puts a caret under the column', () => {
    const frame = buildCodeFrame('one\ntwo\nthree ab\nfour\nfive\nsix', 3, 7)
    expect(frame).toBe(['  1 | one', '  2 | two', '> 3 | three ab', '    |       ^', '  4 | four', '  5 | five'].join('\n'))
  })
})
