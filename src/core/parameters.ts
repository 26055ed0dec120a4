import { encodeSegment } from './encode.js'
import { LONE_SURROGATE_RE } from './reference.js'

/** A validated value, written as it goes into the URL, or why it is not valid. */
export type Check = (value: string) => { ok: true; value: string } | { ok: false; expected: string }

const INTEGER_RE = /^\d+$/
const DECIMAL_RE = /^(?:\d+(?:\.\d*)?|\.\d+)$/
const HEX_COLOR_RE = /^#?(?:[\dA-Fa-f]{3}|[\dA-Fa-f]{6})$/
const TOKEN_RE = /^[\w.-]+$/

/** Shortest decimal form of a decimal string: `080` → `80`, `2.50` → `2.5`, `.5` → `0.5`. */
export function shortestDecimal(value: string): string {
  const dot = value.indexOf('.')
  const whole = (dot === -1 ? value : value.slice(0, dot)).replace(/^0+(?=\d)/, '') || '0'
  // Trailing zeros cut by a loop: `/0+$/` tries again from every zero of a long run.
  let end = value.length
  while (dot !== -1 && end > dot + 1 && value.charCodeAt(end - 1) === 48 /* `0` */) end--
  const fraction = dot === -1 ? '' : value.slice(dot + 1, end)
  return fraction ? `${whole}.${fraction}` : whole
}

function integer(min: number, max = Infinity): Check {
  const expected = max === Infinity ? `an integer of at least ${min}` : `an integer from ${min} to ${max}`
  return (value) => {
    if (!INTEGER_RE.test(value)) return { ok: false, expected }
    const n = Number(value)
    return n >= min && n <= max ? { ok: true, value: shortestDecimal(value) } : { ok: false, expected }
  }
}

function decimal(expected: string, accept: (n: number) => boolean): Check {
  return (value) => {
    if (!DECIMAL_RE.test(value)) return { ok: false, expected }
    return accept(Number(value)) ? { ok: true, value: shortestDecimal(value) } : { ok: false, expected }
  }
}

function oneOf(values: readonly string[]): Check {
  const set = new Set(values)
  const expected = values.map((v) => `\`${v}\``).join(', ')
  return (value) => (set.has(value) ? { ok: true, value } : { ok: false, expected: `one of ${expected}` })
}

const token: Check = (value) =>
  TOKEN_RE.test(value) ? { ok: true, value } : { ok: false, expected: 'letters, digits, `.`, `_` or `-`' }

const booleanValue = oneOf(['true', 'false'])
const nonNegative = decimal('a number of at least 0', (n) => n >= 0)

const COMPASS = ['north', 'northeast', 'east', 'southeast', 'south', 'southwest', 'west', 'northwest'] as const

export const OPERATIONS = ['cover', 'width', 'height', 'cdn'] as const
export type Operation = (typeof OPERATIONS)[number]

const COVER_MODES = [
  'smart',
  'center',
  'attention',
  'entropy',
  'face',
  ...COMPASS,
  'contain',
  'inside'
] as const

const size = integer(1, 8192)

/** The parameters that shape the operation; never written as options. */
export const OPERATION_PARAMETERS: Readonly<Record<'width' | 'height' | 'op' | 'mode', Check>> = {
  width: size,
  height: size,
  op: oneOf(OPERATIONS),
  mode: oneOf(COVER_MODES)
}

/** Short names accepted for a parameter. */
export const ALIASES: Readonly<Record<string, string>> = { w: 'width', h: 'height' }

/**
 * ImageBoss options (the options segment), with how each is validated and written.
 * One table: the syntax document's “ImageBoss options”.
 */
export const IMAGE_OPTIONS: Readonly<Record<string, Check>> = {
  format: oneOf(['auto', 'jpg', 'jpeg', 'png', 'webp', 'avif']),
  quality: integer(1, 100),
  blur: nonNegative,
  sharpen: nonNegative,
  gamma: nonNegative,
  threshold: nonNegative,
  'fp-z': nonNegative,
  dpr: decimal('a number greater than 0 and at most 5', (n) => n > 0 && n <= 5),
  'fp-x': decimal('a number from 0 to 1', (n) => n <= 1),
  'fp-y': decimal('a number from 0 to 1', (n) => n <= 1),
  'face-index': integer(0),
  'wmk-pad': integer(0),
  'wmk-width': integer(1),
  'wmk-opacity': integer(0, 100),
  grayscale: booleanValue,
  progressive: booleanValue,
  compression: booleanValue,
  autorotate: booleanValue,
  animation: booleanValue,
  withoutEnlargement: booleanValue,
  ignoreAspectRatio: booleanValue,
  linear: booleanValue,
  'fill-color': (value) => {
    if (!HEX_COLOR_RE.test(value)) return { ok: false, expected: '3 or 6 hex digits (write `#` as `%23`)' }
    const hex = value.replace('#', '').toLowerCase()
    return { ok: true, value: hex.length === 3 ? hex.replace(/./g, '$&$&') : hex }
  },
  'wmk-position': oneOf(['center', ...COMPASS]),
  'wmk-path': (value) => {
    const segments = value.split('/')
    const rest = segments[0] === '' ? segments.slice(1) : segments
    // eslint-disable-next-line no-control-regex
    const bad = rest.length === 0 || rest.some((s) => s === '' || s === '.' || s === '..' || /[\u0000-\u001F\u007F]/.test(s) || LONE_SURROGATE_RE.test(s))
    return bad ? { ok: false, expected: 'a path to an image in the same source' } : { ok: true, value: encodeSegment(value) }
  },
  download: token,
  trim: token,
  extract: token,
  privacy: token
}

/** Checks an option admitted through the `extraOptions` setting. */
export const EXTRA_OPTION: Check = token
