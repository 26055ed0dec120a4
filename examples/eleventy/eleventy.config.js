// A small Eleventy 3 site whose images are signed ImageBoss URLs.
//
//   npm run build                 (the package resolves itself by name to dist/)
//   cd examples/eleventy
//   IMAGEBOSS_SOURCE=my-source IMAGEBOSS_SECRET=… npx @11ty/eleventy
import imageboss from 'imageboss-build/eleventy'

export default function (eleventyConfig) {
  eleventyConfig.addPlugin(imageboss)
  eleventyConfig.addPassthroughCopy('src/css')
  eleventyConfig.addPassthroughCopy('src/img')
}

export const config = {
  dir: { input: 'src', output: '_site' }
}
