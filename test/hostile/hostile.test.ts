import v8 from 'node:v8'
import vm from 'node:vm'
// Deliberately hostile inputs (as picomatch keeps them): each one gives the right output or a
// clear rule-id error, never a crash, and in time linear in its size. The corpus files sit in
// ./corpus; big inputs are generated here. Expected URLs come from the oracle in ../helpers.
import { readFileSync } from 'node:fs'
import type { Element, ElementContent, Root } from 'hast'
import { VFile } from 'vfile'
import { describe, expect, it } from 'vitest'
import { applyEdits } from '../../src/core/edits.js'
import { scanText } from '../../src/core/scan/index.js'
import { createImageBoss, ImageBossError, type ImageBossOptions } from '../../src/index.js'
import rehypeImageBoss from '../../src/rehype.js'
import { expectedUrl, goPathEscape } from '../helpers/expected.js'
import { run } from '../rehype/pipeline.js'

const SECRET = 'hostile-secret'
const OPTIONS: ImageBossOptions = { source: 'hostile', secret: SECRET, defaults: {}, env: {}, production: true }
const corpus = (name: string) => readFileSync(new URL(`corpus/${name}`, import.meta.url), 'utf8')

/** The URL of `cdn` for a decoded path, signed by the oracle. */
function cdn(path: string, secret = SECRET, source = 'hostile'): string {
  return expectedUrl(`/${source}/cdn/` + path.split('/').map(goPathEscape).join('/'), secret)
}

function signHtml(html: string, options: ImageBossOptions = OPTIONS) {
  const imageboss = createImageBoss(options)
  const result = scanText('html', html, { signer: { url: (reference) => imageboss.url(reference) } })
  return { output: applyEdits(html, result.edits), count: result.count, rules: result.problems.map((p) => p.ruleId), problems: result.problems }
}

function signCss(css: string) {
  const imageboss = createImageBoss(OPTIONS)
  const result = scanText('css', css, { signer: { url: (reference) => imageboss.url(reference) } })
  return { output: applyEdits(css, result.edits), count: result.count, rules: result.problems.map((p) => p.ruleId) }
}

function rule(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    if (error instanceof ImageBossError) return error.ruleId
    throw error
  }
  throw new Error('Expected an ImageBossError')
}

describe('hidden and encoded references', () => {
  it('leaves code samples alone: `<script type="text/plain">`, comments, `<pre>`, `<code>`; signs `<template>` content', () => {
    const html = corpus('code-samples.html')
    const { output, count, rules } = signHtml(html)
    expect(rules).toEqual([])
    expect(count).toBe(2)
    expect(output).toBe(
      html
        .replace('imageboss:/in-template.jpg', cdn('in-template.jpg').replace('&', '&amp;'))
        .replace('imageboss:/outside.jpg', cdn('outside.jpg'))
    )
  })

  it('decodes entities before parsing: `imageboss&#58;`, `&colon;`, `&amp;` between parameters', () => {
    const { output, count, rules } = signHtml(corpus('entities.html'))
    expect(rules).toEqual([])
    expect(count).toBe(5)
    expect(output).toBe(
      [
        `<img src="${cdn('colon.jpg')}">`,
        `<img src="${cdn('named-colon.jpg')}">`,
        `<img src="${expectedUrl('/hostile/cover/10x20/amp.jpg', SECRET)}">`,
        `<img src="${expectedUrl('/hostile/cover/10x20/amp-bare.jpg', SECRET)}">`,
        `<img src="${expectedUrl('/hostile/width/5/i.jpg', SECRET)}">`,
        ''
      ].join('\n')
    )
  })

  it('rejects a reference split by a line break inside an attribute with a rule id, at the right place', () => {
    const html = corpus('split.html')
    const { output, problems } = signHtml(html)
    expect(output).toBe(html)
    expect(problems.map((p) => [p.ruleId, html.slice(p.start, p.end)])).toEqual([
      // A line feed is a control character in the path (located at the path); in a value it is not a number.
      ['invalid-path', 'photos/\ncat.jpg'],
      ['invalid-value', '10\n&h=20']
    ])
  })
})

