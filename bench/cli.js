// The CLI: `imageboss rewrite` and `imageboss verify` on a generated 5,000-file site, on one
// thread (`--threads 1`) against the default (one worker per core above 200 files); and peak
// memory: the peak RSS of one `imageboss rewrite` process on one large file of each kind,
// above that of a run on an empty site (Node itself), against the size of the file.
//
//   npm run build && node bench/cli.js [files=5000] [runs=3]    both, as Markdown tables
//   npm run build && node bench/cli.js memory [MiB=40]          memory only
//   npm run build && node bench/cli.js startup [rounds=21]      start-up only
//
// `npm run bench` runs the memory part (`benchCli`), the start-up part (`benchCliStartup`) and
// the site part (`benchCliSite`) with the other benchmarks.
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, tmpdir } from 'node:os'
import { performance } from 'node:perf_hooks'
import path from 'node:path'
import { median, sideBySide } from './lib.js'
import { fileURLToPath, pathToFileURL } from 'node:url'

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url))
const env = { ...process.env, IMAGEBOSS_SOURCE: 'bench', IMAGEBOSS_SECRET: 'bench-secret' }
const MiB = 1024 * 1024

/** A page's body: six references, a responsive `<img>`, a `<picture>`, a style attribute and JSON-LD. */
function pageBody(i) {
  return `<meta property="og:image" content="imageboss:/p/${i}/cover.jpg?w=1200&amp;h=630">
<img src="imageboss:/p/${i}/hero.jpg?w=960&amp;srcset=auto" alt="Hero">
<p>${'Lorem ipsum dolor sit amet. '.repeat(40)}</p>
<picture><source media="(min-width: 800px)" srcset="imageboss:/p/${i}/wide.jpg?w=1600 1x, imageboss:/p/${i}/wide.jpg?w=3200 2x"><img src="imageboss:/p/${i}/narrow.jpg?w=600" alt=""></picture>
<div style="background-image: url('imageboss:/p/${i}/bg.jpg?w=1920&amp;h=400&amp;mode=entropy')"></div>
<script type="application/ld+json">{"@type": "Article", "image": "imageboss:/p/${i}/cover.jpg?w=1200"}</script>`
}

