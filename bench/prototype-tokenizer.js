// The least a token-level HTML scan can take on a hostile family: parse5's tokenizer alone,
// with handlers that do nothing, on the family at 1× (eight times) and at 8× (once), the
// least time of five rounds each, as the hostile bench measures the scanner. A growth above
// 8.00× here is the tokenizer's, whatever a scanner does with its tokens.
//
//   node bench/prototype-tokenizer.js [family=srcdoc]
import { performance } from 'node:perf_hooks'
import { Tokenizer } from 'parse5'
import { HTML } from '../test/hostile/corpus/near-misses.js'

const name = process.argv[2] ?? 'srcdoc'
const make = new Map(HTML).get(name)
if (!make) throw new Error(`Unexpected family ${name}`)
const noop = () => undefined
const handler = new Proxy({}, { get: () => noop })

function sized(size) {
  let n = 1
  while (make(n).length < size) n *= 2
  let low = n / 2
  let high = n
  while (high - low > 1) {
    const middle = (low + high) >> 1
    if (make(middle).length < size) low = middle
    else high = middle
  }
  return make(high)
}

function tokenize(text) {
  const tokenizer = new Tokenizer({ sourceCodeLocationInfo: true }, handler)
  tokenizer.write(text, true)
}

const one = sized(1_000_000)
const eight = sized(8_000_000)
let least1 = Infinity
let least8 = Infinity
for (let round = 0; round < 5; round++) {
  let started = performance.now()
  for (let i = 0; i < 8; i++) tokenize(one)
  least1 = Math.min(least1, performance.now() - started)
  started = performance.now()
  tokenize(eight)
  least8 = Math.min(least8, performance.now() - started)
}
console.log(`${name}: parse5's tokenizer alone, ${(least1 / 8).toFixed(1)} ms at 1×, ${least8.toFixed(1)} ms at 8×: ${((least8 / least1) * 8).toFixed(2)}×`)
