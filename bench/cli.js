// Times `imageboss rewrite` and `imageboss verify` on a generated 5,000-file site, on one
// thread (`--threads 1`) and with the default (one worker per core above 200 files).
//
//   npm run build && node bench/cli.js [files=5000] [runs=3]
//
// Prints a Markdown table (median of the runs) for bench/RESULTS.md.
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, tmpdir } from 'node:os'
import { performance } from 'node:perf_hooks'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url))
const FILES = Number(process.argv[2] ?? 5000)
const RUNS = Number(process.argv[3] ?? 3)
const env = { ...process.env, IMAGEBOSS_SOURCE: 'bench', IMAGEBOSS_SECRET: 'bench-secret' }

/** A Hugo-like tree: 70% pages, 15% CSS, 8% JS, 5% JSON, 2% XML; a third of the pages without references. */
function generate(dir, count) {
  for (let i = 0; i < count; i++) {
    const kind = i % 100
    const section = path.join(dir, `section-${i % 50}`)
    mkdirSync(section, { recursive: true })
    if (kind < 70) {
      const plain = kind % 3 === 0
      const body = plain
        ? `<p>${'Lorem ipsum dolor sit amet. '.repeat(40)}</p>`
        : `<meta property="og:image" content="imageboss:/p/${i}/cover.jpg?w=1200&amp;h=630">
<img src="imageboss:/p/${i}/hero.jpg?w=960&amp;srcset=auto" alt="Hero">
<p>${'Lorem ipsum dolor sit amet. '.repeat(40)}</p>
<picture><source media="(min-width: 800px)" srcset="imageboss:/p/${i}/wide.jpg?w=1600 1x, imageboss:/p/${i}/wide.jpg?w=3200 2x"><img src="imageboss:/p/${i}/narrow.jpg?w=600" alt=""></picture>
<div style="background-image: url('imageboss:/p/${i}/bg.jpg?w=1920&amp;h=400&amp;mode=entropy')"></div>
<script type="application/ld+json">{"@type": "Article", "image": "imageboss:/p/${i}/cover.jpg?w=1200"}</script>`
      writeFileSync(path.join(section, `page-${i}.html`), `<!DOCTYPE html>\n<html><head><title>Page ${i}</title></head><body>\n${body}\n</body></html>\n`)
    } else if (kind < 85) {
      writeFileSync(path.join(section, `style-${i}.css`), `.a${i}{background:url(imageboss:/c/${i}.jpg?w=800)}\n.b${i}{color:red}\n`.repeat(3))
    } else if (kind < 93) {
      writeFileSync(path.join(section, `app-${i}.js`), `const images={a:"imageboss:/j/${i}.jpg?w=400",b:'imageboss:/j/${i}.jpg?w=800'};export default images;\n`)
    } else if (kind < 98) {
      writeFileSync(path.join(section, `data-${i}.json`), JSON.stringify({ title: `Item ${i}`, image: `imageboss:/d/${i}.jpg?w=640` }, null, 2))
    } else {
      writeFileSync(path.join(section, `feed-${i}.xml`), `<?xml version="1.0"?>\n<rss><channel><item><enclosure url="imageboss:/f/${i}.jpg?w=1200&amp;h=600" type="image/jpeg"/></item></channel></rss>\n`)
    }
  }
}

function time(args) {
  const started = performance.now()
  let code = 0
  try {
    execFileSync(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] })
  } catch (error) {
    code = error.status
  }
  return { seconds: (performance.now() - started) / 1000, code }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const work = mkdtempSync(path.join(tmpdir(), 'imageboss-bench-cli-'))
const source = path.join(work, 'source')
generate(source, FILES)
const results = { rewrite1: [], rewriteN: [], verify1: [], verifyN: [] }
const threads = availableParallelism()
for (let run = 0; run < RUNS; run++) {
  for (const [key, extra] of [['1', ['--threads', '1']], ['N', []]]) {
    const site = path.join(work, `site-${key}-${run}`)
    cpSync(source, site, { recursive: true })
    const rewrite = time(['rewrite', ...extra, site])
    const verify = time(['verify', ...extra, site])
    if (rewrite.code !== 0 || verify.code !== 0) throw new Error(`Unexpected exit codes ${rewrite.code} ${verify.code}`)
    results[`rewrite${key}`].push(rewrite.seconds)
    results[`verify${key}`].push(verify.seconds)
  }
}
// Both runs must write the same bytes.
const a = path.join(work, 'site-1-0')
const b = path.join(work, 'site-N-0')
for (const file of readdirSync(a, { recursive: true })) {
  const left = path.join(a, file)
  if (!file.includes('.')) continue
  if (readFileSync(left, 'utf8') !== readFileSync(path.join(b, file), 'utf8')) throw new Error(`Different output for ${file}`)
}
rmSync(work, { recursive: true, force: true })

const f = (values) => median(values).toFixed(2) + ' s'
console.log(`${FILES} files, ${cpus()[0]?.model ?? 'unknown CPU'}, ${threads} cores, Node ${process.version}, median of ${RUNS} (wall time of the whole process)\n`)
console.log('| command | `--threads 1` | default (' + threads + ' threads) | speed-up |')
console.log('|---|---|---|---|')
console.log(`| rewrite | ${f(results.rewrite1)} | ${f(results.rewriteN)} | ${(median(results.rewrite1) / median(results.rewriteN)).toFixed(2)}× |`)
console.log(`| verify | ${f(results.verify1)} | ${f(results.verifyN)} | ${(median(results.verify1) / median(results.verifyN)).toFixed(2)}× |`)
