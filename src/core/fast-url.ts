import type { CheckedOptions } from './options.js'
import { ALIASES } from './parameters.js'
import { fitsSize, operationOf } from './plan.js'
import { parsePath, SCHEME, SOURCE_NAME_RE } from './reference.js'
import { RESPONSIVE_KEYS } from './responsive.js'
import type { SourceState } from './sources.js'
import { checkOf } from './transform.js'
import { operationPath } from './url.js'

/**
 * The URL of a reference in one pass, for the common case: a source already in use, a path,
 * and parameters written plainly (no `%`, no `+`, no preset, no responsive key), each once,
 * that make a valid operation. Anything else, an invalid reference included, is left to the
 * full path (`makePlan`, `writeUrl`), which gives the same URL or the error with its
 * message: this returns `undefined` then, never an error. No object is kept, and next to
 * none made; `test/core/fast-url.test.ts` and `npm run fuzz` compare the two paths.
 */
export interface FastPath {
  readonly checked: CheckedOptions
  readonly states: ReadonlyMap<string, SourceState>
  /** The default options, sorted by name (code-unit order, as `writeUrl` sorts). */
  readonly defaultOptions: ReadonlyArray<readonly [string, string]>
}

export function createFastPath(checked: CheckedOptions, states: ReadonlyMap<string, SourceState>): FastPath {
  const defaultOptions = Object.entries(checked.defaults.options).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return { checked, states, defaultOptions }
}

/** Characters of a path that need neither decoding nor encoding: `[A-Za-z0-9_.~-]`. */
const PLAIN = new Uint8Array(128)
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.~-') PLAIN[c.charCodeAt(0)] = 1

/**
 * Whether a path (its leading `/` optional) is made of such characters, in segments that
 * are neither empty nor `.` nor `..`: then it is written as it is. A loop: a regex of
 * repeated segments backtracks exponentially on a near-miss.
 */
function isPlainPath(path: string): boolean {
  let segmentStart = path.charCodeAt(0) === 47 /* `/` */ ? 1 : 0
  for (let i = segmentStart; i <= path.length; i++) {
    const code = i === path.length ? 47 : path.charCodeAt(i)
    if (code === 47) {
      const length = i - segmentStart
      if (length === 0 || (length <= 2 && path.charCodeAt(segmentStart) === 46 && (length === 1 || path.charCodeAt(segmentStart + 1) === 46))) return false
      segmentStart = i + 1
    } else if (code >= 128 || PLAIN[code] !== 1) {
      return false
    }
  }
  return true
}
const RESPONSIVE: ReadonlySet<string> = new Set(RESPONSIVE_KEYS)
const NO_EXTRA: ReadonlySet<string> = new Set()
/** Options of a reference the fast path writes (one bit each in `optionsSegment`); more go the full path. */
const MAX_OPTIONS = 24

// Scratch lists of one call's options (names and values, in the order written): calls never
// overlap, and a few entries reused beat a new object per reference.
const names: string[] = []
const values: string[] = []

/** The URL, or `undefined` when the full path must decide. */
export function fastUrl(fast: FastPath, reference: string): string | undefined {
  if (typeof reference !== 'string' || !reference.startsWith(SCHEME) || reference.includes('#')) return undefined
  const { checked } = fast
  let at = SCHEME.length
  let source = checked.defaultSource
  const query = reference.indexOf('?', at)
  const end = query === -1 ? reference.length : query
  if (reference.startsWith('//', at)) {
    let nameEnd = reference.indexOf('/', at + 2)
    if (nameEnd === -1 || nameEnd > end) nameEnd = end
    source = reference.slice(at + 2, nameEnd)
    if (!SOURCE_NAME_RE.test(source)) return undefined
    at = nameEnd
  }
  // A source not yet in use is worked out by the full path: it may warn, or throw.
  const state = source === undefined ? undefined : fast.states.get(source)
  if (state === undefined) return undefined

  names.length = 0
  values.length = 0
  let width: string | undefined
  let height: string | undefined
  let op: string | undefined
  let mode: string | undefined
  for (let start = query + 1; query !== -1 && start <= reference.length; ) {
    let next = reference.indexOf('&', start)
    if (next === -1) next = reference.length
    if (next > start) {
      const eq = reference.indexOf('=', start)
      const split = eq === -1 || eq > next ? next : eq
      const key = reference.slice(start, split)
      const value = split === next ? '' : reference.slice(split + 1, next)
      if (key.includes('%') || key.includes('+') || value.includes('%') || value.includes('+')) return undefined
      const name = ALIASES[key] ?? key
      if (names.includes(name) || name === 'preset' || RESPONSIVE.has(name)) return undefined
      names.push(name)
      // Extra options (`extraOptions`) go the full path.
      const check = checkOf(name, NO_EXTRA)
      if (check === undefined) return undefined
      const checkedValue = check(value)
      if (!checkedValue.ok) return undefined
      if (name === 'width') width = checkedValue.value
      else if (name === 'height') height = checkedValue.value
      else if (name === 'op') op = checkedValue.value
      else if (name === 'mode') mode = checkedValue.value
      else if (values.push(name, checkedValue.value) > MAX_OPTIONS * 2) return undefined
    }
    start = next + 1
  }

  const defaults = checked.defaults.operation
  width ??= defaults.width
  height ??= defaults.height
  mode ??= defaults.mode
  const operation = operationOf(op ?? defaults.op, width !== undefined, height !== undefined)
  if (!fitsSize(operation, width !== undefined, height !== undefined) || (mode !== undefined && operation !== 'cover')) return undefined

  const rawPath = reference.slice(at, end)
  let encodedPath: string
  if (isPlainPath(rawPath)) {
    encodedPath = rawPath.charCodeAt(0) === 47 /* `/` */ ? rawPath : '/' + rawPath
  } else {
    try {
      encodedPath = parsePath(reference, at, end).encodedPath
    } catch {
      return undefined
    }
  }

  const signedPath = operationPath(source as string, operation, mode, width, height) + optionsSegment(fast.defaultOptions) + encodedPath
  const key = state.key
  // One flat string (`join`), where `+` would keep a tree of a dozen pieces alive in the memo.
  return (key ? [checked.baseUrl, signedPath, '?bossToken=', key(signedPath)] : [checked.baseUrl, signedPath]).join('')
}

/**
 * `/name:value,…` of the options (the reference's over the defaults), sorted by name: the
 * defaults come sorted; the reference's few are merged in, each where it sorts.
 */
function optionsSegment(defaults: ReadonlyArray<readonly [string, string]>): string {
  let segment = ''
  let taken = 0 // The reference's options written so far, a bit each (a reference has a few).
  let index = 0
  for (;;) {
    // The reference's smallest name not yet written.
    let own = -1
    for (let i = 0; i < values.length; i += 2) {
      if ((taken & (1 << (i >> 1))) === 0 && (own === -1 || (values[i] as string) < (values[own] as string))) own = i
    }
    const fallback = defaults[index]
    if (own === -1 && fallback === undefined) return segment
    const ownName = own === -1 ? undefined : (values[own] as string)
    let name: string
    let value: string
    if (fallback !== undefined && (ownName === undefined || fallback[0] < ownName)) {
      ;[name, value] = fallback
      index++
    } else {
      name = ownName as string
      value = values[own + 1] as string
      taken |= 1 << (own >> 1)
      if (fallback !== undefined && fallback[0] === name) index++
    }
    segment += (segment === '' ? '/' : ',') + name + ':' + value
  }
}
