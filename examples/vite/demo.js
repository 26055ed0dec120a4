// Build examples/vite with the real Vite API and show what each reference became.
// Run from the repository root: `npm run demo` (builds the package first).
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import { createImageBoss } from 'imageboss-build'
import imageboss from 'imageboss-build/vite'

const root = path.dirname(fileURLToPath(import.meta.url))
const outDir = path.join(root, 'dist')

// Demo values, used only for what the environment does not set.
const DEMO_SOURCE = 'demo-images'
const DEMO_SECRET = 'demo-secret'
const options = {}
const demo = []
if (!process.env.IMAGEBOSS_SOURCE) {
  options.source = DEMO_SOURCE
  demo.push(`source \`${DEMO_SOURCE}\``)
}
if (!process.env.IMAGEBOSS_SECRET) {
  options.secret = DEMO_SECRET
  demo.push('a demo secret')
}
if (demo.length > 0) {
  console.log(`Note: IMAGEBOSS_SOURCE / IMAGEBOSS_SECRET not set, so this demo uses ${demo.join(' and ')}.`)
  console.log('      The URLs below are signed with it and will not load from a real ImageBoss account.\n')
}

// The same build as `vite build` with vite.config.ts (`plugins: [imageboss()]`), with the
// demo options passed to the plugin instead of read from the environment.
await build({
  root,
  configFile: false,
  logLevel: 'warn',
  plugins: [imageboss(options)],
  build: {
    outDir,
    emptyOutDir: true,
    rollupOptions: { input: { main: path.join(root, 'index.html'), about: path.join(root, 'about.html') } }
  }
})

// Show each reference beside its URL: resolved by the core with the same options.
const resolver = createImageBoss({ ...options, production: true })
const REFERENCE_RE = /imageboss:[^"'\s)`<>]+/g
for (const file of ['index.html', 'about.html', 'src/style.css', 'src/main.ts']) {
  let text = await readFile(path.join(root, file), 'utf8')
  // Code samples are left alone by the plugin, so they are not listed.
  if (file.endsWith('.html')) text = text.replace(/<pre>[\s\S]*?<\/pre>/g, '').replaceAll('&amp;', '&')
  const references = [...new Set(text.match(REFERENCE_RE) ?? [])]
  console.log(`${file}`)
  for (const reference of references) console.log(`  ${reference}\n    → ${resolver.url(reference)}`)
}

console.log(`\nBuilt site: ${path.relative(process.cwd(), outDir) || outDir}`)