describe('broken syntax', () => {
  it('an unterminated attribute quote swallows the rest of the file: the tag never ends, nothing is signed in it', () => {
    const { output, rules } = signHtml(corpus('unterminated.html'))
    expect(rules).toEqual([])
    expect(output).toBe(corpus('unterminated.html').replace('imageboss:/ok.jpg', cdn('ok.jpg')))
  })

  it('`imageboss:` at the end of the file, inside an unfinished tag, is left alone', () => {
    const html = corpus('eof.html')
    const { output } = signHtml(html)
    expect(output).toBe(html.replace('imageboss:/fine.jpg', cdn('fine.jpg')))
  })

  it('CSS: an unterminated `url(` or string runs to the end of the file, as in a browser; an open comment hides the rest', () => {
    expect(signCss(corpus('eof-url.css')).output).toBe(`.a { background: url(${cdn('eof.jpg')}`)
    expect(signCss(corpus('eof-string.css')).output).toBe(`.a { background: url("${cdn('eof-string.jpg')}`)
    const comment = signCss(corpus('unterminated-comment.css'))
    expect(comment.count).toBe(1)
    expect(comment.output).toBe(corpus('unterminated-comment.css').replace('imageboss:/before.jpg', cdn('before.jpg')))
    expect(signCss(corpus('eof-scheme.css')).rules).toEqual(['invalid-path'])
  })
})

