// Docusaurus 3 with imageboss-build: MDX, the site's scripts and CSS, and the built site checked.
// IMAGEBOSS_SOURCE and IMAGEBOSS_SECRET come from the environment.
export default {
  title: 'imageboss-build with Docusaurus',
  url: 'https://example.com',
  baseUrl: '/',
  onBrokenLinks: 'throw',
  presets: [
    [
      'classic',
      {
        docs: { routeBasePath: 'docs' },
        blog: { showReadingTime: false, onUntruncatedBlogPosts: 'ignore' },
        theme: { customCss: './src/css/custom.css' }
      }
    ]
  ],
  plugins: ['imageboss-build/docusaurus']
}
