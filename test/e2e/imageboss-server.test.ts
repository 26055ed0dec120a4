// The test ImageBoss server on its own (no browser): grammar, tokens, sizes, formats.
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hmac } from '../helpers/expected.js'
import { startImageBossServer, type ImageBossServer } from './imageboss-server.js'

// The signing vector every implementation starts from (docs/imageboss-url-api.md): Go, Ruby and Node agree.
const VECTOR = { secret: 'mysecret', path: '/mysecureimages/width/500/01.jpg', token: '721fb4de4d58e0570789e12dc4319a2f5c63ffdff18a3c2dec6d90163a694c2c' }

describe('the test ImageBoss server', () => {
  let server: ImageBossServer
  beforeAll(async () => {
    server = await startImageBossServer({ mysecureimages: { secret: VECTOR.secret }, open: {} })
  })
  afterAll(() => server.close())

  const get = (path: string, accept = 'image/avif,image/webp,*/*') => fetch(server.baseUrl + path, { headers: { accept } })
  const size = async (response: Response) => {
    if (response.status !== 200) throw new Error(`${response.status} ${response.url}: ${await response.text()}`)
    const meta = await sharp(Buffer.from(await response.arrayBuffer())).metadata()
    return [meta.width, meta.height, meta.format]
  }

  it('serves a signed path with the right token: a real image of the asked width', async () => {
    const response = await get(`${VECTOR.path}?bossToken=${VECTOR.token}`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('image/jpeg')
    expect(response.headers.get('vary')).toBeNull()
    expect(await size(response)).toEqual([500, 313, 'jpeg'])
    expect(server.log.at(-1)).toMatchObject({ path: VECTOR.path, status: 200, width: 500, height: 313 })
  })

  it('answers 403 to a missing, wrong or malformed token, and to a token of another path', async () => {
    const other = '/mysecureimages/width/501/01.jpg'
    for (const query of ['', '?bossToken=' + '0'.repeat(64), '?bossToken=xyz', '?bossToken=' + VECTOR.token.toUpperCase()]) {
      expect((await get(VECTOR.path + query)).status, query).toBe(403)
    }
    expect((await get(`${other}?bossToken=${VECTOR.token}`)).status).toBe(403)
    expect(server.log.at(-1)).toMatchObject({ path: other, status: 403, reason: 'wrong bossToken' })
  })

  it('checks the path exactly as received, still percent-encoded', async () => {
    const encoded = '/mysecureimages/width/300/my%20dog.jpg'
    const token = hmac(VECTOR.secret, encoded)
    expect((await get(`${encoded}?bossToken=${token}`)).status).toBe(200)
    // A token of the decoded path (`my dog.jpg`) does not open the encoded one.
    const decoded = hmac(VECTOR.secret, decodeURIComponent(encoded))
    expect((await get(`${encoded}?bossToken=${decoded}`)).status).toBe(403)
  })

  it('sizes cover, height, cdn and dpr; format:auto follows Accept with Vary: Accept', async () => {
    expect(await size(await get('/open/cover:center/320x200/format:png/a.jpg'))).toEqual([320, 200, 'png'])
    expect(await size(await get('/open/height/100/a.jpg'))).toEqual([160, 100, 'jpeg'])
    expect(await size(await get('/open/cdn/format:avif/a.jpg'))).toEqual([1600, 1000, 'heif'])
    expect(await size(await get('/open/width/160/dpr:2,format:webp/a.jpg'))).toEqual([320, 200, 'webp'])
    const webp = await get('/open/width/100/format:auto/a.jpg')
    expect([webp.headers.get('content-type'), webp.headers.get('vary')]).toEqual(['image/webp', 'Accept'])
    await webp.arrayBuffer()
    const jpeg = await get('/open/width/100/format:auto/a.jpg', 'image/png,*/*')
    expect([jpeg.headers.get('content-type'), jpeg.headers.get('vary')]).toEqual(['image/jpeg', 'Accept'])
    await jpeg.arrayBuffer()
  })

  it('answers 404 to an unknown source or operation, 400 to a bad size', async () => {
    expect((await get('/nowhere/width/100/a.jpg')).status).toBe(404)
    expect((await get('/open/crop/100/a.jpg')).status).toBe(404)
    expect((await get('/open/width/0/a.jpg')).status).toBe(400)
    expect((await get('/open/cover/100/a.jpg')).status).toBe(400)
  })
})
