import { getPhotos } from '../../lib/server/cms.js'
import { imageboss } from '../../lib/server/imageboss.js'

export async function load() {
  const photos = await getPhotos()
  // Each reference signed here, on the server: the page gets the signed URL.
  return { photos: photos.map((photo) => ({ title: photo.title, src: imageboss.url(photo.image) })) }
}
