// Property-based tests over generated references. Expected URLs come from the model in
// ./model.ts and the oracle in ../helpers (node:crypto, a Go `PathEscape` written apart),
// never from the code under test. `npm run fuzz` runs the same properties a million times.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createImageBoss, ImageBossError, RULE_IDS, type ImageBoss, type ImageBossOptions } from '../../src/index.js'
import { asExplained, explainer, outcomeOf } from '../helpers/explained.js'
import { hmac } from '../helpers/expected.js'
import { BASE, DEFAULT_SOURCE, EXTRA_OPTIONS, MODES, OPTION_ARBS, PRESET_SETTINGS, realise, specArb, type Settings } from './model.js'

/** Total cases: at least 10,000 here; `FUZZ_RUNS` (set by test/fuzz/run.js) for the long run (shares of it below). */
const TOTAL = Number(process.env.FUZZ_RUNS ?? 12_000)
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED)
const share = (part: number) => ({ numRuns: Math.max(1, Math.round(TOTAL * part)), ...(SEED === undefined ? {} : { seed: SEED }) })
const TIMEOUT = Math.max(60_000, TOTAL * 2)

/** Secrets as users write them: quotes, `<`, unicode, spaces. */
const secretArb = fc.oneof(
  fc.string({ minLength: 1, maxLength: 24, unit: 'grapheme' }),
  fc.constantFrom('mysecret', 'a"b<c>d\'e&f', 'clé-秘密-🔑', ' spaced secret ', '</script><script>alert(1)</script>')
)

const settingsArb: fc.Arbitrary<Settings> = fc.record({
  secret: secretArb,
  blogSecret: secretArb,
  defaults: fc.constantFrom<Record<string, string>>({}, { format: 'auto' }, { format: 'auto', quality: '75' })
})

function options(settings: Settings, production = true): ImageBossOptions {
  return {
    source: DEFAULT_SOURCE,
    secret: settings.secret,
    sources: { 'blog-assets': { secret: settings.blogSecret }, open_src: { signed: false } },
    defaults: settings.defaults,
    presets: PRESET_SETTINGS,
    extraOptions: EXTRA_OPTIONS,
    env: {},
    production,
    onWarning: () => {}
  }
}

function instance(settings: Settings, production = true): ImageBoss {
  return createImageBoss(options(settings, production))
}

/** Whatever a call does, it returns a string or throws `ImageBossError` with a known rule id. */
function outcome<T>(run: () => T): { ok: true; value: T } | { ok: false; error: ImageBossError } {
  try {
    return { ok: true, value: run() }
  } catch (error) {
    if (!(error instanceof ImageBossError)) throw new Error(`Expected only ImageBossError to escape, got ${String(error)}`)
    if (!RULE_IDS.includes(error.ruleId)) throw new Error(`Unknown rule id ${error.ruleId}`)
    if (typeof error.reason !== 'string' || error.reason.length === 0) throw new Error('Expected a reason')
    return { ok: false, error }
  }
}

/**
 * The file a reference names, read independently of src/: after the scheme and an optional
 * `//source`, up to `?`, percent-decoded once. `undefined` when that cannot decode.
 */
