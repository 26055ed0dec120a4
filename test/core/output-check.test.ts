// The output check on generated files: every spelling is written by encoders in this file
// (sharing nothing with src/), signed URLs are made with node:crypto here, and the check must
// find each hostile spelling and nothing in clean files.
import { randomBytes } from 'node:crypto'
import { brotliCompressSync, gzipSync } from 'node:zlib'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createOutputCheck } from '../../src/core/output/index.js'
import { createVerifyKeys } from '../../src/core/verify-urls.js'
import { hmac } from '../helpers/expected.js'

const SOURCE = 'mysrc'
const SECRET = 'k3y-' + randomBytes(24).toString('hex') + '"/\\<é'
const keys = () => createVerifyKeys({ source: SOURCE, secret: SECRET, sources: { open: { signed: false } } }, {})
const check = createOutputCheck(keys())
const rules = (name: string, content: string | Buffer, served = true) => check.check({ name, bytes: Buffer.from(content), served }).map((p) => p.ruleId)

const signed = (path: string) => `https://img.imageboss.me${path}?bossToken=${hmac(SECRET, path)}`

// Spellings of one character, as markup, scripts, stylesheets and URLs write them.
const SPELL: Record<string, (char: string) => string> = {
  plain: (c) => c,
  decimal: (c) => `&#${c.codePointAt(0)};`,
  hex: (c) => `&#x${(c.codePointAt(0) as number).toString(16)};`,
  js4: (c) => `\\u${(c.codePointAt(0) as number).toString(16).padStart(4, '0')}`,
  jsBraced: (c) => `\\u{${(c.codePointAt(0) as number).toString(16)}}`,
  js2: (c) => `\\x${(c.codePointAt(0) as number).toString(16).padStart(2, '0')}`,
  css: (c) => `\\${(c.codePointAt(0) as number).toString(16)} `,
  percent: (c) => `%${(c.codePointAt(0) as number).toString(16).toUpperCase().padStart(2, '0')}`
}
const spellOne = (text: string, index: number, how: string) =>
  text.slice(0, index) + (SPELL[how] as (c: string) => string)(text[index] as string) + text.slice(index + 1)

describe('references in any spelling', () => {
  const reference = 'imageboss:/photos/a.jpg?w=10'
  const contexts: Record<string, (ref: string) => [string, string]> = {
    attribute: (ref) => ['index.html', `<p><img src="${ref}"></p>`],
    'kbd img': (ref) => ['index.html', `<kbd><img src="${ref}"></kbd>`],
    'code a href': (ref) => ['index.html', `<code><a href="${ref}">x</a></code>`],
    'select option img': (ref) => ['page.xhtml', `<select><option><img src="${ref}"></option></select>`],
    json: (ref) => ['data.jsonld', `{"image":"${ref}"}`],
    script: (ref) => ['assets/app.js', `const a="${ref}";`],
    css: (ref) => ['assets/a.css', `.x{background:url(${ref})}`],
    vtt: (ref) => ['captions.vtt', `WEBVTT\n\n00:00.000 --> 00:01.000\n<img src="${ref}">`]
  }
  const spellings = Object.keys(SPELL)
  it('finds each spelling of each letter of the scheme, in each context', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(contexts)),
        fc.constantFrom(...spellings),
        fc.integer({ min: 0, max: 'imageboss:'.length - 1 }),
        fc.boolean(),
        (context, how, index, upper) => {
          let ref = spellOne(reference, index, how)
          if (upper) ref = ref.replace('imageboss', (word) => word.toUpperCase())
          const [name, content] = (contexts[context] as (r: string) => [string, string])(ref)
          expect(rules(name, content)).toContain('leftover-reference')
        }
      ),
      { numRuns: 400 }
    )
  })
  it('locates a reference at its line and column in the emitted file', () => {
    const [problem] = check.check({ name: 'a.html', bytes: Buffer.from('<p>\n  <img src="&#105;mageboss:/a.jpg">'), served: true })
    expect(problem?.place).toEqual({ file: 'a.html', line: 2, column: 13 })
  })
  it('says where a reference sits when the text before it tells: an attribute, a CSS `url()`, nothing in a script assignment', () => {
    const reasons = (name: string, content: string) => check.check({ name, bytes: Buffer.from(content), served: true }).map((p) => p.reason)
    expect(reasons('a.html', '<img alt="x" srcset="a.jpg 1x, imageboss:/b.jpg 2x">')[0]).toMatch(
      /^Unexpected `imageboss:` reference left in the output in `srcset`, expected it signed/
    )
    expect(reasons('a.html', '<IMG SRC=imageboss:/b.jpg>')[0]).toMatch(/left in the output in `src`, expected/)
    expect(reasons('a.css', 'a{background:url( "imageboss:/b.jpg")}')[0]).toMatch(/left in the output in a CSS `url\(\)`, expected/)
    expect(reasons('a.js', 'const a = "imageboss:/b.jpg"')[0]).toMatch(/left in the output, expected/)
  })

  it('leaves code-sample text, comments and text/plain scripts alone', () => {
    for (const content of [
      `<pre><code>${reference}</code></pre>`,
      `<code>see ${reference} here</code>`,
      `<!-- ${reference} -->`,
      `<script type="text/plain">${reference}</script>`,
      `<code>&#105;mageboss:/a.jpg</code>`
    ]) {
      expect(rules('index.html', content), content).toEqual([])
    }
    expect(rules('a.css', `/* ${reference} */ .a{color:red}`)).toEqual([])
  })
  it('leaves the text children of compiled code elements alone, not the attributes of elements inside them', () => {
    expect(rules('a.js', `jsx(_components.code, { children: "${reference}" });h('pre', null, ['${reference}'])`)).toEqual([])
    expect(rules('a.js', `createElementVNode("code", null, [createElementVNode("a", { href: "${reference}" })])`)).toEqual(['leftover-reference'])
    expect(rules('a.js', `const o = { '${reference}': 1 }`)).toEqual(['leftover-reference'])
  })
  it('is no reference as a CSS selector, a name or a minified object key', () => {
    expect(rules('a.css', '.imageboss:hover{color:red} a.imageboss:focus{}')).toEqual([])
    expect(rules('a.js', 'const o={imageboss:e},p={a:1,imageboss:f(x)};my-imageboss:x')).toEqual([])
  })
  it('checks references in served files only, not in server bundles or source maps', () => {
    expect(rules('server/entry.mjs', `const a="${reference}"`, false)).toEqual([])
    expect(rules('assets/a.js.map', `{"sourcesContent":["${reference}"]}`)).toEqual([])
  })
})

