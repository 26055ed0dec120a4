// Side-by-side measurement: every figure is a ratio of sides timed in the same run, in
// alternating (rotating) order, after a warm-up, over several runs; medians are reported.
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

setFlagsFromString('--expose-gc')
/** A full garbage collection before each timed side, so one side's garbage is not billed to the other. */
export const gc = runInNewContext('gc')

/**
 * Milliseconds of CPU time (user + system, all threads) used by this process. The machine
 * is shared: wall-clock time would mostly measure the other processes.
 */
export function now() {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/**
 * Time `sides` (name → function returning its own elapsed milliseconds, or a promise of it;
 * setup left out of the figure is the side's business) `runs` times after `warmup` untimed
 * rounds. Each round runs every side once; the order rotates from round to round.
 *
 * @returns {Promise<{ times: Record<string, number[]>, median: Record<string, number>, ratio: (a: string, b: string) => number }>}
 */
export async function sideBySide(sides, { runs, warmup = 1 }) {
  const names = Object.keys(sides)
  const times = Object.fromEntries(names.map((name) => [name, []]))
  for (let round = 0; round < warmup + runs; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length]
      gc()
      const elapsed = await sides[name]()
      if (round >= warmup) times[name].push(elapsed)
    }
  }
  return {
    times,
    median: Object.fromEntries(names.map((name) => [name, median(times[name])])),
    // The median of the per-round ratios: each ratio compares sides timed moments apart.
    ratio: (a, b) => median(times[a].map((t, i) => t / times[b][i]))
  }
}

/** `1.234×` */
export const x = (ratio) => `${ratio.toFixed(ratio < 0.1 ? 3 : 2)}×`

/** Microseconds per item, for context only (absolute times depend on the machine). */
export const us = (ms, count) => `${((ms * 1000) / count).toFixed(2)} µs`
