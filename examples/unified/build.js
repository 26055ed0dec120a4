// Build Markdown pages into HTML with imageboss-build's rehype plugin.
//
//   npm run build            (the package resolves to dist/)
//   node examples/unified/build.js
//
// Settings come from IMAGEBOSS_SOURCE / IMAGEBOSS_SECRET; without them the demo source
// `demo-images` and secret `demo-secret` are used.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import rehypeImageBoss from 'imageboss-build/rehype'
import rehypeRaw from 'rehype-raw'
import rehypeStringify from 'rehype-stringify'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import { unified } from 'unified'
import { VFile } from 'vfile'

const here = fileURLToPath(new URL('.', import.meta.url))
const contentDir = join(here, 'content')
const outDir = process.env.EXAMPLE_OUT_DIR ?? join(here, 'dist')

const options = {}
if (!process.env.IMAGEBOSS_SOURCE && !process.env.IMAGEBOSS_SECRET) {
  options.source = 'demo-images'
  options.secret = 'demo-secret'
  console.log('note: no IMAGEBOSS_* variables set, using the demo source `demo-images` with secret `demo-secret`')
}

// The Astro order: the plugin sees raw HTML as `raw` nodes, rehype-raw parses it afterwards.
const processor = unified()
  .use(remarkParse)
  .use(remarkRehype, { allowDangerousHtml: true })
  .use(rehypeImageBoss, options)
  .use(rehypeRaw)
  .use(rehypeStringify)

await mkdir(outDir, { recursive: true })
let failed = false
for (const name of (await readdir(contentDir)).filter((n) => n.endsWith('.md')).sort()) {
  const path = join(contentDir, name)
  const file = new VFile({ path, value: await readFile(path, 'utf8') })
  try {
    await processor.process(file)
    const html = `<!doctype html>\n<meta charset="utf-8">\n<title>${basename(name, '.md')}</title>\n${String(file)}\n`
    await writeFile(join(outDir, basename(name, '.md') + '.html'), html)
  } catch (error) {
    failed = true
    // A problem in the content is on the file; anything else (such as a mistake in the
    // options, which the plugin reports when the pipeline starts) stops the build here.
    if (!file.messages.includes(error)) {
      console.error(`error: ${error instanceof Error ? error.message : String(error)}`)
      break
    }
  }
  report(file)
}
if (failed) process.exitCode = 1

/** Print messages as `file:line:column rule-id reason` (vfile-reporter is not a dependency). */
function report(file) {
  for (const message of file.messages) {
    const place = message.place && 'start' in message.place ? message.place.start : message.place
    const where = place ? `${place.line}:${place.column}` : '1:1'
    const level = message.fatal ? 'error' : 'warning'
    console.log(`${file.path}:${where} ${level} ${message.ruleId ?? ''} ${message.reason}`)
  }
  if (file.messages.length === 0) console.log(`${file.path}: no issues`)
}