describe('ImageBoss URLs in any spelling', () => {
  const path = '/mysrc/width/400/photos/a.jpg'
  const unsigned = [
    `https://img.imageboss.me${path}`,
    `//img.imageboss.me${path}`,
    `HTTPS://IMG.IMAGEBOSS.ME${path}`,
    `https://img.imageboss.me:443${path}`,
    `https://img.imageboss.me./mysrc/./width/400/photos/a.jpg`,
    `https://img.imageboss.me/%6Dysrc/width/400/photos/a.jpg`,
    `https://img%2Eimageboss%2Eme${path}`,
    `https://\uff49mg.imageboss.me${path}`,
    `https:\\\\img.imageboss.me\\mysrc\\width\\400\\photos\\a.jpg`
  ]
  it('reports each unsigned spelling, as written and escaped for JSON and HTML', () => {
    for (const url of unsigned) {
      expect(rules('a.html', `<img src="${url}">`), url).toContain('unsigned-url')
      expect(rules('a.json', JSON.stringify({ u: url }).replace(/\//g, '\\/')), url).toContain('unsigned-url')
      expect(rules('a.html', `<img src="${url.replace(/\//g, '&#x2F;')}">`), url).toContain('unsigned-url')
    }
  })
  it('passes signed URLs (HMAC computed here), a source that needs no token, and code samples', () => {
    expect(rules('a.html', `<img src="${signed(path)}" srcset="${signed(path)} 1x,${signed('/mysrc/cdn/b.png')} 2x">`)).toEqual([])
    expect(rules('a.json', JSON.stringify({ u: signed(path) }).replace(/\//g, '\\/'))).toEqual([])
    expect(rules('a.html', '<img src="https://img.imageboss.me/open/cdn/a.jpg">')).toEqual([])
    expect(rules('a.html', `<pre><code>https://img.imageboss.me${path}</code></pre>`)).toEqual([])
    expect(rules('a.html', '<a href="https://img.imageboss.me/">ImageBoss</a> <a href="https://img.imageboss.me/docs">docs</a>')).toEqual([])
  })
  it('reports a token that does not verify, and warns of an unknown source (an error on request)', () => {
    const tampered = signed(path).replace('/400/', '/401/')
    expect(rules('a.html', `<img src="${tampered}">`)).toEqual(['invalid-token'])
    const other = '<img src="https://img.imageboss.me/elsewhere/cdn/a.jpg">'
    const found = check.check({ name: 'a.html', bytes: Buffer.from(other), served: true })
    expect(found.map((p) => [p.ruleId, check.isWarning(p)])).toEqual([['unknown-source', true]])
    const strict = createOutputCheck(createVerifyKeys({ source: SOURCE, secret: SECRET, unknownSources: 'error' }, {}))
    expect(strict.check({ name: 'a.html', bytes: Buffer.from(other), served: true }).map((p) => strict.isWarning(p))).toEqual([false])
  })
  it('checks the configured base URL and its path', () => {
    const base = 'https://cdn.example.com/ib'
    const own = createOutputCheck(createVerifyKeys({ source: SOURCE, secret: SECRET, baseUrl: base }, {}))
    const at = (text: string) => own.check({ name: 'a.html', bytes: Buffer.from(text), served: true }).map((p) => p.ruleId)
    expect(at(`<img src="${base}${path}">`)).toEqual(['unsigned-url'])
    expect(at(`<img src="${base}${path}?bossToken=${hmac(SECRET, path)}">`)).toEqual([])
    expect(at('<a href="https://cdn.example.com/other/a/b/c">x</a>')).toEqual([])
  })
})

describe('the secret in any encoding', () => {
  const encoders: Record<string, (secret: string) => string | Buffer> = {
    plain: (s) => `x=${s};`,
    json: (s) => JSON.stringify({ s }),
    'js escapes': (s) => `"${[...s].map((c) => `\\u${(c.codePointAt(0) as number).toString(16).padStart(4, '0')}`).join('')}"`,
    percent: (s) => `?s=${encodeURIComponent(s)}`,
    'percent lower': (s) => `?s=${encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())}`,
    entities: (s) => [...s].map((c) => `&#${c.codePointAt(0)};`).join(''),
    hex: (s) => Buffer.from(s).toString('hex'),
    HEX: (s) => Buffer.from(s).toString('hex').toUpperCase(),
    'utf-16le': (s) => Buffer.concat([Buffer.from('a\0b\0'), Buffer.from(s, 'utf16le')]),
    'utf-16be': (s) => Buffer.from(s, 'utf16le').swap16()
  }
  for (const skip of [0, 1, 2]) {
    encoders[`base64 after ${skip}`] = (s) => `data:;base64,${Buffer.concat([randomBytes(skip), Buffer.from(s), randomBytes(2)]).toString('base64')}`
    encoders[`base64url after ${skip}`] = (s) => Buffer.concat([randomBytes(skip), Buffer.from(s), randomBytes(1)]).toString('base64url')
  }
  for (const [name, encode] of Object.entries(encoders)) {
    it(`finds it ${name}, in served files, server bundles, source maps and compressed files`, () => {
      const content = encode(SECRET)
      expect(rules('assets/app.js', content)).toContain('secret-in-output')
      expect(rules('server/entry.mjs', content, false)).toContain('secret-in-output')
      expect(rules('assets/app.js.gz', gzipSync(Buffer.from(content)))).toContain('secret-in-output')
      expect(rules('index.html.br', brotliCompressSync(Buffer.from(content)))).toContain('secret-in-output')
    })
  }
  it('never shows the secret in a message', () => {
    const problems = check.check({ name: 'a.js', bytes: Buffer.from(SECRET), served: true })
    expect(problems.length).toBe(1)
    expect(JSON.stringify(problems)).not.toContain(SECRET.slice(4, 20))
  })
  it('warns once of a secret too short to search for', () => {
    const short = createOutputCheck(createVerifyKeys({ source: SOURCE, secret: 'short' }, {}))
    expect(short.warnings.map((w) => w.ruleId)).toEqual(['short-secret'])
    expect(short.check({ name: 'a.js', bytes: Buffer.from('short'), served: true })).toEqual([])
  })
  it('finds the secrets of the variables too', () => {
    const fromEnv = createOutputCheck(createVerifyKeys({}, { IMAGEBOSS_SOURCE: 'a', IMAGEBOSS_SECRET_BLOG_ASSETS: SECRET }))
    expect(fromEnv.check({ name: 'a.js', bytes: Buffer.from(SECRET), served: true }).map((p) => p.ruleId)).toEqual(['secret-in-output'])
  })
})

describe('clean generated files', () => {
  it('reports nothing in pages of signed URLs, code samples and ordinary text', () => {
    const segment = fc.stringMatching(/^[a-z0-9_-]{1,8}$/)
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 2000 }), fc.lorem(), (segments, width, words) => {
        const path = `/mysrc/width/${width}/${segments.join('/')}.jpg`
        const page = `<!doctype html><p>${words}</p><img src="${signed(path)}"><pre><code>imageboss:${path}</code></pre><script>const u=${JSON.stringify(signed(path))}</script>`
        expect(rules('index.html', page)).toEqual([])
      }),
      { numRuns: 200 }
    )
  })
})
