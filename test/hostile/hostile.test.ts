// Deliberately hostile inputs (as picomatch keeps them): each one gives the right output or a
// clear rule-id error, never a crash. The corpus files sit in ./corpus; big inputs are
// generated here, near-misses in near-misses.test.ts. Expected URLs come from the oracle in
// ../helpers. Time linear in size is measured by bench/hostile.js (`npm run bench`), never
// asserted here: a timed assertion fails on a busy machine and proves little on an idle one.
import { readFileSync } from 'node:fs'
import type { Program } from 'estree'
import { describe, expect, it } from 'vitest'
import { applyEdits } from '../../src/core/edits.js'
import { scanText } from '../../src/core/scan/index.js'
import { createImageBoss, ImageBossError, type ImageBossOptions } from '../../src/index.js'
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
  it('leaves code samples alone: `<script type="text/plain">`, comments, the text of `<pre>` and `<code>`; signs the elements in them and `<template>` content', () => {
    const html = corpus('code-samples.html')
    const { output, count, rules } = signHtml(html)
    expect(rules).toEqual([])
    expect(count).toBe(4)
    expect(output).toBe(
      html
        .replace('imageboss:/img-in-pre.jpg', cdn('img-in-pre.jpg'))
        .replace('imageboss:/img-in-code.jpg', cdn('img-in-code.jpg'))
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

  it('very long parameter lists: empty pairs are ignored, repeats and long values are rule-id errors', () => {
    const imageboss = createImageBoss(OPTIONS)
    expect(imageboss.url('imageboss:/a.jpg?' + '&'.repeat(100_000) + 'w=10')).toBe(expectedUrl('/hostile/width/10/a.jpg', SECRET))
    expect(rule(() => imageboss.url('imageboss:/a.jpg?' + 'w=1&'.repeat(50_000)))).toBe('conflicting-parameters')
    expect(rule(() => imageboss.url('imageboss:/a.jpg?quality=' + '9'.repeat(200_000)))).toBe('invalid-value')
    expect(rule(() => imageboss.url('imageboss:/a.jpg?' + 'x'.repeat(100_000) + '=1'))).toBe('unknown-parameter')
    // Decimals written in their shortest form, however many zeros they carry.
    expect(imageboss.url('imageboss:/a.jpg?dpr=2.5' + '0'.repeat(200_000))).toBe(expectedUrl('/hostile/cdn/dpr:2.5/a.jpg', SECRET))
    expect(imageboss.url('imageboss:/a.jpg?fp-x=0.' + '0'.repeat(100_000) + '1')).toBe(expectedUrl(`/hostile/cdn/fp-x:0.${'0'.repeat(100_000)}1/a.jpg`, SECRET))
    // 2,000 options (admitted by `extraOptions`): written sorted by name, in code-unit order.
    const names = Array.from({ length: 2000 }, (_, i) => `k${i}`)
    const many = createImageBoss({ ...OPTIONS, extraOptions: names }).url('imageboss:/a.jpg?' + names.map((n, i) => `${n}=${i}`).join('&'))
    const sorted = names.map((n, i) => [n, i] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    expect(many).toBe(expectedUrl('/hostile/cdn/' + sorted.map(([n, i]) => `${n}:${i}`).join(',') + '/a.jpg', SECRET))
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

  it('a chain of 50,000 `+` (a host parser builds it) is read without overflowing the stack; acorn calls it `syntax-error`', () => {
    const imageboss = createImageBoss(OPTIONS)
    const signer = { url: (reference: string) => imageboss.url(reference) }
    const operands = 50_000
    const code = '"a" + '.repeat(operands) + '"imageboss:/x.jpg"'
    // What Rollup's `this.parse` hands over: a left-nested `BinaryExpression` per `+`.
    const literal = (start: number, value: string) => ({ type: 'Literal', value, raw: `"${value}"`, start, end: start + value.length + 2 })
    let expression: object = literal(0, 'a')
    for (let i = 1; i <= operands; i++) {
      const right = i === operands ? literal(6 * i, 'imageboss:/x.jpg') : literal(6 * i, 'a')
      expression = { type: 'BinaryExpression', operator: '+', left: expression, right, start: 0, end: right.end }
    }
    const program = {
      type: 'Program',
      sourceType: 'module',
      body: [{ type: 'ExpressionStatement', expression, start: 0, end: code.length }],
      start: 0,
      end: code.length
    }
    const signed = scanText('script', code, { signer, program: program as unknown as Program })
    expect(signed.problems).toEqual([])
    expect(applyEdits(code, signed.edits)).toBe(code.replace('imageboss:/x.jpg', cdn('x.jpg')))
    // A reference before the last operand: the whole chain is one `dynamic-reference`.
    const dynamic = scanText('script', code, {
      signer,
      program: {
        ...program,
        body: [
          {
            type: 'ExpressionStatement',
            expression: { type: 'BinaryExpression', operator: '+', left: literal(0, 'imageboss:/'), right: expression, start: 0, end: code.length },
            start: 0,
            end: code.length
          }
        ]
      } as unknown as Program
    })
    expect(dynamic.problems.map((p) => p.ruleId)).toEqual(['dynamic-reference'])
    expect(scanText('script', code, { signer }).problems.map((p) => p.ruleId)).toEqual(['syntax-error'])
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
