// Build examples/vite with the real Vite API and show what each reference became.
// Run from the repository root: `npm run demo` (builds the package first).
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import { createImageBoss } from 'imageboss-build'

const root = path.dirname(fileURLToPath(import.meta.url))
const outDir = path.join(root, 'dist')

// Demo values, used only for what the environment does not set: the plugin in
// vite.config.ts (`plugins: [imageboss()]`) reads them from process.env like any variable.
const DEMO = { IMAGEBOSS_SOURCE: 'demo-images', IMAGEBOSS_SECRET: 'demo-secret' }
const demo = []
for (const [name, value] of Object.entries(DEMO)) {
  if (process.env[name]) continue
  process.env[name] = value
  demo.push(name === 'IMAGEBOSS_SECRET' ? 'the demo secret `demo-secret`' : `the demo source \`${value}\``)
}
if (demo.length > 0) {
  console.log(`Note: IMAGEBOSS_SOURCE / IMAGEBOSS_SECRET not set, so this demo uses ${demo.join(' and ')}.`)
  console.log('      The URLs below are signed with it and will not load from a real ImageBoss account.\n')
}

// `vite build` of the example, with its own vite.config.ts.
await build({ root, logLevel: 'warn', build: { outDir, emptyOutDir: true } })

// Show each reference beside its URL: resolved by the core with the same options.
const resolver = createImageBoss({ production: true })
const REFERENCE_RE = /imageboss:[^"'\s)`<>]+/g
for (const file of ['index.html', 'about.html', 'src/style.css', 'src/main.ts']) {
  let text = await readFile(path.join(root, file), 'utf8')
  // Code samples are left alone by the plugin, so they are not listed.
  if (file.endsWith('.html')) text = text.replace(/<pre>[\s\S]*?<\/pre>/g, '').replaceAll('&amp;', '&')
  const references = [...new Set(text.match(REFERENCE_RE) ?? [])]
  console.log(`${file}`)
  for (const reference of references) {
    // Responsive keys (`srcset`, `densities`) shape a whole `<img>`: show its `src` and `srcset`.
    if (/[?&](?:srcset|densities)=/.test(reference)) {
      const image = resolver.image(reference)
      console.log(`  ${reference}\n    → src    ${image.src}\n      srcset ${image.srcset}`)
    } else console.log(`  ${reference}\n    → ${resolver.url(reference)}`)
  }
}

console.log(`\nBuilt site: ${path.relative(process.cwd(), outDir) || outDir}`)
