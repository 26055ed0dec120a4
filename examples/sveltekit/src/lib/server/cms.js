// Stands in for a CMS: data the server reads when a page renders (here, when it is
// prerendered), which the build never sees, so its `imageboss:` references reach the page as
// they are unless a `load` signs them.
import { readFile } from 'node:fs/promises'

/** @returns {Promise<{ title: string, image: string }[]>} */
export async function getPhotos() {
  return JSON.parse(await readFile('content/photos.json', 'utf8'))
}
