import { decodeForm } from './encode.js'
import { ImageBossError } from './errors.js'
import type { CheckedOptions } from './options.js'
import { EXTRA_OPTION, IMAGE_OPTIONS, OPERATION_PARAMETERS, type Check, type Operation } from './parameters.js'
import { explainPlan, fitsSize, operationOf, type Plan } from './plan.js'
import { SCHEME } from './reference.js'
import { checkResponsiveKey, RESPONSIVE_KEYS, type ResponsiveKey, type ResponsiveOffsets, type ResponsiveRequest } from './responsive.js'
import { sourceKey, type SourceState } from './sources.js'
import type { OperationKey, Transform } from './transform.js'
import { operationPath } from './url.js'

/**
 * The reference parser: one pass over a reference that accepts exactly what the syntax
 * (docs: reference syntax) accepts, and gives its URL (`readUrl`) or its plan (`readPlan`).
 * It says only *whether* a reference is valid; why one is not is told by a pass of its own,
 * `explainPlan` (src/core/plan.ts), run only for a rejected reference, so that the common
 * case makes next to no objects and reads each character about once.
 *
 * `test/core/reader.test.ts` and `npm run fuzz` hold the two passes to one another: the same
 * URL for every reference the explain pass accepts, a rejection for every one it rejects.
 */
export interface Reader {
  readonly checked: CheckedOptions
  readonly states: Map<string, SourceState>
  /** Per preset (`null`: none), the options of the defaults and the preset merged, sorted by name. */
  readonly bases: Map<Transform | null, ReadonlyArray<readonly [string, string]>>
}

export function createReader(checked: CheckedOptions, states: Map<string, SourceState>): Reader {
  return { checked, states, bases: new Map() }
}

// Parameter ids: the operation keys, the build-time keys, then the ImageBoss options.
const WIDTH = 0
const HEIGHT = 1
const OP = 2
const MODE = 3
const PRESET = 4
const FIRST_RESPONSIVE = 5
const FIRST_OPTION = FIRST_RESPONSIVE + RESPONSIVE_KEYS.length
const OPTION_NAMES = Object.keys(IMAGE_OPTIONS)
const OPTION_CHECKS = Object.values(IMAGE_OPTIONS)
const UNKNOWN = -1

const IDS = new Map<string, number>([
  ['width', WIDTH],
  ['height', HEIGHT],
  ['op', OP],
  ['mode', MODE],
  ['preset', PRESET],
  ...RESPONSIVE_KEYS.map((key, index) => [key, FIRST_RESPONSIVE + index] as const),
  ...OPTION_NAMES.map((name, index) => [name, FIRST_OPTION + index] as const)
])

/** The id of a key as written: the frequent ones by a `switch`, the rest from the table. */
function idOf(key: string): number {
  switch (key) {
    case 'w':
    case 'width':
      return WIDTH
    case 'h':
    case 'height':
      return HEIGHT
    case 'mode':
      return MODE
    case 'op':
      return OP
    default:
      return IDS.get(key) ?? UNKNOWN
  }
}

const OPERATION_CHECKS: readonly Check[] = [OPERATION_PARAMETERS.width, OPERATION_PARAMETERS.height, OPERATION_PARAMETERS.op, OPERATION_PARAMETERS.mode]

