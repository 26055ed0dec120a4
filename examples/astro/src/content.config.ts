import { defineCollection } from 'astro:content'
import { file, glob } from 'astro/loaders'
import { z } from 'astro/zod'
import { imagebossImage } from 'imageboss-build/astro/content'

// `cover: imageboss:/…` in a post's front matter comes out as a signed URL.
const posts = defineCollection({
  loader: glob({ pattern: '**/*.{md,mdx}', base: './src/content/posts' }),
  schema: z.object({ title: z.string(), date: z.coerce.date(), cover: imagebossImage().optional() })
})

// A data file: each `photo` comes out as the attributes of its `<img>` (`src`, `srcset`, `sizes`…).
const places = defineCollection({
  loader: file('src/data/places.json'),
  schema: z.object({ name: z.string(), photo: imagebossImage({ attributes: true }) })
})

export const collections = { posts, places }
