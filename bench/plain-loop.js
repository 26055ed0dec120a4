// The floor of `imageboss rewrite` and `imageboss verify` in bench/cli.js: a plain Node loop
// over the same files that only reads each one (`read`), or reads it and writes it back
// through a temporary file and a rename (`rewrite`), as the CLI writes.
//
//   node bench/plain-loop.js read|rewrite <dir>
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'

const [mode, dir] = process.argv.slice(2)
const EXTENSIONS = /\.(?:html?|css|[cm]?js|json|webmanifest|xml|rss|atom|svg|txt)$/
for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !EXTENSIONS.test(entry.name)) continue
  const file = path.join(entry.parentPath, entry.name)
  const text = readFileSync(file, 'utf8')
  if (mode !== 'rewrite') continue
  const temp = path.join(entry.parentPath, `.${entry.name}.tmp`)
  writeFileSync(temp, text)
  renameSync(temp, file)
}