/** Characters of a path that need neither decoding nor encoding: `[A-Za-z0-9_.~-]`. */
const PLAIN = new Uint8Array(128)
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.~-') PLAIN[c.charCodeAt(0)] = 1
/** What `encodeURI` keeps and Go's `PathEscape` (the path encoding of the syntax) escapes; `/` is the separator. */
const URI_KEPT = new Uint8Array(128)
for (const c of "!'()*,;?#") URI_KEPT[c.charCodeAt(0)] = 1
const URI_KEPT_RE = /[!'()*,;?#]/g
/** The start of a source name, and the rest of it: `^[A-Za-z\d][\w-]*$`. */
const NAME = new Uint8Array(128)
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789') NAME[c.charCodeAt(0)] = 1
for (const c of '_-') NAME[c.charCodeAt(0)] = 2

/**
 * What one read found. One record, reused: reads never overlap, and a few fields rewritten
 * beat an object per reference. Read it before the next read.
 */
const found = {
  source: '',
  state: undefined as SourceState | undefined,
  operation: 'cdn' as Operation,
  width: undefined as string | undefined,
  height: undefined as string | undefined,
  op: undefined as string | undefined,
  mode: undefined as string | undefined,
  preset: undefined as Transform | undefined,
  /** The reference's own options and the responsive keys, in the order written: name, value (names of responsive keys are ids). */
  names: [] as string[],
  values: [] as string[],
  /** The responsive keys (plans only): id, key offset. */
  responsive: [] as number[],
  decodedPath: '',
  encodedPath: ''
}

/** Per parameter id, the read that saw it last: a parameter given twice is seen twice in one read. */
const seen = new Uint32Array(FIRST_OPTION + OPTION_NAMES.length)
let generation = 0

/**
 * Read a reference into `found`. `withResponsive`: whether the responsive keys are accepted
 * (an `<img>`); elsewhere they are an error. `false` for any reference the syntax rejects, and
 * for a source that cannot be used (`sourceKey` threw: the explain pass says why).
 */
function read(reader: Reader, reference: string, withResponsive: boolean): boolean {
  if (typeof reference !== 'string' || !reference.startsWith(SCHEME) || reference.includes('#')) return false
  const { checked } = reader
  const query = reference.indexOf('?', SCHEME.length)
  const end = query === -1 ? reference.length : query

  let pathStart = SCHEME.length
  let source = checked.defaultSource
  if (reference.charCodeAt(pathStart) === 47 /* `/` */ && reference.charCodeAt(pathStart + 1) === 47) {
    const nameStart = pathStart + 2
    let nameEnd = reference.indexOf('/', nameStart)
    if (nameEnd === -1 || nameEnd > end) nameEnd = end
    if (nameEnd === nameStart) return false
    for (let i = nameStart; i < nameEnd; i++) {
      const code = reference.charCodeAt(i)
      if (code >= 128 || (NAME[code] !== 1 && (NAME[code] !== 2 || i === nameStart))) return false
    }
    source = reference.slice(nameStart, nameEnd)
    pathStart = nameEnd
  }
  if (!readPath(reference, pathStart, end)) return false

  const names = found.names
  const values = found.values
  names.length = 0
  values.length = 0
  found.responsive.length = 0
  let width: string | undefined
  let height: string | undefined
  let op: string | undefined
  let mode: string | undefined
  let presetName: string | undefined
  const stamp = ++generation
  if (stamp === 0xffffffff) {
    seen.fill(0)
    generation = 0
  }
  for (let start = query + 1; query !== -1 && start <= reference.length;) {
    let next = reference.indexOf('&', start)
    if (next === -1) next = reference.length
    if (next > start) {
      let split = start
      let encoded = false
      while (split < next) {
        const code = reference.charCodeAt(split)
        if (code === 61 /* `=` */) break
        if (code === 37 /* `%` */ || code === 43 /* `+` */) encoded = true
        split++
      }
      let key = reference.slice(start, split)
      if (encoded) key = decodeForm(key)
      let value = split === next ? '' : reference.slice(split + 1, next)
      if (value.includes('%') || value.includes('+')) value = decodeForm(value)
      const id = idOf(key)
      if (id === UNKNOWN) {
        // Not a built-in key: an `extraOptions` name, given once, or an error.
        if (!checked.names.extra.has(key) || names.includes(key)) return false
        const written = EXTRA_OPTION.write(value)
        if (written === undefined) return false
        names.push(key)
        values.push(written)
      } else {
        if (seen[id] === stamp) return false
        seen[id] = stamp
        if (id >= FIRST_OPTION) {
          const written = (OPTION_CHECKS[id - FIRST_OPTION] as Check).write(value)
          if (written === undefined) return false
          names.push(OPTION_NAMES[id - FIRST_OPTION] as string)
          values.push(written)
        } else if (id < PRESET) {
          const written = (OPERATION_CHECKS[id] as Check).write(value)
          if (written === undefined) return false
          if (id === WIDTH) width = written
          else if (id === HEIGHT) height = written
          else if (id === OP) op = written
          else mode = written
        } else if (id === PRESET) {
          presetName = value
        } else {
          if (!withResponsive || !checkResponsiveKey(RESPONSIVE_KEYS[id - FIRST_RESPONSIVE] as ResponsiveKey, value).ok) return false
          found.responsive.push(id, start)
        }
      }
    }
    start = next + 1
  }

  let preset: Transform | undefined
  if (presetName !== undefined) {
    preset = checked.presets.get(presetName)
    if (preset === undefined) return false
  }
  const defaults = checked.defaults.operation
  const presetSize = preset?.operation
  width ??= presetSize?.width ?? defaults.width
  height ??= presetSize?.height ?? defaults.height
  op ??= presetSize?.op ?? defaults.op
  mode ??= presetSize?.mode ?? defaults.mode
  const operation = operationOf(op, width !== undefined, height !== undefined)
  if ((mode !== undefined && operation !== 'cover') || !fitsSize(operation, width !== undefined, height !== undefined)) return false
  if (source === undefined) return false

  // The source last, as the explain pass does: its first use may warn, or throw.
  let state = reader.states.get(source)
  if (state === undefined) {
    try {
      sourceKey(checked, reader.states, source, reference)
    } catch (error) {
      if (error instanceof ImageBossError) return false
      throw error
    }
    state = reader.states.get(source) as SourceState
  }
  found.source = source
  found.state = state
  found.operation = operation
  found.width = width
  found.height = height
  found.op = op
  found.mode = mode
  found.preset = preset
  return true
}

/**
 * The path between `start` and `end` into `found`: decoded once (strictly), checked segment
 * by segment, and encoded as Go's `PathEscape` encodes each segment. A plain path (most of
 * them) is its own encoding; any other is encoded by one `encodeURI` pass and one fix-up for
 * the few characters that it keeps and `PathEscape` escapes. Loops, not regexes: a regex of
 * repeated segments backtracks exponentially on a near-miss.
 */
function readPath(reference: string, start: number, end: number): boolean {
  // The leading `/` is optional.
  const from = reference.charCodeAt(start) === 47 /* `/` */ ? start + 1 : start
  let plain = true
  let percent = false
  let segmentStart = from
  for (let i = from; i <= end; i++) {
    const code = i === end ? 47 : reference.charCodeAt(i)
    if (code === 47) {
      const length = i - segmentStart
      if (length === 0 || (length <= 2 && reference.charCodeAt(segmentStart) === 46 && (length === 1 || reference.charCodeAt(segmentStart + 1) === 46)))
        return false
      segmentStart = i + 1
    } else if (code >= 128 || PLAIN[code] !== 1) {
      plain = false
      if (code === 37 /* `%` */) percent = true
      else if (code < 32 || code === 127) return false
    }
  }
  if (plain) {
    found.decodedPath = reference.slice(from, end)
    found.encodedPath = from === start ? '/' + found.decodedPath : reference.slice(start, end)
    return true
  }
  let decoded = reference.slice(from, end)
  if (percent) {
    for (let i = decoded.indexOf('%'); i !== -1; i = decoded.indexOf('%', i + 1)) {
      if (!isHex(decoded.charCodeAt(i + 1)) || !isHex(decoded.charCodeAt(i + 2))) return false
    }
    try {
      decoded = decodeURIComponent(decoded)
    } catch {
      return false
    }
    // Decoding may make segments (`%2F`), dots (`%2E`) and control characters: check again.
    if (!checkDecoded(decoded)) return false
  }
  let fixes = false
  for (let i = 0; i < decoded.length; i++) {
    const code = decoded.charCodeAt(i)
    if (code < 128) {
      if (URI_KEPT[code] === 1) fixes = true
    } else if (code >= 0xd800 && code <= 0xdfff) {
      // A lone surrogate has no UTF-8 form: encoding it would name another file.
      if (code >= 0xdc00) return false
      const low = decoded.charCodeAt(i + 1)
      if (!(low >= 0xdc00 && low <= 0xdfff)) return false
      i++
    }
  }
  const encoded = encodeURI(decoded)
  found.decodedPath = decoded
  found.encodedPath = '/' + (fixes ? encoded.replace(URI_KEPT_RE, escapeKept) : encoded)
  return true
}

/** A decoded path: no empty, `.` or `..` segment, no control character. */
function checkDecoded(decoded: string): boolean {
  let segmentStart = 0
  for (let i = 0; i <= decoded.length; i++) {
    const code = i === decoded.length ? 47 : decoded.charCodeAt(i)
    if (code === 47) {
      const length = i - segmentStart
      if (length === 0 || (length <= 2 && decoded.charCodeAt(segmentStart) === 46 && (length === 1 || decoded.charCodeAt(segmentStart + 1) === 46)))
        return false
      segmentStart = i + 1
    } else if (code < 32 || code === 127) {
      return false
    }
  }
  return true
}

function isHex(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102)
}

