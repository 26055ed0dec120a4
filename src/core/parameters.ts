import { encodeSegment } from './encode.js'
import { LONE_SURROGATE_RE } from './reference.js'

/**
 * How a parameter is validated and written: `write` gives the value as it goes into the URL,
 * or `undefined` when it is not valid, and `expected` says what was expected then. No object
 * is made per value: the reference parser calls `write` for every parameter of every URL.
 */
export interface Check {
  readonly expected: string
  readonly write: (value: string) => string | undefined
}

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

/**
 * `^\d+$` read by a loop, its value compared, and written without leading zeros (what
 * `shortestDecimal` writes for an integer): sizes and qualities are in nearly every reference.
 */
function integer(min: number, max = Infinity): Check {
  const expected = max === Infinity ? `an integer of at least ${min}` : `an integer from ${min} to ${max}`
  return {
    expected,
    write(value) {
      const length = value.length
      if (length === 0) return undefined
      let n = 0
      let zeros = 0
      for (let i = 0; i < length; i++) {
        const digit = value.charCodeAt(i) - 48
        if (digit < 0 || digit > 9) return undefined
        if (digit === 0 && zeros === i) zeros++
        // Exact up to 2^53; past that only compared with `min` and `max`, which are small.
        n = n * 10 + digit
      }
      if (n < min || n > max) return undefined
      if (zeros === 0) return value
      return zeros === length ? '0' : value.slice(zeros)
    }
  }
}

function decimal(expected: string, accept: (n: number) => boolean): Check {
  return {
    expected,
    write(value) {
      if (!DECIMAL_RE.test(value) || !accept(Number(value))) return undefined
      // Most values are written short already (`2`, `2.5`): no new string for them.
      const last = value.charCodeAt(value.length - 1)
      const first = value.charCodeAt(0)
      return first !== 48 /* `0` */ && first !== 46 /* `.` */ && last !== 48 && last !== 46 ? value : shortestDecimal(value)
    }
  }
}

function oneOf(values: readonly string[]): Check {
  const set = new Set(values)
  return { expected: `one of ${values.map((v) => `\`${v}\``).join(', ')}`, write: (value) => (set.has(value) ? value : undefined) }
}

const token: Check = { expected: 'letters, digits, `.`, `_` or `-`', write: (value) => (TOKEN_RE.test(value) ? value : undefined) }

const booleanValue = oneOf(['true', 'false'])
const nonNegative = decimal('a number of at least 0', (n) => n >= 0)

const COMPASS = ['north', 'northeast', 'east', 'southeast', 'south', 'southwest', 'west', 'northwest'] as const

export const OPERATIONS = ['cover', 'width', 'height', 'cdn'] as const
export type Operation = (typeof OPERATIONS)[number]

const COVER_MODES = ['smart', 'center', 'attention', 'entropy', 'face', ...COMPASS, 'contain', 'inside'] as const

const size = integer(1, 8192)

/** The parameters that shape the operation; never written as options. */
export const OPERATION_PARAMETERS: Readonly<Record<'width' | 'height' | 'op' | 'mode', Check>> = {
  width: size,
  height: size,
  op: oneOf(OPERATIONS),
  mode: oneOf(COVER_MODES)
}

/** Short names accepted for a parameter. */
// No prototype: `ALIASES[key]` of a key such as `constructor` is `undefined`, not a function
// of `Object.prototype` (which made an `extraOptions` name of that kind unknown).
export const ALIASES: Readonly<Record<string, string>> = Object.assign(Object.create(null) as Record<string, string>, { w: 'width', h: 'height' })

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
  'fill-color': {
    expected: '3 or 6 hex digits (write `#` as `%23`)',
    write(value) {
      if (!HEX_COLOR_RE.test(value)) return undefined
      const hex = value.replace('#', '').toLowerCase()
      return hex.length === 3 ? hex.replace(/./g, '$&$&') : hex
    }
  },
  'wmk-position': oneOf(['center', ...COMPASS]),
  'wmk-path': {
    expected: 'a path to an image in the same source',
    write(value) {
      const segments = value.split('/')
      const rest = segments[0] === '' ? segments.slice(1) : segments
      // eslint-disable-next-line no-control-regex
      const bad = rest.length === 0 || rest.some((s) => s === '' || s === '.' || s === '..' || /[\u0000-\u001F\u007F]/.test(s) || LONE_SURROGATE_RE.test(s))
      return bad ? undefined : encodeSegment(value)
    }
  },
  download: token,
  trim: token,
  extract: token,
  privacy: token
}

/** Checks an option admitted through the `extraOptions` setting. */
export const EXTRA_OPTION: Check = token
