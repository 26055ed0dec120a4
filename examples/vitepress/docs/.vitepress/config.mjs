import imageboss from 'imageboss-build/vite'

const images = imageboss()

export default {
  title: 'imageboss-build and VitePress',
  head: [['meta', { property: 'og:image', content: 'imageboss:/vitepress/og.jpg?w=1200&h=630' }]],
  markdown: { config: (md) => { md.use(images.markdownIt) } },
  vite: { plugins: [images] }
}
