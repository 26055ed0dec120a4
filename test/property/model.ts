// A model of the reference syntax (/work/shared/docs/reference-syntax.md), written from the
// document and sharing no code with src/: generators of references, written in many
// equivalent ways, and the URL each one must give (signed by the oracle in ../helpers).
import fc from 'fast-check'
import { goPathEscape, hmac } from '../helpers/expected.js'

export const BASE = 'https://img.imageboss.me'
export const DEFAULT_SOURCE = 'prop-site'

/** Sources of the instance under test: a signed default, a signed named one, an unsigned one. */
export interface Settings {
  secret: string
  blogSecret: string
  defaults: Record<string, string>
}

export const PRESETS = {
  thumb: { w: '200', h: '200', mode: 'smart' },
  hero: { format: 'webp', quality: '80' },
  gray: { grayscale: 'true', blur: '2.5' }
} as const

/** Presets as given to `createImageBoss` (values as numbers and booleans where they can be). */
export const PRESET_SETTINGS = {
  thumb: { w: 200, h: 200, mode: 'smart' },
  hero: { format: 'webp', quality: 80 },
  gray: { grayscale: true, blur: 2.5 }
}

const COMPASS = ['north', 'northeast', 'east', 'southeast', 'south', 'southwest', 'west', 'northwest']
export const MODES = ['smart', 'center', 'attention', 'entropy', 'face', ...COMPASS, 'contain', 'inside']

/** One parameter: its canonical URL value and the ways a reference may write it. */
interface Param {
  key: string
  /** Value as written into the URL, `undefined` for operation keys handled apart. */
  canonical: string
  /** Equivalent spellings of the key. */
  keys: string[]
  /** Equivalent spellings of the value. */
  values: string[]
}

/** Spellings of a decimal `n` (as the shortest form gives it): leading zeros, trailing zeros. */
function decimalSpellings(shortest: string): string[] {
  const [whole = '0', fraction = ''] = shortest.split('.')
  const out = [shortest, '0' + shortest, shortest + (fraction ? '0' : '.0'), shortest + (fraction ? '00' : '.')]
  if (whole === '0' && fraction) out.push('.' + fraction)
  return out
}

function integerSpellings(value: number): string[] {
  return [String(value), '0' + value, '00' + value]
}

const decimalArb = (max: number, min = 0) =>
  fc
    .tuple(fc.integer({ min, max }), fc.integer({ min: 0, max: 999 }))
    .filter(([w, f]) => w + f / 1000 >= min && w + f / 1000 <= max)
    .map(([w, f]) => {
      const fraction = String(f).padStart(3, '0').replace(/0+$/, '')
      return fraction ? `${w}.${fraction}` : String(w)
    })

const integerParam = (key: string, min: number, max: number) =>
  fc.integer({ min, max }).map((n): Param => ({ key, canonical: String(n), keys: [key], values: integerSpellings(n) }))

const decimalParam = (key: string, max: number, min = 0) =>
  decimalArb(max, min).map((s): Param => ({ key, canonical: s, keys: [key], values: decimalSpellings(s) }))

const choiceParam = (key: string, choices: readonly string[]) =>
  fc.constantFrom(...choices).map((v): Param => ({ key, canonical: v, keys: [key], values: [v] }))

const hexColor = fc.tuple(fc.boolean(), fc.array(fc.constantFrom(...'0123456789abcdef'), { minLength: 3, maxLength: 3 })).map(([short, digits]): Param => {
  const six = digits.map((d) => d + d).join('')
  const forms = short ? [digits.join(''), digits.join('').toUpperCase()] : [six, six.toUpperCase()]
  // `#` written as `%23` (a bare `#` starts a fragment), or left out.
  return { key: 'fill-color', canonical: six, keys: ['fill-color'], values: forms.flatMap((f) => [f, '#' + f]) }
})

const tokenValue = fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/)