function escapeKept(character: string): string {
  return '%' + character.charCodeAt(0).toString(16).toUpperCase()
}

/** The options of the defaults and a preset, merged (the preset's win) and sorted by name. */
function baseOptions(reader: Reader, preset: Transform | undefined): ReadonlyArray<readonly [string, string]> {
  let base = reader.bases.get(preset ?? null)
  if (base === undefined) {
    const merged = { ...reader.checked.defaults.options, ...preset?.options }
    base = Object.keys(merged)
      .sort()
      .map((name) => [name, merged[name] as string] as const)
    reader.bases.set(preset ?? null, base)
  }
  return base
}

/**
 * `/name:value,…` of the options (the reference's over the preset's over the defaults), sorted
 * by name: the base comes sorted; the reference's few are sorted in place and merged in.
 */
function optionsSegment(base: ReadonlyArray<readonly [string, string]>): string {
  const { names, values } = found
  const count = names.length
  // Insertion sort: a reference has a few options.
  for (let i = 1; i < count; i++) {
    const name = names[i] as string
    const value = values[i] as string
    let j = i - 1
    while (j >= 0 && (names[j] as string) > name) {
      names[j + 1] = names[j] as string
      values[j + 1] = values[j] as string
      j--
    }
    names[j + 1] = name
    values[j + 1] = value
  }
  let segment = ''
  let own = 0
  let index = 0
  while (own < count || index < base.length) {
    const entry = base[index]
    const ownName = names[own]
    let name: string
    let value: string
    if (entry !== undefined && (ownName === undefined || entry[0] < ownName)) {
      name = entry[0]
      value = entry[1]
      index++
    } else {
      name = ownName as string
      value = values[own] as string
      own++
      if (entry !== undefined && entry[0] === name) index++
    }
    segment += (segment === '' ? '/' : ',') + name + ':' + value
  }
  return segment
}

