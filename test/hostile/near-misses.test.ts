// Near-misses (./corpus/near-misses.js: runs of spaces and separators, partial prefixes, glued
// references, unclosed quotes, `url(` and comments) in every kind of text, at 1× and 8× size:
// the right output or rule-id errors, never a crash. Their time is bench/hostile.js's business
// (`npm run bench`): no timing here.
import { describe, expect, it } from 'vitest'
import { applyEdits } from '../../src/core/edits.js'
import { MAX_PROBLEMS } from '../../src/core/scan/context.js'
import { checkText, createImageBoss, createVerifyKeys, scanText, type ImageBossOptions, type TextKind } from '../../src/index.js'
import { expectedUrl, goPathEscape } from '../helpers/expected.js'
import { run } from '../rehype/pipeline.js'
import { CSS, HTML, JSON_INPUTS, MARKDOWN, SCRIPT, SRCSET, TEXT, XML, type Family } from './corpus/near-misses.js'

const SECRET = 'hostile-secret'
const SETTINGS: ImageBossOptions = { source: 'hostile', secret: SECRET, defaults: {}, env: {} }
const keys = createVerifyKeys(SETTINGS, {})
/** 1× and 8×. */
const SIZES = [2_000, 16_000]

function cdn(path: string): string {
  return expectedUrl('/hostile/cdn/' + path.split('/').map(goPathEscape).join('/'), SECRET)
}

function sign(kind: TextKind, text: string) {
  const boss = createImageBoss({ ...SETTINGS, production: true })
  const result = scanText(kind, text, { signer: { url: (reference) => boss.url(reference), image: (reference) => boss.image(reference) } })
  return { ...result, output: applyEdits(text, result.edits), rules: [...new Set(result.problems.map((p) => p.ruleId))].sort().join(' ') }
}

/**
 * The rule ids `sign` mode reports for each family (`''`: none, every reference signed or
 * nothing there is one), the same at 1× and 8×.
 */
const SIGN_RULES: Readonly<Record<string, string>> = {
  'html/attr-spaces': '',
  'html/img-lead-trail-spaces': '',
  'html/img-spaces-error': 'invalid-value',
  'html/text-glued': 'unsupported-position',
  'html/attr-glued': '',
  'html/partial-prefixes': 'unsupported-position',
  // The tag never ends (end of file inside it): like a browser, no element, nothing to sign.
  'html/unclosed-quote': '',
  'html/unclosed-comment': '',
  'html/many-attributes': 'unsupported-position',
  'html/style-url(': '',
  'html/style-attribute-url(': 'unsupported-position',
  'html/srcdoc': '',
  'html/script-glued': '',
  'html/references': '',
  'html/unterminated-tags': '',
  'html/reopened-formatting': '',
  'html/dropped-elements': '',
  'srcset/spaces': '',
  'srcset/commas': '',
  'srcset/leading-separators': '',
  'srcset/descriptor-parentheses': '',
  'srcset/glued': '',
  'srcset/candidates': '',
  'srcset/partial-prefixes': 'invalid-path',
  'css/url-spaces': '',
  'css/url-lead-spaces': '',
  'css/open-url(': 'unsupported-position',
  'css/unclosed-url': '',
  'css/glued': 'unsupported-position',
  'css/url-glued': '',
  'css/unclosed-comment': '',
  'css/comments': '',
  'css/unclosed-string': '',
  'css/image-set-strings': '',
  'css/long-name(': '',
  'css/nested-parentheses': 'unsupported-position',
  'css/partial-prefixes': 'unsupported-position',
  'css/references': '',
  'script/string-spaces': '',
  'script/string-glued': '',
  'script/strings': '',
  'script/concatenation': 'dynamic-reference',
  'script/concatenation-plain': 'dynamic-reference',
  'script/template': 'dynamic-reference',
  'script/comment': '',
  'script/unclosed-string': 'syntax-error',
  'script/markup-string': '',
  'script/css-string': '',
  'script/partial-prefixes': '',
  'json/string-spaces': '',
  'json/string-glued': '',
  'json/strings': '',
  'json/keys-and-spaces': '',
  'json/unclosed-string': 'unsupported-position',
  'json/outside-strings': 'unsupported-position',
  'json/escaped-colons': '',
  'json/quotes': 'unsupported-position',
  'json/partial-prefixes': 'unsupported-position',
  'xml/many-attributes': '',
  'xml/broken-tag': 'unsupported-position',
  'xml/long-attribute-name': 'unsupported-position',
  'xml/attribute-spaces': '',
  'xml/unclosed-quote': 'unsupported-position',
  'xml/unclosed-comment': '',
  'xml/unclosed-tags': 'unsupported-position',
  'xml/text-glued': '',
  'xml/text-spaces': '',
  'xml/text-lead-spaces-long': '',
  'xml/elements': '',
  'xml/style': '',
  'xml/cdata': '',
  'xml/entities': '',
  'xml/partial-prefixes': 'unsupported-position'
}