/** Every ImageBoss option of the document, with valid values. */
export const OPTION_ARBS: Record<string, fc.Arbitrary<Param>> = {
  format: choiceParam('format', ['auto', 'jpg', 'jpeg', 'png', 'webp', 'avif']),
  quality: integerParam('quality', 1, 100),
  blur: decimalParam('blur', 300),
  sharpen: decimalParam('sharpen', 20),
  gamma: decimalParam('gamma', 4),
  threshold: decimalParam('threshold', 255),
  'fp-z': decimalParam('fp-z', 10),
  dpr: decimalParam('dpr', 5).filter((p) => Number(p.canonical) > 0),
  'fp-x': decimalParam('fp-x', 1),
  'fp-y': decimalParam('fp-y', 1),
  'face-index': integerParam('face-index', 0, 50),
  'wmk-pad': integerParam('wmk-pad', 0, 500),
  'wmk-width': integerParam('wmk-width', 1, 5000),
  'wmk-opacity': integerParam('wmk-opacity', 0, 100),
  ...Object.fromEntries(
    ['grayscale', 'progressive', 'compression', 'autorotate', 'animation', 'withoutEnlargement', 'ignoreAspectRatio', 'linear'].map((k) => [
      k,
      choiceParam(k, ['true', 'false'])
    ])
  ),
  'fill-color': hexColor,
  'wmk-position': choiceParam('wmk-position', ['center', ...COMPASS]),
  'wmk-path': fc
    .array(
      fc.stringMatching(/^[A-Za-z0-9 ._-]{1,8}$/).filter((s) => s !== '.' && s !== '..'),
      { minLength: 1, maxLength: 3 }
    )
    .map((segments): Param => {
      const value = '/' + segments.join('/')
      return { key: 'wmk-path', canonical: goPathEscape(value), keys: ['wmk-path'], values: [value] }
    }),
  download: tokenValue.map((v): Param => ({ key: 'download', canonical: v, keys: ['download'], values: [v] })),
  trim: tokenValue.map((v): Param => ({ key: 'trim', canonical: v, keys: ['trim'], values: [v] })),
  extract: tokenValue.map((v): Param => ({ key: 'extract', canonical: v, keys: ['extract'], values: [v] })),
  privacy: tokenValue.map((v): Param => ({ key: 'privacy', canonical: v, keys: ['privacy'], values: [v] })),
  // Admitted through `extraOptions`.
  'future-opt': tokenValue.map((v): Param => ({ key: 'future-opt', canonical: v, keys: ['future-opt'], values: [v] }))
}

export const EXTRA_OPTIONS = ['future-opt']

/** A path segment: any Unicode text (no lone surrogates), no `/`, no control characters, not `.`/`..`. */
const segmentArb = fc
  .oneof(
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }),
    fc.string({ unit: fc.constantFrom(...'ab .-_~:@&=+$%?#!*\'(),;[]"<>\\^`{|}é中😀\u202e\u05d0'), minLength: 1, maxLength: 8 }),
    fc.stringMatching(/^[a-z0-9]{1,8}\.(?:jpg|png|webp)$/)
  )
  // eslint-disable-next-line no-control-regex
  .filter((s) => !s.includes('/') && !/[\u0000-\u001F\u007F-\u009F]/.test(s) && s !== '.' && s !== '..')

/** How one character of a path may be written in a reference: raw when that is unambiguous, else percent-encoded. */
function writePathChar(char: string, encode: boolean): string {
  // `%`, `?`, `#` must be encoded; so must characters the contexts would take apart (none here: the core API).
  if (encode || char === '%' || char === '?' || char === '#') return encodeURIComponent(char)
  return char
}

export interface Reference {
  /** The file, decoded, with a leading `/`. */
  path: string
  source: 'default' | 'blog-assets' | 'open_src'
  /** The reference as written. */
  text: string
  /** The same reference written another, equivalent way (permuted, other spellings). */
  variant: string
  /** The URL the document says it gives. */
  expected: string
}

export interface ReferenceSpec {
  source: Reference['source']
  segments: string[]
  encodeMask: boolean[]
  leadingSlash: boolean
  operation: 'cdn' | 'width' | 'height' | 'cover'
  explicitOp: boolean
  width: number
  height: number
  mode: string | undefined
  widthKey: 'w' | 'width'
  options: Param[]
  preset: keyof typeof PRESETS | undefined
  /** Random numbers that choose spellings and orders. */
  picks: number[]
}

export const specArb: fc.Arbitrary<ReferenceSpec> = fc.record({
  source: fc.constantFrom<Reference['source']>('default', 'default', 'blog-assets', 'open_src'),
  segments: fc.array(segmentArb, { minLength: 1, maxLength: 4 }),
  encodeMask: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
  leadingSlash: fc.boolean(),
  operation: fc.constantFrom('cdn', 'width', 'height', 'cover'),
  explicitOp: fc.boolean(),
  width: fc.integer({ min: 1, max: 8192 }),
  height: fc.integer({ min: 1, max: 8192 }),
  mode: fc.option(fc.constantFrom(...MODES), { nil: undefined }),
  widthKey: fc.constantFrom('w', 'width'),
  options: fc
    .uniqueArray(fc.constantFrom(...Object.keys(OPTION_ARBS)), { maxLength: 8 })
    .chain((keys) => (keys.length === 0 ? fc.constant([]) : fc.tuple(...keys.map((k) => OPTION_ARBS[k] as fc.Arbitrary<Param>)))),
  preset: fc.option(fc.constantFrom<keyof typeof PRESETS>('hero', 'gray', 'thumb'), { nil: undefined }),
  picks: fc.array(fc.nat(), { minLength: 64, maxLength: 64 })
})

function pick<T>(list: readonly T[], n: number): T {
  return list[n % list.length] as T
}

/** Encode a query component so that it decodes (as `URLSearchParams`) back to `text`; with `loose`, more than needed. */
function writeQueryPart(text: string, loose: boolean): string {
  let out = ''
  for (const char of text) {
    if (char === '&' || char === '=' || char === '+' || char === '%' || char === '#' || char === ' ') out += encodeURIComponent(char)
    else if (loose && /[a-z]/.test(char)) out += '%' + char.charCodeAt(0).toString(16).toUpperCase()
    else out += char
  }
  return out
}

