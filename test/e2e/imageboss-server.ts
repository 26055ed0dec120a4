// A stand-in for ImageBoss, for browser tests: it parses the URL grammar, checks `bossToken`
// with the tests' HMAC (test/helpers/expected.ts, no code from src/), and answers with a real
// image of the size asked for.
// Test code only: written from /work/shared/docs/imageboss-url-api.md, not from the package.
import { timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import sharp from 'sharp'
import { hmac } from '../helpers/expected.js'

/** A source the server knows: signed with `secret`, or open when `secret` is `undefined`. */
export interface ServerSource {
  secret?: string
}

/** One request, as the server saw and answered it. */
export interface LoggedRequest {
  /** The path exactly as received, still percent-encoded. */
  path: string
  status: number
  /** Why a request failed, or `undefined` when it was served. */
  reason?: string
  source?: string
  operation?: string
  options?: Record<string, string>
  /** Output size, `dpr` applied, of a served image. */
  width?: number
  height?: number
  contentType?: string
  accept: string
}

export interface ImageBossServer {
  /** `http://127.0.0.1:PORT`, to use as `baseUrl`. */
  baseUrl: string
  /** Every request so far, oldest first. */
  log: LoggedRequest[]
  close(): Promise<void>
}

/** The size of an original image: what `cdn` serves and what `width`/`height` keep the ratio of. */
export const ORIGINAL = { width: 1600, height: 1000 }

const OPERATIONS = new Set(['cover', 'width', 'height', 'cdn'])
const OPTIONS_RE = /^[A-Za-z-]+:[^,]*(?:,[A-Za-z-]+:[^,]*)*$/
const TOKEN_RE = /^[0-9a-f]{64}$/
const FORMATS: Record<string, 'jpeg' | 'png' | 'webp' | 'avif'> = { jpg: 'jpeg', jpeg: 'jpeg', png: 'png', webp: 'webp', avif: 'avif' }

/** Fast encodings: these images are made per request, at sizes up to a few thousand pixels. */
const ENCODING = { jpeg: { quality: 70 }, png: { compressionLevel: 2, effort: 1 }, webp: { quality: 70, effort: 0 }, avif: { quality: 50, effort: 0 } }

class Refusal extends Error {
  constructor(
    readonly status: number,
    reason: string
  ) {
    super(reason)
  }
}

function positive(text: string, what: string): number {
  if (!/^[1-9]\d{0,3}$/.test(text)) throw new Refusal(400, `bad ${what} \`${text}\``)
  return Number(text)
}

interface Parsed {
  source: string
  operation: string
  options: Record<string, string>
  width: number
  height: number
}

/** `/{source}/{operation}[:{mode}]/{size}/{options}/{path}` → what to serve (before `dpr`). */
function parse(rawPath: string): Parsed {
  const segments = rawPath.split('/').slice(1)
  const source = segments.shift() ?? ''
  const operation = (segments.shift() ?? '').split(':')[0] ?? ''
  if (!OPERATIONS.has(operation)) throw new Refusal(404, `unknown operation \`${operation}\``)
  let { width, height } = ORIGINAL
  if (operation !== 'cdn') {
    const size = segments.shift() ?? ''
    if (operation === 'cover') {
      const [w = '', h = '', ...rest] = size.split('x')
      if (rest.length > 0) throw new Refusal(400, `bad size \`${size}\``)
      width = positive(w, 'width')
      height = positive(h, 'height')
    } else if (operation === 'width') {
      width = positive(size, 'width')
      height = Math.round((width * ORIGINAL.height) / ORIGINAL.width)
    } else {
      height = positive(size, 'height')
      width = Math.round((height * ORIGINAL.width) / ORIGINAL.height)
    }
  }
  const options: Record<string, string> = {}
  // An options segment is `key:value` pairs joined by commas, and an image path follows it.
  if (segments.length > 1 && OPTIONS_RE.test(segments[0] ?? '')) {
    for (const pair of (segments.shift() ?? '').split(',')) {
      const colon = pair.indexOf(':')
      options[pair.slice(0, colon)] = pair.slice(colon + 1)
    }
  }
  if (segments.length === 0 || segments.some((s) => s === '')) throw new Refusal(404, 'no image path')
  return { source, operation, options, width, height }
}

/** A picture that shows its size: a colour from its path, a frame, and `W×H` written large. */
function picture(path: string, width: number, height: number): Buffer {
  const hue = Number.parseInt(hmac('hue', path).slice(0, 4), 16) % 360
  const font = Math.max(10, Math.round(Math.min(width / 6, height / 2.5)))
  const stroke = Math.max(2, Math.round(Math.min(width, height) / 40))
  const name = path.split('/').pop() ?? ''
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
    <stop offset="0" stop-color="hsl(${hue},70%,62%)"/><stop offset="1" stop-color="hsl(${(hue + 60) % 360},70%,38%)"/>
  </linearGradient></defs>
  <rect width="100%" height="100%" fill="url(#g)"/>
  <rect x="${stroke / 2}" y="${stroke / 2}" width="${width - stroke}" height="${height - stroke}" fill="none" stroke="white" stroke-width="${stroke}"/>
  <text x="50%" y="50%" font-family="sans-serif" font-weight="bold" font-size="${font}" fill="white" text-anchor="middle" dominant-baseline="middle">${width}×${height}</text>
  <text x="50%" y="${height - stroke * 2}" font-family="sans-serif" font-size="${Math.round(font / 3)}" fill="white" text-anchor="middle">${decodeURIComponent(name).replace(/[<&>]/g, '')}</text>
</svg>`
  return Buffer.from(svg)
}

/**
 * Start the server on 127.0.0.1 (a free port). `sources` maps each source name to its secret;
 * a request for any other source is a 404.
 */
export async function startImageBossServer(sources: Record<string, ServerSource>): Promise<ImageBossServer> {
  const log: LoggedRequest[] = []
  const cache = new Map<string, Promise<Buffer>>()

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const raw = request.url ?? '/'
    const query = raw.indexOf('?')
    // Exactly as received: the token signs the encoded path, so nothing is decoded or normalised.
    const path = query === -1 ? raw : raw.slice(0, query)
    const accept = request.headers.accept ?? ''
    const entry: LoggedRequest = { path, status: 0, accept }
    log.push(entry)
    try {
      if (request.method !== 'GET' && request.method !== 'HEAD') throw new Refusal(405, `method ${request.method}`)
      const parsed = parse(path)
      Object.assign(entry, { source: parsed.source, operation: parsed.operation, options: parsed.options })
      const source = sources[parsed.source]
      if (!source) throw new Refusal(404, `unknown source \`${parsed.source}\``)
      if (source.secret !== undefined) {
        const given = new URLSearchParams(query === -1 ? '' : raw.slice(query + 1)).get('bossToken')
        if (given === null) throw new Refusal(403, 'missing bossToken')
        const expected = hmac(source.secret, path)
        if (!TOKEN_RE.test(given) || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) throw new Refusal(403, 'wrong bossToken')
      }
      const dpr = parsed.options.dpr === undefined ? 1 : Number(parsed.options.dpr)
      if (!(dpr > 0 && dpr <= 5)) throw new Refusal(400, `bad dpr \`${parsed.options.dpr}\``)
      const width = Math.round(parsed.width * dpr)
      const height = Math.round(parsed.height * dpr)
      const requested = parsed.options.format ?? 'jpeg'
      const format = requested === 'auto' ? (accept.includes('image/webp') ? 'webp' : 'jpeg') : FORMATS[requested]
      if (!format) throw new Refusal(400, `bad format \`${requested}\``)

      const key = `${path} ${format}`
      let bytes = cache.get(key)
      if (!bytes) {
        bytes = sharp(picture(path, width, height))
          .resize(width, height, { fit: 'fill' })
          .toFormat(format, ENCODING[format])
          .toBuffer()
        cache.set(key, bytes)
      }
      const body = await bytes
      Object.assign(entry, { status: 200, width, height, contentType: `image/${format}` })
      response.writeHead(200, {
        'content-type': `image/${format}`,
        'content-length': body.length,
        'cache-control': 'public, max-age=31536000',
        ...(parsed.options.format === 'auto' ? { vary: 'Accept' } : {})
      })
      response.end(request.method === 'HEAD' ? undefined : body)
    } catch (error) {
      const status = error instanceof Refusal ? error.status : 500
      entry.status = status
      entry.reason = error instanceof Error ? error.message : String(error)
      response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' })
      response.end(entry.reason + '\n')
    }
  }

  const server: Server = createServer((request, response) => void handle(request, response))
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    log,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      })
  }
}
