// The property tests of test/property, a million cases: `npm run fuzz`.
//
//   FUZZ_RUNS=2000000 FUZZ_SEED=42 npm run fuzz
//
// Runs vitest on test/property with `FUZZ_RUNS` (default 1,000,000 cases in all) and prints
// the total, the time taken and the result. Exits non-zero when a property fails; fast-check
// then prints the seed and the shrunk counterexample.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))
const runs = process.env.FUZZ_RUNS ?? '1000000'
const vitest = fileURLToPath(new URL('../../node_modules/vitest/vitest.mjs', import.meta.url))
const started = Date.now()
console.log(`fuzz: ${Number(runs).toLocaleString('en')} generated references (test/property)${process.env.FUZZ_SEED ? `, seed ${process.env.FUZZ_SEED}` : ''}`)
const child = spawn(process.execPath, [vitest, 'run', 'test/property'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, FUZZ_RUNS: runs }
})
child.on('close', (code) => {
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  console.log(`fuzz: ${code === 0 ? 'passed' : 'FAILED'}, ${Number(runs).toLocaleString('en')} cases in ${seconds} s (node ${process.version})`)
  process.exitCode = code ?? 1
})