function referencedFile(reference: string): string | undefined {
  let rest = reference.slice('imageboss:'.length)
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2)
    rest = slash === -1 ? '' : rest.slice(slash)
  }
  const query = rest.indexOf('?')
  if (query !== -1) rest = rest.slice(0, query)
  try {
    return decodeURIComponent(rest.replace(/^\//, ''))
  } catch {
    return undefined
  }
}

/** Check a URL: it parses, its token verifies over the path as received, its path ends with `file`. */
function checkUrl(url: string, secrets: Record<string, string | undefined>, file: string | undefined): void {
  const parsed = new URL(url)
  expect(parsed.origin).toBe(BASE)
  const source = parsed.pathname.split('/')[1] as string
  const secret = secrets[source]
  const token = parsed.searchParams.get('bossToken')
  if (secret === undefined) {
    expect(parsed.search).toBe('')
  } else {
    expect([...parsed.searchParams.keys()]).toEqual(['bossToken'])
    // The path exactly as it stands in the URL string, also as WHATWG `URL` reads it.
    const raw = url.slice(BASE.length, url.indexOf('?'))
    expect(parsed.pathname).toBe(raw)
    expect(token).toBe(hmac(secret, raw))
  }
  if (file !== undefined) {
    const segments = file.split('/')
    const tail = parsed.pathname.split('/').slice(-segments.length)
    expect(tail.map((s) => decodeURIComponent(s))).toEqual(segments)
  }
}

describe('generated valid references', () => {
  it(
    'give the URL the syntax document specifies, written any equivalent way, signed and decodable',
    () => {
      fc.assert(
        fc.property(settingsArb, specArb, fc.boolean(), (settings, spec, useImage) => {
          const imageboss = instance(settings)
          const reference = realise(spec, settings)
          const result = outcome(() => (reference ? imageboss.url(reference.text) : undefined))
          if (reference === undefined) return // A conflicting combination: checked below.
          if (!result.ok) throw new Error(`${reference.text}: ${result.error.ruleId} ${result.error.reason}`)
          expect(result.value).toBe(reference.expected)
          const again = useImage ? imageboss.image(reference.variant).src : imageboss.url(reference.variant)
          expect(again, reference.variant).toBe(reference.expected)
          expect(imageboss.referenceOf(reference.expected)).toBe(reference.text)
          checkUrl(reference.expected, { [DEFAULT_SOURCE]: settings.secret, 'blog-assets': settings.blogSecret }, reference.path.slice(1))
        }),
        share(0.35)
      )
    },
    TIMEOUT
  )

  it(
    'turn conflicting operation keys into `conflicting-parameters`',
    () => {
      fc.assert(
        fc.property(settingsArb, specArb, (settings, spec) => {
          const reference = realise(spec, settings)
          fc.pre(reference === undefined)
          // Rebuild the text the model would write, then expect the rule.
          const written = realise({ ...spec, operation: 'cdn', explicitOp: false, mode: undefined, preset: undefined }, settings)
          const base = (written as { text: string }).text.split('?')[0] as string
          const keys = [
            ...(spec.operation === 'width' || spec.operation === 'cover' ? [`w=${spec.width}`] : []),
            ...(spec.operation === 'height' || spec.operation === 'cover' ? [`h=${spec.height}`] : []),
            ...(spec.explicitOp ? [`op=${spec.operation}`] : []),
            ...(spec.mode !== undefined && spec.operation === 'cover' ? [`mode=${spec.mode}`] : []),
            ...(spec.preset ? [`preset=${spec.preset}`] : [])
          ]
          const result = outcome(() => instance(settings).url(base + '?' + keys.join('&')))
          expect(result.ok ? result.value : result.error.ruleId).toBe('conflicting-parameters')
        }),
        { ...share(0.05), numRuns: Math.max(1, Math.round(TOTAL * 0.05)) }
      )
    },
    TIMEOUT
  )
})

/** Keys to fuzz values with: every known one, aliases, responsive and build keys, and unknown ones. */
const KEYS = [
  ...Object.keys(OPTION_ARBS),
  'w',
  'width',
  'h',
  'height',
  'op',
  'mode',
  'preset',
  'srcset',
  'densities',
  'sizes',
  'priority',
  'qualty',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  ''
]

const valueArb = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ maxLength: 8, unit: 'binary' }),
  fc.constantFrom(
    '0',
    '-1',
    '1e3',
    '0x10',
    'NaN',
    'Infinity',
    '8193',
    '8192',
    '1.',
    '.',
    '..5',
    '+1',
    ' 1',
    '%',
    '%zz',
    '%C3',
    '%F0%9F%98%80',
    '#fff',
    'auto',
    'true',
    ...MODES
  ),
  fc.integer({ min: -10, max: 10_000 }).map(String),
  fc.double({ noNaN: false }).map(String)
)

