import { shortestDecimal } from './parameters.js'

/** The default widths of `srcset=auto`. */
const DEFAULT_BREAKPOINTS: readonly number[] = [640, 750, 828, 960, 1080, 1280, 1668, 1920, 2048, 2560, 3200, 3840]

/** The largest output size ImageBoss takes. */
const MAX_SIZE = 8192

/** Build-time keys that shape the `<img>` written around a reference; never in the URL. */
export const RESPONSIVE_KEYS = ['srcset', 'densities', 'sizes', 'priority', 'placeholder'] as const
export type ResponsiveKey = (typeof RESPONSIVE_KEYS)[number]

/** The responsive keys of one reference, validated. */
export interface ResponsiveRequest {
  /** `'auto'` or explicit widths (sorted, de-duplicated). */
  srcset?: 'auto' | number[]
  /** Densities as written into `dpr` (sorted, de-duplicated; `1` included when asked). */
  densities?: string[]
  sizes?: string
  priority?: boolean
  /** A tiny variant of the image as the element's background while it loads: blurred, or one colour. */
  placeholder?: 'blur' | 'color'
}

/** Where each responsive key was written, for errors. */
export type ResponsiveOffsets = Partial<Record<ResponsiveKey, number>>

/** Settings for every `<img>` with a reference (`responsive` option); per-reference keys win. */
export interface ResponsiveSettings {
  /** `'auto'`, explicit widths, or `false` (default: `false`). */
  srcset?: 'auto' | readonly number[] | false | undefined
  /** `'auto'` (= `1,2`) or densities from 1 to 4 (optional). */
  densities?: 'auto' | readonly number[] | false | undefined
  /** A `sizes` value for every `w` srcset (optional). */
  sizes?: string | undefined
  /** Widths that replace the default breakpoints of `srcset=auto` (optional). */
  breakpoints?: readonly number[] | undefined
}

const INTEGER_RE = /^\d+$/
const DECIMAL_RE = /^(?:\d+(?:\.\d*)?|\.\d+)$/

type Checked<T> = { ok: true; value: T } | { ok: false; expected: string }

/** Validate the value of a responsive key. */
export function checkResponsiveKey(key: ResponsiveKey, value: string): Checked<ResponsiveRequest[ResponsiveKey]> {
  switch (key) {
    case 'srcset':
      return value === 'auto' ? { ok: true, value: 'auto' } : checkWidths(value)
    case 'densities':
      return checkDensities(value === 'auto' ? '1,2' : value)
    case 'sizes':
      return value.trim() === '' ? { ok: false, expected: 'a `sizes` value such as `(min-width: 800px) 50vw, 100vw`' } : { ok: true, value }
    case 'priority':
      return value === '' || value === 'true' ? { ok: true, value: true } : { ok: false, expected: 'no value (`&priority`)' }
    case 'placeholder':
      if (value === '' || value === 'blur') return { ok: true, value: 'blur' }
      return value === 'color' ? { ok: true, value: 'color' } : { ok: false, expected: '`blur` (or no value: `&placeholder`) or `color`' }
  }
}

function checkWidths(value: string): Checked<number[]> {
  const expected = '`auto` or widths from 1 to 8192 separated by commas (`400,800,1200`)'
  const parts = value.split(',')
  if (!parts.every((part) => INTEGER_RE.test(part) && Number(part) >= 1 && Number(part) <= MAX_SIZE)) return { ok: false, expected }
  return { ok: true, value: sortUnique(parts.map(Number)) }
}

function checkDensities(value: string): Checked<string[]> {
  const expected = '`auto` or densities from 1 to 4 separated by commas (`1,2,3`)'
  const parts = value.split(',')
  if (!parts.every((part) => DECIMAL_RE.test(part) && Number(part) >= 1 && Number(part) <= 4)) return { ok: false, expected }
  const byValue = new Map(parts.map((part) => [Number(part), shortestDecimal(part)]))
  return { ok: true, value: sortUnique([...byValue.keys()]).map((n) => byValue.get(n) as string) }
}

function sortUnique(values: readonly number[]): number[] {
  return [...new Set(values)].sort((a, b) => a - b)
}

/**
 * The widths of `srcset=auto`: with a known width `W`, `W`, `2W` and every breakpoint
 * below `2W`, capped at 8192; without one (`cdn`), every breakpoint.
 */
export function autoWidths(width: number | undefined, breakpoints: readonly number[]): number[] {
  if (width === undefined) return sortUnique(breakpoints.map((b) => Math.min(b, MAX_SIZE)))
  const double = width * 2
  return sortUnique([width, double, ...breakpoints.filter((b) => b < double)].map((w) => Math.min(w, MAX_SIZE)))
}

/** The `sizes` of a `w` srcset: the image's own width when known, else the viewport. */
export function defaultSizes(width: number | undefined): string {
  return width === undefined ? '100vw' : `(min-width: ${width}px) ${width}px, 100vw`
}

/** Validate the `responsive` option; mistakes there are configuration errors (`expected` text). */
export function checkResponsiveSettings(settings: ResponsiveSettings): { request: ResponsiveRequest; breakpoints: number[] } | string {
  const request: ResponsiveRequest = {}
  if (settings.srcset !== undefined && settings.srcset !== false) {
    const checked = settings.srcset === 'auto' ? ({ ok: true, value: 'auto' } as const) : checkWidths(settings.srcset.join(','))
    if (!checked.ok) return `\`responsive.srcset\`: ${checked.expected}`
    request.srcset = checked.value
  }
  if (settings.densities !== undefined && settings.densities !== false) {
    const checked = checkDensities(settings.densities === 'auto' ? '1,2' : settings.densities.map(String).join(','))
    if (!checked.ok) return `\`responsive.densities\`: ${checked.expected}`
    request.densities = checked.value
  }
  if (request.srcset !== undefined && request.densities !== undefined) return '`responsive.srcset` and `responsive.densities` together, expected one of them'
  if (settings.sizes !== undefined) {
    if (typeof settings.sizes !== 'string' || settings.sizes.trim() === '') return '`responsive.sizes`: a `sizes` value'
    request.sizes = settings.sizes
  }
  const breakpoints = settings.breakpoints ?? DEFAULT_BREAKPOINTS
  if (!breakpoints.every((b) => Number.isInteger(b) && b >= 1 && b <= MAX_SIZE) || breakpoints.length === 0) {
    return '`responsive.breakpoints`: widths from 1 to 8192'
  }
  return { request, breakpoints: sortUnique(breakpoints) }
}
