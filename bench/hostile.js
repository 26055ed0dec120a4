// (5) Time linear in input size on hostile near-misses (test/hostile/corpus/near-misses.js):
// per input kind, every family at 1× and at 8× its size, side by side; the growth ratio of the worst
// family is the figure (8.00× = linear, target ≤ 10×). Scanners in `sign` mode (`scanText`,
// as the Vite plugin and `imageboss rewrite` call it) and in `check` mode (`checkText` with
// keys, as the build-output check and `imageboss verify` call it); Markdown through the rehype
// plugin on the tree remark-parse → remark-rehype (raw HTML kept) makes, the tree made outside
// the timed part.
/* global structuredClone */
import { checkText, createImageBoss, createVerifyKeys, scanText } from 'imageboss-build'
import rehypeImageBoss from 'imageboss-build/rehype'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import { unified } from 'unified'
import { VFile } from 'vfile'
import { CSS, HTML, JSON_INPUTS, MARKDOWN, SCRIPT, SRCSET, TEXT, XML } from '../test/hostile/corpus/near-misses.js'
import { now, sideBySide, x } from './lib.js'

const SETTINGS = { source: 'hostile', secret: 'bench-secret-not-a-real-one', defaults: {}, env: {} }
const keys = createVerifyKeys(SETTINGS, {})
/** A side is timed over repeated calls until it has run this long: short calls are mostly noise. */
const MIN_MS = 20

/**
 * The kinds of input, the text kind their scanners read (`md`: the rehype plugin), their
 * modes, and their 1× size (characters).
 */
function kinds(quick, size = quick ? 4_000 : 1_000_000) {
  const both = ['sign', 'check']
  return [
    { id: 'html', text: 'html', name: 'HTML', families: HTML, size, modes: both },
    { id: 'srcset', text: 'html', name: '`srcset` in HTML', families: SRCSET, size, modes: both },
    { id: 'css', text: 'css', name: 'CSS', families: CSS, size, modes: both },
    { id: 'js', text: 'script', name: 'JavaScript', families: SCRIPT, size, modes: both },
    { id: 'json', text: 'json', name: 'JSON', families: JSON_INPUTS, size, modes: both },
    { id: 'xml', text: 'xml', name: 'XML', families: XML, size, modes: both },
    { id: 'text', text: 'text', name: 'text (`.txt`)', families: TEXT, size, modes: ['check'] },
    { id: 'md', text: 'md', name: 'Markdown', families: MARKDOWN, size: size / 4, modes: ['rehype'] }
  ]
}

/**
 * What a side's calls read: `count` texts of `make(size)`, each its own string, so that the
 * eight calls at 1× read as much memory as the one at 8× (one text read eight times stays in
 * the processor's cache); for Markdown, a fresh copy of its tree per call (copied untimed).
 */
function prepare(mode, make, size, count) {
  if (mode === 'rehype') {
    const tree = unified()
      .use(remarkRehype, { allowDangerousHtml: true })
      .runSync(unified().use(remarkParse).parse(make(size)))
    return Array.from({ length: count }, () => () => structuredClone(tree))
  }
  return Array.from({ length: count }, () => {
    const text = make(size)
    return () => text
  })
}

/** The work of `mode` on a text of `kind`, with an instance of its own (memo entries of other families would weigh on the garbage collector). */
function work(mode, kind) {
  if (mode === 'check') return (text) => checkText(kind, text, keys)
  if (mode === 'rehype') {
    const transform = rehypeImageBoss({ ...SETTINGS, production: false, onWarning: () => {} })
    return (tree) => transform(tree, new VFile())
  }
  const boss = createImageBoss({ ...SETTINGS, production: true })
  const signer = { url: (reference) => boss.url(reference), image: (reference) => boss.image(reference) }
  return (text) => scanText(kind, text, { signer })
}

/**
 * Milliseconds per call of `run`: one call per input (eight at 1×, one at 8×: the same
 * amount of text on both sides), repeated until they add up to `MIN_MS`. What each call
 * returns is kept until the side ends, as a build keeps every file's problems until it
 * reports them: at 1× they would otherwise die young, cost the garbage collector nothing,
 * and make 8× (whose problems outlive collections) look superlinear.
 */
function timed(inputs, run) {
  const kept = []
  let total = 0
  let done = 0
  do {
    for (const input of inputs) {
      const value = input()
      const start = now()
      kept.push(run(value), value)
      total += now() - start
      done++
    }
  } while (total < MIN_MS)
  return total / done
}

const ms = (value) => (value < 10 ? value.toFixed(2) : value.toFixed(1))
const chars = (count) => (count >= 1e6 ? `${count / 1e6} M` : `${count / 1e3} k`)

/**
 * One family at 1× and 8×, side by side (`runs` rounds after a warm-up): the least time of
 * each side, as other jobs on a shared machine only ever add time (the worst of a dozen
 * families is the figure: a median would still let one busy moment decide it), and their
 * ratio.
 */
async function timeFamily(mode, text, make, size, runs) {
  const run = work(mode, text)
  const small = prepare(mode, make, size, 8)
  const large = prepare(mode, make, 8 * size, 1)
  const { times } = await sideBySide({ x1: () => timed(small, run), x8: () => timed(large, run) }, { runs })
  const one = Math.min(...times.x1)
  const eight = Math.min(...times.x8)
  return { one, eight, ratio: eight / one }
}

/**
 * One row per kind of input and mode: the growth of its worst family (the figure), and of
 * all families together. `size` (characters at 1×) and `only` (a filter on
 * `kind/mode/family`) are for looking into one case by hand.
 */
export async function benchHostile({ quick, size, only }) {
  const rows = []
  for (const kind of kinds(quick, size)) {
    for (const mode of kind.modes) {
      let worst = { ratio: 0, name: '' }
      let one = 0
      let eight = 0
      for (const [name, make, limits] of kind.families) {
        if (only && !`${kind.id}/${mode}/${name}`.includes(only)) continue
        const capped = Math.min(kind.size, limits?.max ?? Infinity)
        const family = await timeFamily(mode, kind.text, make, capped, quick ? 1 : 5)
        one += family.one
        eight += family.eight
        if (family.ratio > worst.ratio)
          worst = { ratio: family.ratio, name: capped < kind.size ? `\`${name}\` (at ${chars(capped)} characters)` : `\`${name}\`` }
        if (!quick) console.error(`  hostile ${kind.id} ${mode} ${name}: ${ms(family.one)} ms → ${ms(family.eight)} ms, ${x(family.ratio)}`)
      }
      if (worst.name === '') continue
      rows.push({
        id: `hostile-${kind.id}-${mode}`,
        what: `hostile ${kind.name}, ${mode === 'rehype' ? 'rehype plugin' : `\`${mode}\``}: ${kind.families.length} near-miss families, ${chars(8 * kind.size)} vs ${chars(kind.size)} characters, worst family`,
        ratio: worst.ratio,
        target: 10,
        detail: `worst: ${worst.name}; all families: ${ms(one)} ms at 1×, ${ms(eight)} ms at 8× (${x(eight / one)})`
      })
    }
  }
  return rows
}
