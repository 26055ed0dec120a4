// examples/sveltekit as it is (SvelteKit 2, adapter-static, `svelte.config.js`), built and
// served on Node 22 by test/sveltekit-current, with imageboss() listed after and before SvelteKit.
import { KIT_2 } from './run.js'
import { siteTests, STATIC_ENV_RESOLVER } from './site-tests.js'

const config = (plugins: string) =>
  `import { sveltekit } from '@sveltejs/kit/vite'\nimport imageboss from 'imageboss-build/vite'\n\nexport default { plugins: ${plugins} }\n`

// The example's `load` reads the secret from `$env/dynamic/private`; `$env/static/private`
// inlines it into the server build.
siteTests(
  KIT_2,
  2,
  {
    'sveltekit(), imageboss()': {},
    'imageboss(), sveltekit()': { 'vite.config.js': config('[imageboss(), sveltekit()]') }
  },
  { staticSecret: { 'src/lib/server/imageboss.js': STATIC_ENV_RESOLVER } }
)