describe('strange characters', () => {
  it('NUL bytes: HTML turns one in an attribute into U+FFFD (as browsers do); in CSS or percent-encoded it is `invalid-path`', () => {
    expect(signHtml(corpus('nul.html')).output).toBe(`<p>one</p>\n<img src="${cdn('nul\uFFFDbyte.jpg')}">\n`)
    expect(signCss(corpus('nul.css')).rules).toEqual(['invalid-path'])
    expect(rule(() => createImageBoss(OPTIONS).url('imageboss:/nul%00byte.jpg'))).toBe('invalid-path')
  })

  it('RTL, emoji and reserved characters in paths are encoded like Go `PathEscape`', () => {
    const { output, rules } = signHtml(corpus('strange-paths.html'))
    expect(rules).toEqual([])
    expect(output.split('\n').slice(0, 4)).toEqual([
      `<img src="${cdn('صور/قطة.jpg')}">`,
      `<img src="${cdn('rtl/\u202Egpj.exe')}">`,
      `<img src="${cdn('emoji/😀 🐈‍⬛.jpg')}">`,
      `<img src="${cdn("reserved/a&b=c+d$e@f:g ;,[x](y)'!*.jpg").replaceAll('&', '&amp;')}">`
    ])
  })

  it('a lone surrogate (no UTF-8 form) is `invalid-path`, not another file', () => {
    const imageboss = createImageBoss(OPTIONS)
    expect(rule(() => imageboss.url('imageboss:/a\uD800.jpg'))).toBe('invalid-path')
    expect(rule(() => imageboss.url('imageboss:/a.jpg?wmk-path=/\uDC00.png'))).toBe('invalid-value')
  })

  it('`javascript:` and `data:` neighbours stay as they are; real references beside them are signed', () => {
    const html = corpus('neighbours.html')
    const { output, rules } = signHtml(html)
    expect(rules).toEqual([])
    expect(output).toBe(
      html
        .replace('imageboss:/candidate.jpg?w=40', expectedUrl('/hostile/width/40/candidate.jpg', SECRET))
        .replace('imageboss:/bg.jpg', cdn('bg.jpg'))
        .replace('imageboss:/spaced.jpg', cdn('spaced.jpg'))
    )
  })

  it('very long parameter lists: empty pairs are ignored, repeats and long values are rule-id errors, all fast', () => {
    const imageboss = createImageBoss(OPTIONS)
    const started = performance.now()
    expect(imageboss.url('imageboss:/a.jpg?' + '&'.repeat(100_000) + 'w=10')).toBe(expectedUrl('/hostile/width/10/a.jpg', SECRET))
    expect(rule(() => imageboss.url('imageboss:/a.jpg?' + 'w=1&'.repeat(50_000)))).toBe('conflicting-parameters')
    expect(rule(() => imageboss.url('imageboss:/a.jpg?quality=' + '9'.repeat(200_000)))).toBe('invalid-value')
    expect(rule(() => imageboss.url('imageboss:/a.jpg?' + 'x'.repeat(100_000) + '=1'))).toBe('unknown-parameter')
    // 2,000 options (admitted by `extraOptions`): written sorted by name, in code-unit order.
    const names = Array.from({ length: 2000 }, (_, i) => `k${i}`)
    const many = createImageBoss({ ...OPTIONS, extraOptions: names }).url('imageboss:/a.jpg?' + names.map((n, i) => `${n}=${i}`).join('&'))
    const sorted = names.map((n, i) => [n, i] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    expect(many).toBe(expectedUrl('/hostile/cdn/' + sorted.map(([n, i]) => `${n}:${i}`).join(',') + '/a.jpg', SECRET))
    expect(performance.now() - started).toBeLessThan(2000)
  })
})

describe('secrets and sources', () => {
  it('a secret with `"`, `<` or unicode signs as its UTF-8 bytes and never shows in the output', () => {
    for (const secret of ['a"b', '<script>', 'clé🔑秘密', '"><img src=x onerror=alert(1)>']) {
      const { output } = signHtml('<img src="imageboss:/s.jpg">', { ...OPTIONS, secret })
      expect(output).toBe(`<img src="${cdn('s.jpg', secret)}">`)
      expect(output).not.toContain(secret)
    }
  })

  it('the source name `__proto__` is not a source name; `constructor` and `toString` are unknown until configured', () => {
    const imageboss = createImageBoss(OPTIONS)
    // Source names start with a letter or digit: `__proto__` cannot be one, in a reference or in settings.
    expect(rule(() => imageboss.url('imageboss://__proto__/a.jpg'))).toBe('invalid-reference')
    const proto = JSON.parse('{"__proto__": {"secret": "proto-secret"}}') as ImageBossOptions['sources']
    expect(rule(() => createImageBoss({ ...OPTIONS, sources: proto }))).toBe('invalid-option')
    expect(rule(() => createImageBoss({ ...OPTIONS, source: '__proto__' }))).toBe('invalid-option')
    // Names of `Object.prototype` members are not taken from the prototype.
    expect(rule(() => imageboss.url('imageboss://constructor/a.jpg'))).toBe('unknown-source')
    expect(rule(() => imageboss.url('imageboss://toString/a.jpg'))).toBe('unknown-source')
    const sources = JSON.parse('{"constructor": {"secret": "ctor-secret"}, "toString": {"signed": false}}') as ImageBossOptions['sources']
    const configured = createImageBoss({ ...OPTIONS, sources })
    expect(configured.url('imageboss://constructor/a.jpg')).toBe(cdn('a.jpg', 'ctor-secret', 'constructor'))
    expect(configured.url('imageboss://toString/a.jpg')).toBe('https://img.imageboss.me/toString/cdn/a.jpg')
    const byEnv = createImageBoss({ ...OPTIONS, env: { IMAGEBOSS_SECRET_HAS_OWN_PROPERTY: 'env-secret' } })
    expect(byEnv.url('imageboss://has-own-property/b.jpg')).toBe(cdn('b.jpg', 'env-secret', 'has-own-property'))
    for (const preset of ['__proto__', 'constructor', 'toString']) {
      expect(rule(() => imageboss.url(`imageboss:/a.jpg?preset=${preset}`))).toBe('unknown-preset')
    }
    expect(rule(() => imageboss.url('imageboss:/a.jpg?__proto__=1'))).toBe('unknown-parameter')
    expect(({} as Record<string, unknown>).secret).toBeUndefined()
  })
})

describe('sizes and counts', () => {
  it('100,000 references in one file: every one signed, each with its own token', () => {
    const html = Array.from({ length: 100_000 }, (_, i) => `<img src="imageboss:/n/${i}.jpg">`).join('\n')
    const { output, count, rules } = signHtml(html)
    expect(rules).toEqual([])
    expect(count).toBe(100_000)
    const lines = output.split('\n')
    for (const i of [0, 1, 4242, 50_000, 99_999]) expect(lines[i]).toBe(`<img src="${cdn(`n/${i}.jpg`)}">`)
    expect(output).not.toContain('imageboss:')
  })

  it('10,000-deep nesting: the HTML scanner and the rehype plugin (raw HTML) sign the reference at the bottom', async () => {
    const depth = 10_000
    const html = '<div>'.repeat(depth) + '<img src="imageboss:/deep.jpg">' + '</div>'.repeat(depth)
    expect(signHtml(html).output).toBe(html.replace('imageboss:/deep.jpg', cdn('deep.jpg')))
    const file = await run(html + '\n', OPTIONS, 'raw-nodes')
    expect(file.messages).toEqual([])
    expect(String(file)).toContain(`<img src="${cdn('deep.jpg')}">`)
  })
})

/**
 * The least of `runs` timings of `work(input)`, in ms of CPU time (user + system, all
 * threads of this process): other test files running at once slow the wall clock, not this.
 */
// A full collection before each timed run, so that garbage left by the previous run (10 MB
// inputs leave a lot) is not billed to the next one.
v8.setFlagsFromString('--expose-gc')
const collectGarbage = vm.runInNewContext('gc') as () => void

function minTime(input: unknown, work: (input: never) => unknown, runs: number): number {
  let best = Infinity
  for (let i = 0; i < runs; i++) {
    collectGarbage()
    const started = process.cpuUsage()
    work(input as never)
    const used = process.cpuUsage(started)
    best = Math.min(best, (used.user + used.system) / 1000)
  }
  return best
}

/** Inputs of about `bytes` bytes, made of a repeated unit (one line, no line breaks). */
const repeat = (unit: (i: number) => string, bytes: number) => {
  const parts: string[] = []
  let size = 0
  for (let i = 0; size < bytes; i++) {
    const part = unit(i)
    parts.push(part)
    size += part.length
  }
  return parts.join('')
}

const MB = 1_000_000

/** A hast tree of about `bytes` bytes of HTML: paragraphs of images and raw HTML. */
function hastOf(bytes: number): Root {
  const children: ElementContent[] = []
  let size = 0
  for (let i = 0; size < bytes; i++) {
    const img: Element = { type: 'element', tagName: 'img', properties: { src: `imageboss:/h/${i % 5000}.jpg?w=${(i % 800) + 1}`, alt: 'x' }, children: [] }
    const raw = { type: 'raw', value: `<span style="background:url(imageboss:/r/${i % 5000}.jpg)">t</span>` } as unknown as ElementContent
    children.push({ type: 'element', tagName: 'p', properties: {}, children: [{ type: 'text', value: 'Some text around it. ' }, img, raw] })
    size += 140
  }
  return { type: 'root', children }
}

const LINEAR: Array<{ name: string; make: (bytes: number) => unknown; work: (input: never) => unknown }> = [
  {
    name: 'HTML scanner, single-line HTML with references',
    make: (bytes) => repeat((i) => `<p class="x">text ${i}</p><img src="imageboss:/a/${i % 5000}.jpg?w=${(i % 800) + 1}" alt="a &amp; b">`, bytes),
    work: (html: string) => signHtml(html)
  },
  {
    name: 'HTML scanner, unterminated quotes and open tags',
    make: (bytes) => repeat((i) => `<img src="imageboss:/u/${i}.jpg <a href='imageboss: <!-- `, bytes),
    work: (html: string) => signHtml(html)
  },
  {
    name: 'CSS scanner, url() and image-set() with comments',
    make: (bytes) => repeat((i) => `.c${i}{background:url(imageboss:/c/${i % 5000}.jpg) /* url(imageboss:/x.jpg) */;b:image-set("imageboss:/s/${i % 5000}.jpg" 1x)}`, bytes),
    work: (css: string) => signCss(css)
  },
  {
    name: 'CSS scanner, unterminated url( and strings, nested parentheses',
    make: (bytes) => repeat(() => `a(b(url( "imageboss:x'(((`, bytes),
    work: (css: string) => signCss(css)
  },
  {
    name: 'rehype plugin, elements and raw HTML',
    make: (bytes) => hastOf(bytes),
    work: (tree: Root) => rehypeImageBoss(OPTIONS)(structuredClone(tree), new VFile())
  }
]

describe('time linear in input size (least CPU time of runs; 10 MB at most 12× the 1 MB time)', () => {
  for (const { name, make, work } of LINEAR) {
    it(name, () => {
      const small = make(MB)
      const large = make(10 * MB)
      minTime(small, work, 1) // warm up
      // Interleaved, so that a busy machine slows both sizes alike.
      let t1 = Infinity
      let t10 = Infinity
      for (let round = 0; round < 3; round++) {
        t1 = Math.min(t1, minTime(small, work, 2))
        t10 = Math.min(t10, minTime(large, work, 1))
      }
      const ratio = t10 / t1
      console.log(`linearity: ${name}: 1 MB ${t1.toFixed(1)} ms, 10 MB ${t10.toFixed(1)} ms, ratio ${ratio.toFixed(2)}`)
      expect(ratio).toBeLessThanOrEqual(12)
    })
  }
})
