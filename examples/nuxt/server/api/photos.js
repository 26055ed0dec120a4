// Images from data, signed on the server when it runs (or prerenders): the secret comes from
// `NUXT_IMAGEBOSS_SECRET` through `runtimeConfig`, the source from `IMAGEBOSS_SOURCE`.
import { createImageBoss } from 'imageboss-build'
import { defineEventHandler, useRuntimeConfig } from '#imports'

const photos = [{ title: 'Harbour', reference: 'imageboss:/photos/harbour.jpg?w=600&h=400' }]

export default defineEventHandler(() => {
  const imageboss = createImageBoss({ secret: useRuntimeConfig().imageboss.secret })
  return photos.map((photo) => ({ title: photo.title, src: imageboss.url(photo.reference) }))
})
