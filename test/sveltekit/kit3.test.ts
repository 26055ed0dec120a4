// examples/sveltekit on SvelteKit 3 (test/sveltekit-current/kit3), which takes its options in
// `sveltekit()` rather than `svelte.config.js`, and warns `transform_index_html_unsupported` for
// any plugin with a `transformIndexHtml` hook.
import { KIT_3 } from './run.js'
import { siteTests, STATIC_ENV_RESOLVER } from './site-tests.js'

const config = (plugins: string) =>
  [
    "import adapter from '@sveltejs/adapter-static'",
    "import { sveltekit } from '@sveltejs/kit/vite'",
    "import imageboss from 'imageboss-build/vite'",
    '',
    `export default { plugins: ${plugins} }`,
    ''
  ].join('\n')

/**
 * SvelteKit 3 gives `$env/dynamic/private` only the variables `src/env.js` declares, as
 * docs/sveltekit.md says; `static: true` inlines one into the server build.
 */
const envFile = (secret: string) =>
  [
    "import { defineEnvVars } from '@sveltejs/kit/env'",
    '',
    `export const variables = defineEnvVars({ IMAGEBOSS_SOURCE: {}, IMAGEBOSS_SECRET: ${secret} })`,
    ''
  ].join('\n')

const files = (plugins: string) => ({ 'svelte.config.js': null, 'vite.config.js': config(plugins), 'src/env.js': envFile('{}') })

siteTests(
  KIT_3,
  3,
  {
    'sveltekit({ adapter: adapter() }), imageboss()': files('[sveltekit({ adapter: adapter() }), imageboss()]'),
    'imageboss(), sveltekit({ adapter: adapter() })': files('[imageboss(), sveltekit({ adapter: adapter() })]')
  },
  { staticSecret: { 'src/env.js': envFile('{ static: true }'), 'src/lib/server/imageboss.js': STATIC_ENV_RESOLVER }, undeclared: { 'src/env.js': null } }
)