/**
 * The URL of a reference where no image element is written (`url()`), or `undefined` when
 * the reference is not valid there: then `explainPlan` says why.
 */
export function readUrl(reader: Reader, reference: string): string | undefined {
  if (!read(reader, reference, false)) return undefined
  const signedPath =
    operationPath(found.source, found.operation, found.mode, found.width, found.height) + optionsSegment(baseOptions(reader, found.preset)) + found.encodedPath
  const key = (found.state as SourceState).key
  // One flat string (`join`), where `+` would keep a tree of a dozen pieces alive in the memo.
  return (key ? [reader.checked.baseUrl, signedPath, '?bossToken=', key(signedPath)] : [reader.checked.baseUrl, signedPath]).join('')
}

/**
 * The plan of a reference (for `resolve()` and `image()`: responsive keys accepted), read in
 * the same pass as `readUrl`; a rejected reference is explained by `explainPlan`, which throws.
 *
 * @throws {ImageBossError} for an invalid reference, or a source that cannot be used.
 */
export function readPlan(reader: Reader, reference: string): Plan {
  if (!read(reader, reference, true)) {
    explainPlan(reader.checked, reader.states, reference)
    throw new Error(`imageboss-build: the reference parser rejected \`${reference}\`, which the explain pass accepts; please report this`)
  }
  const { checked } = reader
  const { preset, names, values } = found
  // Built as the explain pass builds them (spreads, then the reference's own in the order
  // written), so that even the order of their keys is the same.
  const size: Partial<Record<OperationKey, string>> = { ...checked.defaults.operation, ...preset?.operation }
  if (found.width !== undefined) size.width = found.width
  if (found.height !== undefined) size.height = found.height
  if (found.op !== undefined) size.op = found.op
  if (found.mode !== undefined) size.mode = found.mode
  const options: Record<string, string> = { ...checked.defaults.options, ...preset?.options }
  for (let i = 0; i < names.length; i++) options[names[i] as string] = values[i] as string
  const responsive: ResponsiveRequest = {}
  const responsiveOffsets: ResponsiveOffsets = {}
  for (let i = 0; i < found.responsive.length; i += 2) {
    const key = RESPONSIVE_KEYS[(found.responsive[i] as number) - FIRST_RESPONSIVE] as ResponsiveKey
    const offset = found.responsive[i + 1] as number
    const value = responsiveValue(reference, offset)
    const checkedValue = checkResponsiveKey(key, value)
    if (checkedValue.ok) (responsive as Record<string, unknown>)[key] = checkedValue.value
    responsiveOffsets[key] = offset
  }
  return {
    reference,
    source: found.source,
    key: (found.state as SourceState).key,
    operation: found.operation,
    size,
    options,
    path: '/' + found.decodedPath,
    encodedPath: found.encodedPath,
    responsive,
    responsiveOffsets
  }
}

/** The decoded value of the pair whose key starts at `offset`. */
function responsiveValue(reference: string, offset: number): string {
  let next = reference.indexOf('&', offset)
  if (next === -1) next = reference.length
  const eq = reference.indexOf('=', offset)
  return eq === -1 || eq > next ? '' : decodeForm(reference.slice(eq + 1, next))
}
