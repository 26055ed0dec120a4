import { timingSafeEqual } from 'node:crypto'
import { secretVariable, type ImageBossOptions } from './imageboss.js'
import { DEFAULT_BASE_URL, signingEnabled, withoutTrailingSlashes } from './options.js'
import type { Problem } from './problems.js'
import { createRangeTest } from './scan/leftovers.js'
import { createPathSigner, type PathSigner } from './sign.js'

/** How a source's URLs are checked. */
export interface SourceKey {
  /** Whether the source demands signed URLs. */
  signed: boolean
  /** What signs with its secret, when one is configured. */
  sign: PathSigner | undefined
  /** Whether the source is configured at all (default source, `sources`, or a variable). */
  known: boolean
}

/** What the URLs of a built site are checked against. */
export interface VerifyKeys {
  /** The configured base URL, without a trailing `/`. */
  baseUrl: string
  keyOf(source: string): SourceKey
  /** Whether this build's own resolver made `url` (signed with the same secret): then it needs no second HMAC. */
  made?: ((url: string) => boolean) | undefined
  /** Every configured secret, with its source: what no emitted file may hold in any encoding. */
  secrets?: ReadonlyArray<{ source: string; secret: string }> | undefined
  /** What an ImageBoss URL of a source that is not configured is (default: a warning). */
  unknownSources?: 'warn' | 'error' | undefined
}

const SECRET_VARIABLE_RE = /^IMAGEBOSS_SECRET(?:_\w+)?$/

/** The secrets of a configuration: the options' and every `IMAGEBOSS_SECRET*` variable's, each once. */
function secretsOf(
  options: ImageBossOptions,
  env: Readonly<Record<string, string | undefined>>,
  defaultSource: string | undefined
): { source: string; secret: string }[] {
  const found = new Map<string, string>()
  const add = (secret: string | undefined, source: string) => {
    if (secret && !found.has(secret)) found.set(secret, source)
  }
  add(options.secret, defaultSource ?? 'default')
  for (const [name, entry] of Object.entries(options.sources ?? {})) add(entry?.secret, name)
  for (const [variable, value] of Object.entries(env)) {
    if (SECRET_VARIABLE_RE.test(variable))
      add(value, variable === 'IMAGEBOSS_SECRET' ? (defaultSource ?? 'default') : variable.slice('IMAGEBOSS_SECRET_'.length).toLowerCase().replace(/_/g, '-'))
  }
  return [...found].map(([secret, source]) => ({ source, secret }))
}

/**
 * Have `keys` take a signed URL that `resolver` made itself (made with the same options and
 * variables as the keys) without a second HMAC. A URL it no longer holds (its memo is
 * bounded) is verified with the HMAC as any other.
 */
export function trustOwnUrls(keys: VerifyKeys, resolver: { referenceOf(url: string): string | undefined }): VerifyKeys {
  keys.made = (url) => url.includes('bossToken=') && resolver.referenceOf(url) !== undefined
  return keys
}

