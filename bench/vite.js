// (4) Vite overhead and (5) memory: `vite build` of a generated site with the plugin,
// against the pre-signed twin of the site built without it. Each build runs in its own
// child process (peak RSS: `VmHWM` of the child, see vite-child.js).
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createImageBoss } from 'imageboss-build'
import { median, sideBySide } from './lib.js'
import { generateSite } from './vite-site.js'

const OPTIONS = { source: 'bench-images', secret: 'bench-secret-not-a-real-one', env: {} }
const CHILD = fileURLToPath(new URL('vite-child.js', import.meta.url))

function buildOnce(root, withPlugin, into) {
  const out = execFileSync(process.execPath, [CHILD, root, withPlugin ? 'plugin' : 'plain', JSON.stringify(OPTIONS)], { encoding: 'utf8' })
  const result = JSON.parse(out.trim().split('\n').at(-1))
  into.push(result)
  return result.cpu
}

function outputText(root) {
  const dir = join(root, 'dist')
  const files = readdirSync(dir, { recursive: true })
    .filter((name) => /\.(?:html|css|js)$/.test(name))
    .sort()
  return files.map((name) => readFileSync(join(dir, name), 'utf8')).join('\n')
}

export async function benchVite({ quick }) {
  const pages = quick ? 10 : 200
  const base = join(tmpdir(), `imageboss-bench-${process.pid}`)
  const signer = createImageBoss({ ...OPTIONS, production: true })
  const withRefs = generateSite(join(base, 'references'), pages)
  generateSite(join(base, 'signed'), pages, (reference) => signer.url(reference))
  const runs = { plugin: [], plain: [] }
  try {
    const result = await sideBySide(
      {
        plugin: () => buildOnce(join(base, 'references'), true, runs.plugin),
        plain: () => buildOnce(join(base, 'signed'), false, runs.plain)
      },
      { runs: quick ? 1 : 5 }
    )
    const signedOutput = outputText(join(base, 'references'))
    if (signedOutput.includes('imageboss:')) throw new Error('Expected every reference signed in the build output')
    const tokens = signedOutput.split('?bossToken=').length - 1
    if (tokens !== outputText(join(base, 'signed')).split('?bossToken=').length - 1) throw new Error('Expected as many signed URLs both ways')
    const calls = runs.plugin.at(-1).calls
    const rss = (name) => median(runs[name].slice(1).map((run) => run.maxRSS))
    const rssRatio = median(runs.plugin.slice(1).map((run, i) => run.maxRSS / runs.plain[i + 1].maxRSS))
    const wallRatio = median(runs.plugin.slice(1).map((run, i) => run.wall / runs.plain[i + 1].wall))
    return [
      {
        id: 'vite-build',
        what: `\`vite build\` of ${pages} pages (${pages * 20} <img> references, ${pages} stylesheets with ${pages * 50} \`url()\`s, ${withRefs.modules} JS modules, ${withRefs.modulesWithReference} with a reference) with the plugin vs the pre-signed site without it (CPU time)`,
        ratio: result.ratio('plugin', 'plain'),
        target: 1.25,
        detail: `${(result.median.plugin / 1000).toFixed(2)} s vs ${(result.median.plain / 1000).toFixed(2)} s CPU; wall-clock ratio ${wallRatio.toFixed(2)}×; ${tokens} signed URLs in the output`
      },
      {
        id: 'vite-calls',
        what: 'plugin handler calls for modules (and pages) without a reference',
        ratio: calls.withoutReference,
        target: 0,
        count: true,
        detail: `${calls.withReference} calls with a reference: ${Object.entries(calls.byHook)
          .map(([hook, n]) => `${hook} ${n}`)
          .join(', ')}`
      },
      {
        id: 'vite-rss',
        what: 'peak RSS of that `vite build` with the plugin vs without (child processes, peak `VmHWM`)',
        ratio: rssRatio,
        target: 1.05,
        detail: `${(rss('plugin') / 1024).toFixed(0)} MiB vs ${(rss('plain') / 1024).toFixed(0)} MiB`
      }
    ]
  } finally {
    rmSync(base, { recursive: true, force: true })
  }
}
