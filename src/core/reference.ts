import { decodeForm, decodeStrict, encodeSegment } from './encode.js'
import { ImageBossError } from './errors.js'

export const SCHEME = 'imageboss:'
export const SOURCE_NAME_RE = /^[A-Za-z\d][\w-]*$/
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u001F\u007F]/
/** A UTF-16 surrogate without its other half: text that has no UTF-8 form. */
export const LONE_SURROGATE_RE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** One `key=value` pair of a reference, with where it was written. */
export interface ReferenceParameter {
  /** Decoded key, as written (`w`, not `width`). */
  key: string
  /** Decoded value (`''` when the pair has no `=`). */
  value: string
  /** Offset of the key inside the reference. */
  keyOffset: number
  /** Offset of the value inside the reference (just after `=`). */
  valueOffset: number
}

/** A reference taken apart, before any setting applies. */
export interface ParsedReference {
  /** The named source (`imageboss://name/…`), or `undefined` for the default source. */
  source: string | undefined
  /** The decoded path of the image, with a leading `/`. */
  path: string
  /** The path as it goes into the URL: each segment re-encoded. */
  encodedPath: string
  /** Parameters in the order written. */
  parameters: ReferenceParameter[]
}

/**
 * Take an `imageboss:` reference apart (syntax only: no parameter is checked here).
 *
 * @throws {ImageBossError} `invalid-reference` or `invalid-path`.
 */
export function parseReference(reference: string): ParsedReference {
  if (typeof reference !== 'string' || !reference.startsWith(SCHEME)) {
    throw new ImageBossError('invalid-reference', `Unexpected reference \`${String(reference).slice(0, 40)}\`, expected it to start with \`imageboss:\``, {
      offset: 0,
      reference: typeof reference === 'string' ? reference : undefined
    })
  }

  const hash = reference.indexOf('#')
  if (hash !== -1) {
    throw new ImageBossError('invalid-reference', 'Unexpected fragment (`#`) in reference, expected none (write `%23` for a literal `#`)', {
      offset: hash,
      reference
    })
  }

  const query = reference.indexOf('?')
  const end = query === -1 ? reference.length : query
  let pathStart = SCHEME.length
  let source: string | undefined

  if (reference.startsWith('//', pathStart)) {
    const nameStart = pathStart + 2
    let nameEnd = reference.indexOf('/', nameStart)
    if (nameEnd === -1 || nameEnd > end) nameEnd = end
    source = reference.slice(nameStart, nameEnd)
    if (!SOURCE_NAME_RE.test(source)) {
      throw new ImageBossError(
        'invalid-reference',
        `Unexpected source name \`${source}\`, expected letters, digits, \`_\` and \`-\`, starting with a letter or digit`,
        { offset: nameStart, reference }
      )
    }
    pathStart = nameEnd
  }

  const { path, encodedPath } = parsePath(reference, pathStart, end)
  const parameters = query === -1 ? [] : parseParameters(reference, query + 1)
  return { source, path, encodedPath, parameters }
}

/** The path of a reference between `start` and `end`, decoded and encoded (see `parseReference`). */
export function parsePath(reference: string, start: number, end: number): { path: string; encodedPath: string } {
  // The leading `/` is optional.
  const from = reference.charCodeAt(start) === 47 /* `/` */ ? start + 1 : start
  const raw = reference.slice(from, end)
  const decoded = decodeStrict(raw)
  if (typeof decoded !== 'string') {
    throw new ImageBossError('invalid-path', decoded.reason, { offset: from + decoded.offset, reference })
  }

  const segments = decoded.split('/')
  let encodedPath = ''
  for (const segment of segments) {
    let problem: string | undefined
    if (segment === '') {
      problem =
        decoded === ''
          ? 'Unexpected empty path, expected the path of an image such as `imageboss:/photos/cat.jpg`'
          : `Unexpected empty segment in path \`${decoded}\`, expected no \`//\` and no trailing \`/\``
    } else if (segment === '.' || segment === '..') {
      problem = `Unexpected \`${segment}\` segment in path \`${decoded}\`, expected a path inside the source`
    } else if (CONTROL_RE.test(segment)) {
      problem = 'Unexpected control character in path, expected printable characters'
    } else if (LONE_SURROGATE_RE.test(segment)) {
      // UTF-8 has no form for it: encoding would write U+FFFD, another file.
      problem = 'Unexpected lone surrogate in path, expected Unicode text that has a UTF-8 form'
    }
    if (problem) throw new ImageBossError('invalid-path', problem, { offset: from, reference })
    encodedPath += '/' + encodeSegment(segment)
  }

  return { path: '/' + decoded, encodedPath }
}

function parseParameters(reference: string, start: number): ReferenceParameter[] {
  const parameters: ReferenceParameter[] = []
  let offset = start
  while (offset <= reference.length) {
    let next = reference.indexOf('&', offset)
    if (next === -1) next = reference.length
    if (next > offset) {
      const pair = reference.slice(offset, next)
      const eq = pair.indexOf('=')
      const rawKey = eq === -1 ? pair : pair.slice(0, eq)
      const rawValue = eq === -1 ? '' : pair.slice(eq + 1)
      parameters.push({
        key: decodeForm(rawKey),
        value: decodeForm(rawValue),
        keyOffset: offset,
        valueOffset: eq === -1 ? next : offset + eq + 1
      })
    }
    offset = next + 1
  }
  return parameters
}
