// examples/sveltekit on SvelteKit 3 (test/sveltekit-current/kit3), which takes its options in
// `sveltekit()` rather than `svelte.config.js`, and warns `transform_index_html_unsupported` for
// any plugin with a `transformIndexHtml` hook.
import { KIT_3 } from './run.js'
import { siteTests } from './site-tests.js'

const config = (plugins: string) =>
  [
    "import adapter from '@sveltejs/adapter-static'",
    "import { sveltekit } from '@sveltejs/kit/vite'",
    "import imageboss from 'imageboss-build/vite'",
    '',
    `export default { plugins: ${plugins} }`,
    ''
  ].join('\n')

siteTests(KIT_3, 3, {
  'sveltekit({ adapter: adapter() }), imageboss()': { 'svelte.config.js': null, 'vite.config.js': config('[sveltekit({ adapter: adapter() }), imageboss()]') },
  'imageboss(), sveltekit({ adapter: adapter() })': { 'svelte.config.js': null, 'vite.config.js': config('[imageboss(), sveltekit({ adapter: adapter() })]') }
})