const SCANNED: ReadonlyArray<[string, TextKind, readonly Family[]]> = [
  ['html', 'html', HTML],
  ['srcset', 'html', SRCSET],
  ['css', 'css', CSS],
  ['script', 'script', SCRIPT],
  ['json', 'json', JSON_INPUTS],
  ['xml', 'xml', XML]
]

describe('near-misses: `sign` and `check` agree, at 1× and 8×', () => {
  for (const [group, kind, families] of SCANNED) {
    for (const [name, make] of families) {
      it(`${group}/${name}`, () => {
        for (const n of SIZES) {
          const text = make(n)
          const signed = sign(kind, text)
          expect(signed.rules, `${name} at ${n}`).toBe(SIGN_RULES[`${group}/${name}`])
          for (const p of signed.problems) expect(0 <= p.start && p.start <= p.end && p.end <= text.length).toBe(true)
          // The check (the build's last step, `imageboss verify`) finds one leftover for each
          // reference `sign` signed or refused (up to the cap on problems per text).
          const checked = checkText(kind, text, keys)
          expect(checked.problems.length).toBe(Math.min(MAX_PROBLEMS, signed.count + signed.problems.length))
          for (const p of checked.problems) expect(['leftover-reference', 'dynamic-reference', 'syntax-error']).toContain(p.ruleId)
          // What `sign` wrote holds no reference left for the check to find.
          if (signed.problems.length === 0) expect(checkText(kind, signed.output).problems).toEqual([])
          expect(signed.output === text).toBe(signed.count === 0)
        }
      })
    }
  }
})

describe('near-misses: the right output, or the right problems', () => {
  const html = Object.fromEntries(HTML)
  it('a long run of spaces inside a URL value is part of the path; around it, trimmed', () => {
    for (const n of SIZES) {
      const spaces = ' '.repeat(n)
      expect(sign('html', html['attr-spaces']!(n)).output).toBe(`<a href="${cdn(`a.jpg${spaces}x`)}">`)
      expect(sign('html', html['img-lead-trail-spaces']!(n)).output).toMatch(new RegExp(`^<img src="${escapeRe(cdn('a.jpg'))}"`))
      const error = sign('html', html['img-spaces-error']!(n))
      expect(error.problems.map((p) => p.ruleId)).toEqual(['invalid-value'])
    }
  })

  it('glued references `imageboss:/ximageboss:/x…` in text: one `unsupported-position` at each, 1,000 at most', () => {
    for (const n of SIZES) {
      const text = html['text-glued']!(n)
      const { problems } = sign('html', text)
      expect(problems.length).toBe(Math.min(MAX_PROBLEMS, (text.length - 7) / 12))
      problems.forEach((p, i) => expect([p.ruleId, p.start, text.slice(p.start, p.end)]).toEqual(['unsupported-position', 3 + 12 * i, 'imageboss:']))
    }
  })

  it('a million problems in one text: the first 1,000 are kept, the last of them says more may follow', () => {
    const text = 'imageboss:/x'.repeat(1_000_000)
    for (const [kind, wrapped] of [
      ['text', text],
      ['html', `<p>${text}</p>`],
      ['json', `[${text}]`],
      ['xml', `<a ${text}>`],
      ['css', text]
    ] as const) {
      const problems = kind === 'text' ? checkText(kind, wrapped, keys).problems : sign(kind, wrapped).problems
      expect(problems.length).toBe(MAX_PROBLEMS)
      expect(problems.at(-2)?.reason).not.toMatch(/more may follow/)
      expect(problems.at(-1)?.reason).toMatch(/\(the last of 1,000 problems reported in this text: more may follow\)$/)
    }
  })
})

