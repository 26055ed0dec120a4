// @ts-check
import mdx from '@astrojs/mdx'
import { defineConfig } from 'astro/config'
import imageboss from 'imageboss-build/astro'
import { imagebossService } from 'imageboss-build/astro/service'

// The source and its secret come from IMAGEBOSS_SOURCE and IMAGEBOSS_SECRET
// (the environment or a `.env` file).
export default defineConfig({
  integrations: [mdx(), imageboss()],
  image: { service: imagebossService() },
  // The layout's stylesheet goes to its own file in `dist/_astro/`, not inline.
  build: { inlineStylesheets: 'never' }
})
