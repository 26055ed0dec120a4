// `npm run bench`: every benchmark, side by side, as ratios; writes bench/RESULTS.md.
// `npm run bench -- --quick`: everything at a small scale, only to check it still runs
// (no target is checked, RESULTS.md is left alone).
import { readFileSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { fileURLToPath } from 'node:url'
import { benchCli, benchCliSite, benchCliStartup } from './cli.js'
import { benchCore } from './core.js'
import { benchHostile } from './hostile.js'
import { x } from './lib.js'
import { benchPeers } from './peers.js'
import { benchRehype } from './rehype.js'
import { benchVite } from './vite.js'

const quick = process.argv.includes('--quick')
const RESULTS = fileURLToPath(new URL('RESULTS.md', import.meta.url))
const START = '<!-- results:start -->'
const END = '<!-- results:end -->'
const started = Date.now()

const rows = []
for (const [name, bench] of [
  ['core', benchCore],
  ['peers', benchPeers],
  ['rehype', benchRehype],
  ['vite', benchVite],
  ['hostile', benchHostile],
  ['cli', benchCli],
  ['cli start-up', benchCliStartup],
  ['cli site', benchCliSite]
]) {
  const from = Date.now()
  const found = await bench({ quick })
  rows.push(...found)
  console.error(`${name}: ${((Date.now() - from) / 1000).toFixed(0)} s`)
}

// A row is a ratio unless it says otherwise: `count` (a number of calls), `unit: 's'` (a
// difference of times in seconds, as CLI start-up above a bare node).
const figure = (row) => (row.count ? String(row.ratio) : row.unit === 's' ? `${row.ratio.toFixed(3)} s` : x(row.ratio))
const verdict = (row) => (row.target === undefined ? '—' : row.ratio <= row.target ? 'met' : 'not met')
const goal = (row) => (row.target === undefined ? '—' : row.count ? `${row.target}` : row.unit === 's' ? `≤ ${row.target.toFixed(2)} s` : `≤ ${x(row.target)}`)

const cpu = cpus()
const machine = `${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores; Node ${process.version}; ${new Date().toISOString().slice(0, 10)}`
const table = [
  '| benchmark | ratio | target | | detail |',
  '|---|---|---|---|---|',
  ...rows.map((row) => `| ${row.what} | **${figure(row)}** | ${goal(row)} | ${verdict(row)} | ${row.detail} |`)
].join('\n')

console.log(`\n${machine}${quick ? ' (quick: small scale, targets not checked)' : ''}\n`)
for (const row of rows) {
  console.log(`${row.id.padEnd(22)} ${figure(row).padStart(8)}  target ${goal(row).padEnd(7)} ${quick ? '' : verdict(row).padEnd(8)} ${row.detail}`)
}
console.log(`\n${((Date.now() - started) / 1000).toFixed(0)} s in all`)

if (!quick) {
  const generated = `${START}\nMeasured by \`npm run bench\` on: ${machine}.\n\n${table}\n${END}`
  let text
  try {
    text = readFileSync(RESULTS, 'utf8')
  } catch {
    text = `# Benchmark results\n\n${START}\n${END}\n`
  }
  const from = text.indexOf(START)
  const to = text.indexOf(END)
  text = from === -1 || to === -1 ? `${text}\n${generated}\n` : text.slice(0, from) + generated + text.slice(to + END.length)
  writeFileSync(RESULTS, text)
  console.log('Wrote bench/RESULTS.md')
}
