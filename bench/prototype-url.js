// What is reachable for `url()` on the core bench's references, in one run, side by side with
// the floor (bench/core.js: a bare `createHmac` per signed path):
//
//   npx tsc -p tsconfig.build.json && node bench/prototype-url.js [ascii|unicode] [runs=7]
//
// - `url`: `url()` of a fresh instance (the core bench's figure);
// - `read`: the reference parser and the signer with no memo (`readUrl`);
// - `sign`: the signer alone over the signed paths;
// - `minimal` / `minimal-memo`: a parser that knows only the shapes of the bench (no
//   validation, no percent-decoding: not a candidate, a bound) and the same signer, without
//   and with a `Map` memo of the URLs, as `url()` keeps them.
import { createHmac } from 'node:crypto'
import { createImageBoss } from 'imageboss-build'
import { checkOptions } from '../dist/core/options.js'
import { createReader, readUrl } from '../dist/core/reader.js'
import { createPathSigner } from '../dist/core/sign.js'
import { references } from './core.js'
import { sideBySide } from './lib.js'

const set = process.argv[2] ?? 'ascii'
const runs = Number(process.argv[3] ?? 7)
const SOURCE = 'bench-images'
const SECRET = 'bench-secret-not-a-real-one'
const OPTIONS = { source: SOURCE, secret: SECRET, env: {}, production: true }
const refs = references(100_000, 0, set)
const probe = createImageBoss(OPTIONS)
const paths = refs.map((ref) => probe.resolve(ref).signedPath)
const secretBytes = Buffer.from(SECRET, 'utf8')
const BASE = 'https://img.imageboss.me'

/** The bound: the bench's shapes only (`w`, `h`, `mode`, a few options; plain or Unicode paths). */
function minimalUrl(sign, reference) {
  const query = reference.indexOf('?')
  let width
  let height
  let mode
  const options = []
  for (let start = query + 1; start <= reference.length;) {
    let next = reference.indexOf('&', start)
    if (next === -1) next = reference.length
    const eq = reference.indexOf('=', start)
    const value = reference.slice(eq + 1, next)
    switch (reference.slice(start, eq)) {
      case 'w':
        width = value
        break
      case 'h':
        height = value
        break
      case 'mode':
        mode = value
        break
      case 'op':
        break
      default:
        options.push(reference.slice(start, eq) + ':' + value)
    }
    start = next + 1
  }
  if (!options.some((option) => option.startsWith('format:'))) options.push('format:auto')
  options.sort()
  const raw = reference.slice('imageboss:'.length, query)
  const path = set === 'ascii' ? raw : encodeURI(decodeURIComponent(raw)).replace(/[!'()*,;?#]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
  const operation = width
    ? height
      ? mode
        ? `cover:${mode}/${width}x${height}`
        : `cover/${width}x${height}`
      : `width/${width}`
    : height
      ? `height/${height}`
      : 'cdn'
  const signedPath = `/${SOURCE}/${operation}/${options.join(',')}${path}`
  return [BASE, signedPath, '?bossToken=', sign(signedPath)].join('')
}

// The bound must give the bench's URLs, else it measures something else.
{
  const sign = createPathSigner(SECRET)
  for (let i = 0; i < 1000; i++) {
    if (minimalUrl(sign, refs[i]) !== probe.url(refs[i])) throw new Error(`The minimal parser differs on ${refs[i]}`)
  }
}

const timed = (run) => () => {
  const start = process.cpuUsage()
  run()
  const used = process.cpuUsage(start)
  return (used.user + used.system) / 1000
}

const result = await sideBySide(
  {
    floor: timed(() => {
      for (const path of paths) createHmac('sha256', secretBytes).update(path, 'utf8').digest('hex')
    }),
    url: timed(() => {
      const boss = createImageBoss(OPTIONS)
      for (const ref of refs) boss.url(ref)
    }),
    read: timed(() => {
      const reader = createReader(checkOptions(OPTIONS), new Map())
      for (const ref of refs) readUrl(reader, ref)
    }),
    sign: timed(() => {
      const sign = createPathSigner(SECRET)
      for (const path of paths) sign(path)
    }),
    minimal: timed(() => {
      const sign = createPathSigner(SECRET)
      for (const ref of refs) minimalUrl(sign, ref)
    }),
    'minimal-memo': timed(() => {
      const sign = createPathSigner(SECRET)
      const memo = new Map()
      for (const ref of refs) {
        let made = memo.get(ref)
        if (made === undefined) memo.set(ref, (made = minimalUrl(sign, ref)))
      }
    })
  },
  { runs }
)

console.log(`${set} paths, ${refs.length.toLocaleString('en')} distinct references, median of ${runs} alternated rounds (CPU time)`)
for (const name of Object.keys(result.median)) {
  console.log(
    `${name.padEnd(13)} ${((result.median[name] * 1000) / refs.length).toFixed(2).padStart(6)} µs  ${result.ratio(name, 'floor').toFixed(2)}× the floor`
  )
}
