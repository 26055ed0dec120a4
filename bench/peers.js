// (2) Peers, per URL, with equivalent transforms: an 800×600 cover crop, quality 75, WebP.
import ImgixClient from '@imgix/js-core'
import { createImageBoss } from 'imageboss-build'
import { transformUrl } from 'unpic'
import { now, sideBySide, us } from './lib.js'

const SECRET = 'bench-secret-not-a-real-one'

/** Distinct image paths, so no side can answer from a cache. */
function paths(count) {
  return Array.from({ length: count }, (_, i) => `/photos/${i % 97}/image-${i}.jpg`)
}

export async function benchPeers({ quick }) {
  const count = quick ? 5_000 : 100_000
  const runs = quick ? 1 : 5
  const list = paths(count)
  const references = list.map((path) => `imageboss:${path}?w=800&h=600&quality=75&format=webp`)
  const imgixUrls = list.map((path) => `https://bench.imgix.net${path}`)
  const transforms = { w: 800, h: 600, fit: 'crop', q: 75, fm: 'webp' }

  // Each side makes its client in the timed part (a fresh memo for ours) and one URL per path.
  const result = await sideBySide(
    {
      imageboss: () => {
        const start = now()
        const boss = createImageBoss({ source: 'bench-images', secret: SECRET, env: {}, production: true })
        for (const reference of references) boss.url(reference)
        return now() - start
      },
      imgix: () => {
        const start = now()
        const client = new ImgixClient({ domain: 'bench.imgix.net', secureURLToken: SECRET, includeLibraryParam: false })
        for (const path of list) client.buildURL(path, transforms)
        return now() - start
      },
      unpic: () => {
        const start = now()
        for (const url of imgixUrls) {
          transformUrl({ url, width: 800, height: 600, quality: 75, format: 'webp', provider: 'imgix' }, { imgix: { fit: 'crop' } })
        }
        return now() - start
      }
    },
    { runs }
  )
  const per = (name) => us(result.median[name], count)
  return [
    {
      id: 'peer-imgix',
      what: `imageboss-build \`url()\` (parse, validate, sign HMAC-SHA256) vs imgix \`buildURL\` with \`secureURLToken\` (signs MD5), ${count.toLocaleString('en')} distinct URLs`,
      ratio: result.ratio('imageboss', 'imgix'),
      target: 0.6,
      detail: `${per('imageboss')} vs ${per('imgix')} per URL`
    },
    {
      id: 'peer-unpic',
      what: `imageboss-build \`url()\` (signed) vs unpic \`transformUrl\` (imgix provider, unsigned: parses and rewrites a URL), ${count.toLocaleString('en')} distinct URLs`,
      ratio: result.ratio('imageboss', 'unpic'),
      target: 1.0,
      detail: `${per('imageboss')} vs ${per('unpic')} per URL`
    }
  ]
}