/** A Hugo-like tree: 70% pages, 15% CSS, 8% JS, 5% JSON, 2% XML; a third of the pages without references. */
export function generate(dir, count) {
  for (let i = 0; i < count; i++) {
    const kind = i % 100
    const section = path.join(dir, `section-${i % 50}`)
    mkdirSync(section, { recursive: true })
    if (kind < 70) {
      const body = kind % 3 === 0 ? `<p>${'Lorem ipsum dolor sit amet. '.repeat(40)}</p>` : pageBody(i)
      writeFileSync(path.join(section, `page-${i}.html`), `<!DOCTYPE html>\n<html><head><title>Page ${i}</title></head><body>\n${body}\n</body></html>\n`)
    } else if (kind < 85) {
      writeFileSync(path.join(section, `style-${i}.css`), `.a${i}{background:url(imageboss:/c/${i}.jpg?w=800)}\n.b${i}{color:red}\n`.repeat(3))
    } else if (kind < 93) {
      writeFileSync(
        path.join(section, `app-${i}.js`),
        `const images={a:"imageboss:/j/${i}.jpg?w=400",b:'imageboss:/j/${i}.jpg?w=800'};export default images;\n`
      )
    } else if (kind < 98) {
      writeFileSync(path.join(section, `data-${i}.json`), JSON.stringify({ title: `Item ${i}`, image: `imageboss:/d/${i}.jpg?w=640` }, null, 2))
    } else {
      writeFileSync(
        path.join(section, `feed-${i}.xml`),
        `<?xml version="1.0"?>\n<rss><channel><item><enclosure url="imageboss:/f/${i}.jpg?w=1200&amp;h=600" type="image/jpeg"/></item></channel></rss>\n`
      )
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

/** Whole-process wall time of both commands, one thread against the default; checks both write the same bytes. */
function timeThreads(files, runs) {
  const work = mkdtempSync(path.join(tmpdir(), 'imageboss-bench-cli-'))
  const source = path.join(work, 'source')
  generate(source, files)
  const results = { rewrite1: [], rewriteN: [], verify1: [], verifyN: [] }
  const threads = availableParallelism()
  for (let run = 0; run < runs; run++) {
    for (const [key, extra] of [
      ['1', ['--threads', '1']],
      ['N', []]
    ]) {
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
  console.log(
    `${files} files, ${cpus()[0]?.model ?? 'unknown CPU'}, ${threads} cores, Node ${process.version}, median of ${runs} (wall time of the whole process)\n`
  )
  console.log('| command | `--threads 1` | default (' + threads + ' threads) | speed-up |')
  console.log('|---|---|---|---|')
  console.log(`| rewrite | ${f(results.rewrite1)} | ${f(results.rewriteN)} | ${(median(results.rewrite1) / median(results.rewriteN)).toFixed(2)}× |`)
  console.log(`| verify | ${f(results.verify1)} | ${f(results.verifyN)} | ${(median(results.verify1) / median(results.verifyN)).toFixed(2)}× |`)
}

/** One large file of each kind, as a site generator could write it: `[kind, extension, head, unit(i), tail]`. */
const LARGE_FILES = [
  [
    'HTML (an archive page)',
    'html',
    '<!DOCTYPE html>\n<html><head><title>Archive</title></head><body><main>\n',
    (i) => `<article><h2>Post ${i}</h2>\n${pageBody(i)}\n</article>\n`,
    '</main></body></html>\n'
  ],
  [
    'XML (an image sitemap)',
    'xml',
    '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">\n',
    (i) =>
      `<url><loc>https://example.com/posts/${i}/</loc><image:image><image:loc>imageboss:/p/${i}/cover.jpg?w=1200</image:loc><image:title>${'Title '.repeat(20)}</image:title></image:image></url>\n`,
    '</urlset>\n'
  ],
  [
    'JSON (a search index)',
    'json',
    '[\n',
    (i) => `${i === 0 ? '' : ','}{"title":"Post ${i}","image":"imageboss:/p/${i}/thumb.jpg?w=320","content":"${'Lorem ipsum dolor sit amet. '.repeat(20)}"}\n`,
    ']\n'
  ],
  [
    'CSS (a stylesheet)',
    'css',
    '',
    (i) =>
      `.post-${i} .hero{background:url(imageboss:/p/${i}/hero.jpg?w=1600&h=400)}\n.post-${i} p{margin:0 auto;padding:1rem 2rem;color:#333;font-size:1.1rem}\n`,
    ''
  ],
  [
    'JavaScript (a bundle; cut after top-level statements)',
    'js',
    '',
    (i) => `export const post${i}={image:"imageboss:/p/${i}/card.jpg?w=640",text:"${'Lorem ipsum dolor sit amet. '.repeat(10)}"};\n`,
    ''
  ]
]

/** Write `bytes` of `unit(0) unit(1) …` between `head` and `tail` to `file`. */
function writeLarge(file, bytes, head, unit, tail) {
  const parts = [head]
  let size = head.length + tail.length
  for (let i = 0; size < bytes; i++) {
    const part = unit(i)
    parts.push(part)
    size += part.length
  }
  parts.push(tail)
  writeFileSync(file, parts.join(''))
}

/** Peak RSS (bytes) of `imageboss <args>` in a child process: its peak (`VmHWM`), printed as it exits. */
function peakRss(args) {
  // The peak of this process's own memory: `VmHWM` (kB) where Linux gives it, which starts
  // afresh at `exec`; `maxRSS` carries over the peak of the forked parent (this benchmark,
  // large by then) into the child.
  const hook =
    "data:text/javascript,import{readFileSync,writeSync}from'node:fs';process.on('exit',()=>{let k;try{k=Number(/VmHWM:\\s*(\\d+)/.exec(readFileSync('/proc/self/status','utf8'))[1])}catch{k=process.resourceUsage().maxRSS}writeSync(2,'\\nimageboss-bench-maxrss='+k+'\\n')})"
  const result = spawnSync(process.execPath, ['--import', hook, CLI, ...args], { env, encoding: 'utf8', maxBuffer: 64 * MiB })
  const found = /imageboss-bench-maxrss=(\d+)/.exec(result.stderr)
  if (result.status !== 0 || !found)
    throw new Error(`Unexpected result of imageboss ${args.join(' ')}: ${result.status}\n${result.stdout}${result.stderr.slice(0, 2000)}`)
  return { bytes: Number(found[1]) * 1024, summary: result.stdout.trim().split('\n').at(-1) }
}

/** Wall-clock milliseconds of `node <args>` in a child process; throws on a non-zero exit. */
function timeNode(args, cwd = undefined) {
  const started = performance.now()
  execFileSync(process.execPath, args, { env, cwd, stdio: ['ignore', 'pipe', 'inherit'] })
  return performance.now() - started
}

/**
 * What starting the CLI costs: `imageboss verify` of a folder holding one small clean page, and
 * `imageboss --version`, against `node -e 0` (Node starting and exiting, nothing loaded),
 * alternated (sideBySide); the figure is the median of the per-round differences, in seconds.
 * `verify` and `rewrite` run once per deploy, often on a few pages: start-up is most of their
 * time there. Each process runs in a folder of its own (no config file above it). A third
 * side, bench/startup-floor.js (an ES module that reads the folder, signs one path and prints
 * a line), is the floor: what any `verify` written as an ES module takes above `node -e 0`.
 */
export async function benchCliStartup({ quick, rounds = quick ? 3 : 21 }) {
  const work = mkdtempSync(path.join(tmpdir(), 'imageboss-bench-startup-'))
  try {
    const site = path.join(work, 'site')
    mkdirSync(site)
    writeFileSync(
      path.join(site, 'index.html'),
      `<!DOCTYPE html>\n<html><head><title>Home</title></head><body>\n<p>${'Lorem ipsum dolor sit amet. '.repeat(40)}</p>\n</body></html>\n`
    )
    const FLOOR = fileURLToPath(new URL('startup-floor.js', import.meta.url))
    const result = await sideBySide(
      {
        node: () => timeNode(['-e', '0'], work),
        verify: () => timeNode([CLI, 'verify', site], work),
        version: () => timeNode([CLI, '--version'], work),
        floor: () => timeNode([FLOOR, site], work)
      },
      { runs: rounds, warmup: 2 }
    )
    const above = (name) => median(result.times[name].map((t, i) => t - result.times.node[i])) / 1000
    const s = (ms) => `${(ms / 1000).toFixed(3)} s`
    return [
      {
        id: 'cli-startup-verify',
        what: 'CLI start-up above a bare node: `imageboss verify` of a folder holding one small clean page vs `node -e 0` (wall-clock, whole process, median of the per-round differences)',
        ratio: above('verify'),
        unit: 's',
        target: 0.05,
        detail: `${s(result.median.verify)} vs ${s(result.median.node)}, ${rounds} rounds; the floor (bench/startup-floor.js: read the folder, one HMAC, as an ES module) ${above('floor').toFixed(3)} s above`
      },
      {
        id: 'cli-startup-version',
        what: 'the same, `imageboss --version`',
        ratio: above('version'),
        unit: 's',
        target: 0.05,
        detail: `${s(result.median.version)} vs ${s(result.median.node)}, ${rounds} rounds`
      }
    ]
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

/**
 * `imageboss rewrite` and `verify` (one thread) on a generated site against a plain Node loop
 * over the same files (bench/plain-loop.js): reading each and writing it back through a
 * temporary file and a rename, or only reading. Each side gets a fresh copy of the site,
 * copied outside the timed part; sides alternate (sideBySide).
 */
export async function benchCliSite({ quick }) {
  const files = quick ? 300 : 5000
  const work = mkdtempSync(path.join(tmpdir(), 'imageboss-bench-site-'))
  try {
    const source = path.join(work, 'source')
    generate(source, files)
    let copies = 0
    const fresh = () => {
      const site = path.join(work, `site-${copies++}`)
      cpSync(source, site, { recursive: true })
      return site
    }
    const LOOP = fileURLToPath(new URL('plain-loop.js', import.meta.url))
    const PROTOTYPE_VERIFY = fileURLToPath(new URL('prototype-verify.js', import.meta.url))
    const result = await sideBySide(
      {
        rewrite: () => timeNode([CLI, 'rewrite', '--threads', '1', fresh()]),
        loopRewrite: () => timeNode([LOOP, 'rewrite', fresh()]),
        verify: () => {
          const site = fresh()
          execFileSync(process.execPath, [CLI, 'rewrite', site], { env, stdio: 'ignore' })
          return timeNode([CLI, 'verify', '--threads', '1', site])
        },
        loopRead: () => timeNode([LOOP, 'read', fresh()]),
        // The least a verify could take (bench/prototype-verify.js): a bound, beside the row.
        prototypeVerify: () => {
          const site = fresh()
          execFileSync(process.execPath, [CLI, 'rewrite', site], { env, stdio: 'ignore' })
          return timeNode([PROTOTYPE_VERIFY, site])
        }
      },
      { runs: quick ? 1 : 3 }
    )
    const s = (name) => `${(result.median[name] / 1000).toFixed(2)} s`
    return [
      {
        id: 'cli-rewrite',
        what: `\`imageboss rewrite --threads 1\` of a ${files.toLocaleString('en')}-file site vs a plain Node loop that reads each file and writes it back through a temporary file and a rename (wall-clock, whole process)`,
        ratio: result.ratio('rewrite', 'loopRewrite'),
        target: 2,
        detail: `${s('rewrite')} vs ${s('loopRewrite')}`
      },
      {
        id: 'cli-verify',
        what: `\`imageboss verify --threads 1\` of the rewritten site vs a loop that only reads each file`,
        ratio: result.ratio('verify', 'loopRead'),
        target: 2,
        detail: `${s('verify')} vs ${s('loopRead')}; a minimal verify (bench/prototype-verify.js: \`indexOf\` for the plain URL spelling, one HMAC each, nothing else) ${s('prototypeVerify')}, ${result.ratio('prototypeVerify', 'loopRead').toFixed(2)}× the loop`
      }
    ]
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

/** The kinds `imageboss rewrite` streams through their tokenizers; others are read whole. */
const STREAMED = new Set(['html', 'xml', 'json', 'css'])

/**
 * Peak RSS of `imageboss rewrite` on one file of about `mib` MiB of each kind, less the peak
 * of a run on an empty site (what Node itself takes, some 60 MiB, whatever the file), as a
 * ratio to the file's size (rows for `npm run bench`): the memory the file costs. The limit
 * on file sizes is raised so that the output check reads the rewritten file too (URLs are
 * longer than references: the file grows past the default limit). For a streamed kind the
 * file is also rewritten at 4× the size: a peak that does not grow with the file is bounded
 * by what it holds at once, and what it costs above the 1× peak per added byte is the figure
 * that tells. Targets: 0.25× for HTML and XML, 3× for the others.
 */
export async function benchCli({ quick, mib = quick ? 4 : 40 }) {
  const work = mkdtempSync(path.join(tmpdir(), 'imageboss-bench-memory-'))
  const rewrite = (dir) => peakRss(['rewrite', '--max-file-size', '4gb', dir])
  try {
    mkdirSync(path.join(work, 'empty'))
    const baseline = rewrite(path.join(work, 'empty')).bytes
    const rows = []
    for (const [what, extension, head, unit, tail] of LARGE_FILES) {
      const dir = path.join(work, extension)
      mkdirSync(dir)
      const file = path.join(dir, `large.${extension}`)
      writeLarge(file, mib * MiB, head, unit, tail)
      const size = statSync(file).size
      const { bytes, summary } = rewrite(dir)
      let growth = ''
      if (STREAMED.has(extension)) {
        rmSync(dir, { recursive: true, force: true })
        mkdirSync(dir)
        writeLarge(file, 4 * mib * MiB, head, unit, tail)
        const larger = rewrite(dir).bytes
        growth = `; at 4× the size (${((4 * size) / MiB).toFixed(0)} MiB) ${(larger / MiB).toFixed(0)} MiB peak: ${(((larger - bytes) / (3 * size)) * 100).toFixed(1)} % of each added byte`
      }
      rows.push({
        id: `cli-memory-${extension}`,
        what: `peak RSS of \`imageboss rewrite\` (and its output check) on one ${(size / MiB).toFixed(0)} MiB file, ${what}, above that of an empty site, vs the file's size (child process, peak \`VmHWM\`)`,
        ratio: (bytes - baseline) / size,
        target: extension === 'html' || extension === 'xml' ? 0.25 : 3,
        detail: `${(bytes / MiB).toFixed(0)} MiB peak, ${(baseline / MiB).toFixed(0)} MiB for an empty site (${(bytes / size).toFixed(2)}× the file in all)${growth}; ${summary.replace(/^imageboss rewrite: /, '')}`
      })
      rmSync(dir, { recursive: true, force: true })
    }
    return rows
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv[2] === 'startup') {
  const rows = await benchCliStartup({ quick: false, rounds: Number(process.argv[3] ?? 21) })
  console.log(`\nStart-up, ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}\n`)
  for (const row of rows) console.log(`${row.id.padEnd(20)} ${row.ratio.toFixed(3)} s  target ≤ ${row.target} s  ${row.detail}`)
} else if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const memoryOnly = process.argv[2] === 'memory'
  if (!memoryOnly) timeThreads(Number(process.argv[2] ?? 5000), Number(process.argv[3] ?? 3))
  const rows = await benchCli({ quick: false, mib: memoryOnly ? Number(process.argv[3] ?? 40) : 40 })
  console.log(`\nPeak memory, ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}\n`)
  console.log('| file | peak RSS above an empty site / file size | target | detail |')
  console.log('|---|---|---|---|')
  for (const row of rows) console.log(`| ${row.what} | **${row.ratio.toFixed(2)}×** | ${row.target === undefined ? '—' : `≤ ${row.target}×`} | ${row.detail} |`)
}