const URL_END_RE = /[\s"'<>()\\`]/
/** The same characters, searched for from an offset (`lastIndex`). */
const URL_END_SEARCH_RE = new RegExp(URL_END_RE.source, 'g')
const HEX_TOKEN_RE = /^[0-9a-f]{64}$/
const ENTITY_RE = /&(?:#(\d+)|#x([0-9a-fA-F]+)|(amp|lt|gt|quot|apos));/g
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

/** The keys of a configuration, as `createImageBoss` would read them from `options` and `env`. */
export function createVerifyKeys(options: ImageBossOptions, env: Readonly<Record<string, string | undefined>>): VerifyKeys {
  const defaultSource = options.source ?? env.IMAGEBOSS_SOURCE
  const sources = options.sources ?? {}
  const signing = signingEnabled(options, env)
  // The key of each source that has a secret (configured ones: a few); any other name is
  // worked out each time, so hostile text of a million source names keeps nothing.
  const keys = new Map<string, SourceKey>()
  return {
    baseUrl: withoutTrailingSlashes(options.baseUrl ?? env.IMAGEBOSS_BASE_URL ?? DEFAULT_BASE_URL),
    secrets: secretsOf(options, env, defaultSource),
    unknownSources: options.unknownSources,
    keyOf(source) {
      let key = keys.get(source)
      if (key === undefined) {
        const entry = Object.hasOwn(sources, source) ? sources[source] : undefined
        const isDefault = source === defaultSource
        const variable = isDefault ? 'IMAGEBOSS_SECRET' : secretVariable(source)
        const secret = (isDefault ? options.secret : undefined) ?? entry?.secret ?? env[variable]
        key = {
          known: isDefault || entry !== undefined || Boolean(env[variable]),
          // Signing off: no source's URL is expected to carry a token.
          signed: signing && entry?.signed !== false,
          sign: secret ? createPathSigner(secret) : undefined
        }
        if (key.sign) keys.set(source, key)
      }
      return key
    }
  }
}

/**
 * Every URL on the configured base URL in `text`: a problem for one whose token does not
 * verify (`invalid-token`) or that lacks one for a signed source (`unsigned-url`). URLs in
 * `samples` (code samples, comments) are left alone. Returns the problems and how many URLs
 * were checked.
 */
export function verifyUrls(
  text: string,
  keys: VerifyKeys,
  decodeEntities: boolean,
  samples: ReadonlyArray<{ start: number; end: number }>
): { problems: Problem[]; urls: number } {
  const problems: Problem[] = []
  let urls = 0
  const prefix = keys.baseUrl + '/'
  const inSample = createRangeTest(samples)
  const checked = new Map<string, Omit<Problem, 'start' | 'end'> | null | false>()
  // The next URL is looked for after this one ends: glued URLs (`https://…/x.jpghttps://…`) are
  // one URL, read once (looking again from each prefix within it was quadratic).
  for (let at = text.indexOf(prefix), end = 0; at !== -1; at = text.indexOf(prefix, end)) {
    URL_END_SEARCH_RE.lastIndex = at + prefix.length
    end = URL_END_SEARCH_RE.exec(text)?.index ?? text.length
    if (inSample(at)) continue
    const raw = text.slice(at, end)
    let url = raw
    if (decodeEntities && raw.includes('&')) {
      // `&quot;` ends a URL in an attribute that holds markup (`srcdoc`): cut it where the decoded text ends it.
      url = decodeText(raw)
      const cut = url.search(URL_END_RE)
      if (cut !== -1) url = url.slice(0, cut)
    }
    let result = checked.get(url)
    if (result === undefined && keys.made?.(url)) result = null
    if (result === undefined) {
      const checkedUrl = checkUrl(url, keys)
      result = checkedUrl === undefined ? false : checkedUrl
      checked.set(url, result)
    }
    if (result === false) continue
    urls++
    if (result) problems.push({ ...result, start: at, end })
  }
  return { problems, urls }
}

function decodeText(text: string): string {
  if (!text.includes('&')) return text
  return text.replace(ENTITY_RE, (whole, decimal?: string, hex?: string, name?: string) => {
    if (name !== undefined) return NAMED[name] ?? whole
    const code = decimal !== undefined ? Number(decimal) : Number.parseInt(hex ?? '', 16)
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole
  })
}

/** `null` when the URL verifies, `undefined` when it is no image URL, else the problem. */
function checkUrl(url: string, keys: VerifyKeys): Omit<Problem, 'start' | 'end'> | null | undefined {
  const hash = url.indexOf('#', keys.baseUrl.length)
  const rest = url.slice(keys.baseUrl.length, hash === -1 ? undefined : hash)
  const question = rest.indexOf('?')
  const signedPath = question === -1 ? rest : rest.slice(0, question)
  // `/source/operation…/file`: a source, and a `/` after the one that ends it (searched, not
  // split: a hostile URL of a million segments would make a million strings).
  const afterSource = signedPath.indexOf('/', 1)
  const source = signedPath.slice(1, afterSource === -1 ? undefined : afterSource)
  const afterOperation = afterSource === -1 ? -1 : signedPath.indexOf('/', afterSource + 1)
  // `https://img.imageboss.me/` or `/source` alone is a link, not an image URL.
  if (!source || afterOperation === -1) return undefined
  const token = question === -1 ? null : new URLSearchParams(rest.slice(question + 1)).get('bossToken')
  const key = keys.keyOf(source)
  if (token === null) {
    if (!key.known || !key.signed) return null
    return {
      ruleId: 'unsigned-url',
      reason: `Unexpected unsigned URL of source \`${source}\`, which demands signed URLs; expected a \`bossToken\``,
      reference: url
    }
  }
  if (key.sign !== undefined && tokenMatches(key.sign, signedPath, token)) return null
  const why =
    key.sign === undefined
      ? `no secret is configured for source \`${source}\``
      : `it does not verify with the secret of source \`${source}\` (tampered, made with an old secret, or for another source)`
  return { ruleId: 'invalid-token', reason: `Unexpected \`bossToken\`: ${why}`, reference: url }
}

/** Constant-time comparison of a token with the one the secret gives. */
export function tokenMatches(sign: PathSigner, signedPath: string, token: string): boolean {
  const expected = Buffer.from(sign(signedPath), 'utf8')
  const given = Buffer.from(HEX_TOKEN_RE.test(token) ? token : '', 'utf8')
  // Equal lengths for `timingSafeEqual`: a malformed token is compared against itself and fails.
  if (given.length !== expected.length) return !timingSafeEqual(expected, expected)
  return timingSafeEqual(expected, given)
}