describe('near-misses: the right output, or rule ids', () => {
  const html = Object.fromEntries(HTML)
  it('partial prefixes (`imagebos`, `imageboss`, `imageboss:` before a space or at the end) are no references', () => {
    for (const [kind, families] of [
      ['html', HTML],
      ['css', CSS],
      ['xml', XML]
    ] as const) {
      const text = Object.fromEntries(families)['partial-prefixes']!(SIZES[1] as number)
      const { problems } = sign(kind, text)
      expect(problems.length).toBeGreaterThan(0)
      // Only `imageboss\3a ` (CSS's escaped colon) before a letter is one.
      for (const p of problems) expect(text.slice(p.start, p.end)).toBe('imageboss\\3a ')
    }
    expect(checkText('text', 'imageboss imagebos imageboss: imageboss', keys).problems).toEqual([])
    expect(checkText('text', 'x imageboss:', keys).problems).toEqual([])
  })

  it('unclosed quotes and comments: nothing signed after them, nothing reported', () => {
    for (const n of SIZES) {
      for (const [kind, text] of [
        ['html', html['unclosed-comment']!(n)],
        ['css', Object.fromEntries(CSS)['unclosed-comment']!(n)],
        ['xml', Object.fromEntries(XML)['unclosed-comment']!(n)]
      ] as const) {
        expect(sign(kind, text).problems).toEqual([])
        expect(checkText(kind, text, keys).problems).toEqual([])
      }
      expect(sign('script', Object.fromEntries(SCRIPT)['unclosed-string']!(n)).rules).toBe('syntax-error')
    }
  })

  it('a `srcset` of many candidates: each signed, descriptors kept', () => {
    const text = Object.fromEntries(SRCSET)['candidates']!(SIZES[1] as number)
    const { output, count } = sign('html', text)
    expect(count).toBe(text.split('imageboss:/x').length - 1)
    expect(output).toBe(text.replaceAll('imageboss:/x', cdn('x')))
  })

  it('a long concatenation: one `dynamic-reference` over the whole expression', () => {
    for (const n of SIZES) {
      const text = Object.fromEntries(SCRIPT)['concatenation-plain']!(n)
      expect(sign('script', text).problems.map((p) => [p.ruleId, p.start, p.end])).toEqual([['dynamic-reference', 4, text.length]])
    }
  })

  it('CSS: a million comments around a reference do not overflow the stack', () => {
    const css = '/**/'.repeat(200_000) + 'a{b:url(imageboss:/x.jpg)}'
    expect(sign('css', css).output).toBe('/**/'.repeat(200_000) + `a{b:url(${cdn('x.jpg')})}`)
  })

  it('XML: a signed URL whose path holds `imageboss:` (from glued references) is a URL, as in HTML', () => {
    for (const n of SIZES) {
      const { output, count, problems } = sign('xml', Object.fromEntries(XML)['text-glued']!(n))
      expect([count, problems]).toEqual([1, []])
      expect(checkText('xml', output).problems).toEqual([])
    }
    for (const xml of ['<loc>https://cdn.example/imageboss:/x.jpg</loc>', '<a href="data:,imageboss:/x"/>']) {
      expect(sign('xml', xml).problems).toEqual([])
      expect(checkText('xml', xml).problems).toEqual([])
    }
    // Not a URL (it holds a space): each occurrence is reported.
    expect(sign('xml', '<loc>https://a imageboss:/x.jpg</loc>').rules).toBe('unsupported-position')
  })

  it('text: glued references, one leftover each', () => {
    for (const n of SIZES) {
      const text = Object.fromEntries(TEXT)['glued']!(n)
      expect(checkText('text', text, keys).problems.length).toBe(Math.min(MAX_PROBLEMS, text.length / 12))
    }
  })
})

/** The rule ids the rehype plugin reports for each Markdown family (`''`: none). */
const MARKDOWN_RULES: Readonly<Record<string, string>> = {
  // A destination with spaces is no image in Markdown: the text holds the reference.
  'image-spaces': 'unsupported-position',
  'text-glued': 'unsupported-position',
  'partial-prefixes': 'unsupported-position',
  images: '',
  'raw-img-spaces': '',
  'raw-open-code-tags': '',
  // Inside `<code>` (raw tags, one node each): a sample, left alone.
  'raw-inline-code-tags': '',
  'raw-unclosed-comment': '',
  'raw-unclosed-quote': '',
  'raw-style-url(': ''
}

describe('near-misses in Markdown, through the rehype plugin (raw HTML kept), at 1× and 8×', () => {
  for (const [name, make] of MARKDOWN) {
    it(name, async () => {
      for (const n of SIZES) {
        const file = await run(make(n / 4), { ...SETTINGS, production: false, onWarning: () => {} }, 'raw-nodes')
        expect([...new Set(file.messages.map((m) => m.ruleId))].sort().join(' ')).toBe(MARKDOWN_RULES[name])
        if (name === 'images') expect(String(file)).not.toContain('imageboss:')
      }
    })
  }
})

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
