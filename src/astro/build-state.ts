import { createHash, createHmac, randomUUID } from 'node:crypto'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * What the integration keeps between builds, and how Astro learns that its content store is
 * stale. Astro 5 to 7 keep rendered content-collection entries in a data store (`cacheDir`
 * for builds, `.astro` in dev) and clear it when their config changes: the digest is the
 * config written out (its `vite`, `integrations` and `adapter` keys aside), Markdown plugins'
 * options included. The integration's fingerprint in those options therefore decides when
 * Astro renders every entry again.
 *
 * A glob loader catches an entry whose Markdown fails and stores it without its body: an
 * unchanged second build would render nothing for it and pass. So a build that fails on
 * Markdown leaves a marker (a random nonce, nothing else) in its `cacheDir`, which the next
 * build puts into the fingerprint: the store is cleared, the entry rendered, and it fails
 * again, until a build passes and the marker goes.
 */
const MARKER_FILE = 'imageboss-build-failed'

/** What a secret becomes in the fingerprint: keyed, so a guess cannot be checked against it without the secret. */
const FINGERPRINT_LABEL = 'imageboss-build fingerprint'

function markerPath(cacheDir: URL | string): string {
  const dir = typeof cacheDir === 'string' ? cacheDir : fileURLToPath(cacheDir)
  return `${dir.replace(/[\\/]+$/, '')}/${MARKER_FILE}`
}

/** The nonce of the last failed build in `cacheDir`, if one failed since the last passing build. */
export function readFailureMarker(cacheDir: URL | string): string | undefined {
  try {
    return readFileSync(markerPath(cacheDir), 'utf8').trim() || undefined
  } catch {
    return undefined
  }
}

/** A failing build: a fresh nonce, so that every later build until one passes renders its entries again. */
export function writeFailureMarker(cacheDir: URL | string): void {
  const file = markerPath(cacheDir)
  try {
    mkdirSync(file.slice(0, file.lastIndexOf('/')), { recursive: true })
    writeFileSync(file, randomUUID() + '\n')
  } catch {
    // A cache that cannot be written: the build fails anyway; the next one may reuse the store.
  }
}

/** A passing build: nothing to render again. */
export function clearFailureMarker(cacheDir: URL | string): void {
  rmSync(markerPath(cacheDir), { force: true })
}

/** A secret as it enters the fingerprint: an HMAC of a fixed label, as revealing as any `bossToken`. */
function keyed(secret: string): string {
  return createHmac('sha256', secret).update(FINGERPRINT_LABEL, 'utf8').digest('hex')
}

/** `value` with every string under a `secret` key keyed (options: `secret`, `sources.*.secret`). */
function withKeyedSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withKeyedSecrets)
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) out[key] = key === 'secret' && typeof item === 'string' ? keyed(item) : withKeyedSecrets(item)
  return out
}

/**
 * A hash of what the rendered URLs depend on (options, `IMAGEBOSS_*` values, production or
 * not) and of the last failure's marker. Astro writes it into its data store, so it holds no
 * secret, nor an unkeyed hash of one: each secret enters as an HMAC.
 */
export function fingerprintOf(settings: unknown, env: Readonly<Record<string, string | undefined>>, production: boolean, failure: string | undefined): string {
  const variables = Object.entries(env)
    .filter(([name]) => name.startsWith('IMAGEBOSS_'))
    .map(([name, value]) => [name, name.includes('SECRET') && value !== undefined ? keyed(value) : value])
    .sort(([a], [b]) => ((a as string) < (b as string) ? -1 : 1))
  return createHash('sha256')
    .update(JSON.stringify({ settings: withKeyedSecrets(settings), variables, production, failure: failure ?? null }))
    .digest('hex')
    .slice(0, 16)
}