/** The reference for a spec (written two ways) and its expected URL, or `undefined` when the spec is not valid. */
export function realise(spec: ReferenceSpec, settings: Settings): Reference | undefined {
  const picks = [...spec.picks]
  const next = () => picks.shift() ?? 0

  // Operation keys: the reference's own.
  const own: Array<{ keys: string[]; values: string[] }> = []
  const size: Record<string, string> = {}
  if (spec.operation === 'width' || spec.operation === 'cover') {
    own.push({ keys: [spec.widthKey, spec.widthKey === 'w' ? 'width' : 'w'], values: integerSpellings(spec.width) })
    size.width = String(spec.width)
  }
  if (spec.operation === 'height' || spec.operation === 'cover') {
    own.push({ keys: ['h', 'height'], values: integerSpellings(spec.height) })
    size.height = String(spec.height)
  }
  if (spec.explicitOp) {
    own.push({ keys: ['op'], values: [spec.operation] })
    size.op = spec.operation
  }
  if (spec.mode !== undefined && spec.operation === 'cover') {
    own.push({ keys: ['mode'], values: [spec.mode] })
    size.mode = spec.mode
  }
  const ownOptions: Record<string, string> = {}
  for (const option of spec.options) {
    own.push({ keys: option.keys, values: option.values })
    ownOptions[option.key] = option.canonical
  }
  if (spec.preset) own.push({ keys: ['preset'], values: [spec.preset] })

  // Merge: defaults, then the preset, then the reference's own keys.
  const preset: Record<string, string> = spec.preset ? { ...PRESETS[spec.preset] } : {}
  const merged: Record<string, string> = {}
  const options: Record<string, string> = { ...settings.defaults }
  for (const [key, value] of Object.entries(preset)) {
    const name = key === 'w' ? 'width' : key === 'h' ? 'height' : key
    if (['width', 'height', 'op', 'mode'].includes(name)) merged[name] = value
    else options[name] = value
  }
  Object.assign(merged, size)
  Object.assign(options, ownOptions)
  const hasW = merged.width !== undefined
  const hasH = merged.height !== undefined
  const op = merged.op ?? (hasW ? (hasH ? 'cover' : 'width') : hasH ? 'height' : 'cdn')
  const needs: Record<string, [boolean, boolean]> = { cover: [true, true], width: [true, false], height: [false, true], cdn: [false, false] }
  const [needW, needH] = needs[op] as [boolean, boolean]
  if (needW !== hasW || needH !== hasH || (merged.mode !== undefined && op !== 'cover')) return undefined

  let signedPath = '/' + (spec.source === 'default' ? DEFAULT_SOURCE : spec.source) + '/' + op
  if (merged.mode !== undefined) signedPath += ':' + merged.mode
  if (op === 'cover') signedPath += `/${merged.width}x${merged.height}`
  else if (op === 'width') signedPath += '/' + merged.width
  else if (op === 'height') signedPath += '/' + merged.height
  const names = Object.keys(options).sort()
  if (names.length > 0) signedPath += '/' + names.map((n) => `${n}:${options[n]}`).join(',')
  signedPath += spec.segments.map((s) => '/' + goPathEscape(s)).join('')
  const secret = spec.source === 'default' ? settings.secret : spec.source === 'blog-assets' ? settings.blogSecret : undefined
  const expected = BASE + signedPath + (secret === undefined ? '' : '?bossToken=' + hmac(secret, signedPath))

  const write = (variant: boolean): string => {
    let mask = 0
    const path = spec.segments
      .map((segment) => [...segment].map((char) => writePathChar(char, variant ? !spec.encodeMask[mask++ % 40] : !!spec.encodeMask[mask++ % 40])).join(''))
      .join('/')
    const prefix = spec.source === 'default' ? 'imageboss:' : `imageboss://${spec.source}`
    const slash = spec.source === 'default' ? (variant ? !spec.leadingSlash : spec.leadingSlash) : true
    const pairs = own.map((entry) => {
      const key = variant ? pick(entry.keys, next()) : (entry.keys[0] as string)
      const value = variant ? pick(entry.values, next()) : (entry.values[0] as string)
      const loose = variant && next() % 4 === 0
      return writeQueryPart(key, loose) + '=' + writeQueryPart(value, loose)
    })
    if (variant) {
      // Permute (Fisher–Yates with the picks), and add empty pairs, which are ignored.
      for (let i = pairs.length - 1; i > 0; i--) {
        const j = next() % (i + 1)
        ;[pairs[i], pairs[j]] = [pairs[j] as string, pairs[i] as string]
      }
      if (next() % 3 === 0) pairs.splice(next() % (pairs.length + 1), 0, '')
    }
    const query = pairs.length > 0 ? '?' + pairs.join('&') : ''
    return prefix + (slash ? '/' : '') + path + query
  }

  return {
    path: '/' + spec.segments.join('/'),
    source: spec.source,
    text: write(false),
    variant: write(true),
    expected
  }
}
