// (1) Core cost against the physical floor: one bare HMAC-SHA256 per URL.
import { createHmac } from 'node:crypto'
import { createImageBoss } from 'imageboss-build'
import { now, sideBySide, us } from './lib.js'

const SOURCE = 'bench-images'
const SECRET = 'bench-secret-not-a-real-one'
const OPTIONS = { source: SOURCE, secret: SECRET, env: {}, production: true }
const SECRET_BYTES = Buffer.from(SECRET, 'utf8')

/** Path parts of the two sets: plain ASCII, and Unicode with spaces and reserved characters. */
const SETS = {
  ascii: { dirs: ['photos', 'img', 'blog', 'assets', 'uploads', 'media'], names: ['cat', 'hero-banner', 'naive', 'neko', 'a_b', 'x.y'] },
  unicode: { dirs: ['photos', 'фото', '写真', 'café', 'Ünïcödé', 'img'], names: ['cat', 'hero banner', 'naïve', '猫', 'a+b', 'x%20y'] }
}
const EXTS = ['jpg', 'png', 'webp', 'avif']
const SIZES = [
  (i) => `w=${200 + (i % 1800)}`,
  (i) => `h=${100 + (i % 900)}`,
  (i) => `w=${300 + (i % 1200)}&h=${200 + (i % 700)}`,
  (i) => `w=${400 + (i % 1000)}&h=${300 + (i % 500)}&mode=${['entropy', 'attention', 'center', 'north'][i % 4]}`,
  () => 'op=cdn'
]
const EXTRA = ['', 'quality=75', 'format=webp&quality=60', 'blur=2&grayscale=true', 'dpr=2', 'sharpen=1&format=avif&progressive=true']

/** `count` distinct references of a set (`unicode` unless said): mixed operations, options and paths. */
export function references(count, offset = 0, set = 'unicode') {
  const { dirs, names } = SETS[set]
  const out = []
  for (let n = 0; n < count; n++) {
    const i = n + offset
    const path = `/${dirs[i % dirs.length]}/${Math.floor(i / 7)}/${names[i % names.length]}${set === 'ascii' ? '-' : ' '}${i}.${EXTS[i % EXTS.length]}`
    const extra = EXTRA[i % EXTRA.length]
    out.push(`imageboss:${path}?${SIZES[i % SIZES.length](i)}${extra ? '&' + extra : ''}`)
  }
  return out
}

/** Time `url()` over `refs` with a fresh instance (its memo empty, as at the start of a build). */
function timeUrls(refs) {
  const boss = createImageBoss(OPTIONS)
  const start = now()
  for (const ref of refs) boss.url(ref)
  return now() - start
}

/** The floor: a bare `node:crypto` HMAC-SHA256 (hex) of each signed path, nothing else. */
function timeFloor(paths) {
  const start = now()
  for (const path of paths) createHmac('sha256', SECRET_BYTES).update(path, 'utf8').digest('hex')
  return now() - start
}

/** Time `url()` over `refs` with one instance, warmed up on other references first: no memo hit, code already optimised. */
function timeWarm(boss, refs) {
  const start = now()
  for (const ref of refs) boss.url(ref)
  return now() - start
}

export async function benchCore({ quick }) {
  const big = quick ? 5_000 : 100_000
  const small = big / 10
  const runs = quick ? 1 : 5
  const probe = createImageBoss(OPTIONS)
  const rows = []
  let refs
  let paths
  for (const set of ['ascii', 'unicode']) {
    refs = references(big, 0, set)
    paths = refs.map((ref) => probe.resolve(ref).signedPath)
    if (new Set(paths).size !== refs.length) throw new Error('Expected distinct signed paths')
    // Warm: an instance per round, warmed on references of its own (distinct from the timed ones).
    const warmed = []
    const distinct = await sideBySide(
      {
        url: () => timeUrls(refs),
        warm: () => {
          const boss = createImageBoss(OPTIONS)
          timeWarm(boss, references(small, big, set))
          warmed.push(boss)
          return timeWarm(boss, refs)
        },
        floor: () => timeFloor(paths)
      },
      { runs }
    )
    const name = set === 'ascii' ? 'ASCII paths' : 'Unicode paths (Cyrillic, CJK, accents, spaces, `+`, `%20`)'
    rows.push({
      id: `core-${set}`,
      what: `core \`url()\`, ${big.toLocaleString('en')} distinct references, ${name}, a fresh instance (as a build starts) vs bare HMAC-SHA256 of the same signed paths`,
      ratio: distinct.ratio('url', 'floor'),
      target: set === 'ascii' ? 2.0 : 2.8,
      detail: `${us(distinct.median.url, big)} vs ${us(distinct.median.floor, big)} per URL`
    })
    rows.push({
      id: `core-${set}-warm`,
      what: `the same, an instance warmed up on ${small.toLocaleString('en')} other references (steady state, no memo hit) vs the floor`,
      ratio: distinct.ratio('warm', 'floor'),
      target: set === 'ascii' ? 2.0 : 2.8,
      detail: `${us(distinct.median.warm, big)} vs ${us(distinct.median.floor, big)} per URL`
    })
  }

  // Memo: an instance that has seen the references already (the rest of a build).
  const warm = createImageBoss(OPTIONS)
  const cycle = refs.slice(0, 1000)
  for (const ref of cycle) warm.url(ref)
  const repeated = await sideBySide(
    {
      memo: () => {
        const start = now()
        for (let n = 0; n < big; n++) warm.url(cycle[n % cycle.length])
        return now() - start
      },
      floor: () => timeFloor(paths)
    },
    { runs }
  )
  rows.push({
    id: 'core-memo',
    what: `core \`url()\`, ${big.toLocaleString('en')} repeated references (memo hits) vs the same floor`,
    ratio: repeated.ratio('memo', 'floor'),
    target: 0.1,
    detail: `${us(repeated.median.memo, big)} vs ${us(repeated.median.floor, big)} per URL`
  })

  // Growth: per-URL cost at 10× the references, against per-URL cost at the smaller size.
  const smallRefs = refs.slice(0, small)
  const smallPaths = paths.slice(0, small)
  const growth = await sideBySide(
    {
      small: () => timeUrls(smallRefs) * 10,
      big: () => timeUrls(refs),
      smallFloor: () => timeFloor(smallPaths) * 10
    },
    { runs }
  )
  rows.push({
    id: 'core-small',
    what: `core \`url()\`, ${small.toLocaleString('en')} distinct references vs the floor`,
    ratio: growth.ratio('small', 'smallFloor'),
    target: 1.5,
    detail: `${us(growth.median.small, big)} vs ${us(growth.median.smallFloor, big)} per URL`
  })
  rows.push({
    id: 'core-linear',
    what: `per-URL cost at ${big.toLocaleString('en')} / at ${small.toLocaleString('en')} references (1.00× = linear)`,
    ratio: growth.ratio('big', 'small'),
    target: undefined,
    detail: `${us(growth.median.big, big)} vs ${us(growth.median.small, big)} per URL`
  })
  return rows
}