const pairArb = fc
  .tuple(fc.constantFrom(...KEYS), valueArb, fc.boolean())
  .map(([key, value, encode]) => (encode ? encodeURIComponent(key) : key) + '=' + (encode ? encodeURIComponent(value) : value))

const pathArb = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ maxLength: 12, unit: 'binary' }),
  // Lone surrogates listed apart: spread together they would make one valid pair.
  fc.string({ maxLength: 16, unit: fc.constantFrom(...'/.%?#&=+ a\u0000\u001f\u007f\u202e😀2F', '\ud800', '\udfff') })
)

const sourcePartArb = fc.constantFrom(
  '',
  '',
  '//blog-assets',
  '//open_src',
  '//__proto__',
  '//constructor',
  '//unknown',
  '//-bad',
  '//',
  '//a b',
  `//${DEFAULT_SOURCE}`
)

/** Anything: mostly references, some not. */
const anyReferenceArb = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(sourcePartArb, pathArb, fc.array(pairArb, { maxLength: 6 }), fc.constantFrom('?', '?&', '&', '#', ''))
      .map(([s, p, q, sep]) => `imageboss:${s}${s && !p.startsWith('/') ? '/' : ''}${p}${q.length > 0 ? (sep || '?') + q.join('&') : ''}`)
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 30, unit: 'binary' }).map((s) => 'imageboss:' + s) },
  { weight: 1, arbitrary: fc.constantFrom('imageboss:', 'imageboss:/', 'imageboss://', 'imageboss:?', 'IMAGEBOSS:/a.jpg', 'imageboss:/a.jpg#x') }
)

describe('generated references of any shape', () => {
  it(
    'return a signed URL naming the referenced file, or throw ImageBossError with a known rule id',
    () => {
      fc.assert(
        fc.property(settingsArb, anyReferenceArb, fc.boolean(), fc.boolean(), (settings, reference, production, useImage) => {
          const imageboss = instance(settings, production)
          const result = outcome(() => (useImage ? imageboss.image(reference).src : imageboss.url(reference)))
          if (!result.ok) return
          const secrets = { [DEFAULT_SOURCE]: settings.secret, 'blog-assets': settings.blogSecret }
          checkUrl(result.value, secrets, referencedFile(reference))
          // The same reference again gives the same answer (memoised results stay right).
          expect(useImage ? imageboss.image(reference).src : imageboss.url(reference)).toBe(result.value)
        }),
        share(0.6)
      )
    },
    TIMEOUT
  )
})

describe('the reference parser against the explain pass', () => {
  it(
    'give the same URL, resolved image and attributes, or the same error, for references of any shape and valid ones',
    () => {
      const validArb = fc.tuple(settingsArb, specArb).map(([settings, spec]) => realise(spec, settings)?.variant ?? 'imageboss:/a.jpg')
      fc.assert(
        fc.property(settingsArb, fc.oneof(anyReferenceArb, validArb), fc.boolean(), fc.boolean(), (settings, reference, production, warm) => {
          // Sources in use first, or not: a source's first valid reference puts it in use.
          const warmUp = warm ? ['', '//blog-assets', '//open_src'].map((source) => `imageboss:${source}/warm-up.jpg`) : []
          const explained = explainer(options(settings, production), warmUp)
          const read = instance(settings, production)
          for (const other of warmUp) outcomeOf(() => read.url(other))
          // The explain pass alone (`explainPlan`, then the URL written from its plan) is the other side.
          expect(asExplained(outcomeOf(() => read.url(reference)))).toEqual(explained.url(reference))
          expect(asExplained(outcomeOf(() => read.resolve(reference)))).toEqual(explained.resolve(reference))
          expect(outcomeOf(() => read.image(reference))).toEqual(explained.image(reference))
        }),
        share(0.2)
      )
    },
    TIMEOUT
  )
})
