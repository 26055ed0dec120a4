// Stopping a rewrite: real signals sent to the built CLI (`dist/cli.js`) in a child process,
// at several moments of a run over a generated site, on one thread and with worker threads.
// SIGINT, SIGTERM and every other terminating signal a process may handle (SIGQUIT, SIGUSR1,
// …) leave every file either as it was or wholly rewritten, and no temporary file; SIGKILL may leave temporary files, which `verify` reports and the next `rewrite`
// removes. Expected URLs come from the oracle (test/helpers/expected.ts).
import { spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { expectedUrl } from '../helpers/expected.js'
import { CLI, cliEnv, runCli, SECRET, tempDir } from './run.js'

/** Pages of the generated site; its first files (by name) are large ones, read in chunks. */
const PAGES = 600
const LARGE = 4
const TEMPORARY_RE = /\.imageboss-tmp-\d+-\d+$/

interface Site {
  dir: string
  /** Each file's text before and after a rewrite (relative path → text). */
  original: Map<string, string>
  signed: Map<string, string>
}

/** One page: a few references, as written and as signed (URLs from the oracle). */
function page(i: number, repeat: number): { original: string; signed: string } {
  const body = (sign: boolean) => {
    const url = (reference: string, signedPath: string) => (sign ? expectedUrl(signedPath, SECRET) : reference)
    const block = (k: number) =>
      `<div><h2>Part ${k}</h2><img src="${url(`imageboss:/p/${i}/${k}.jpg?w=800`, `/demo/width/800/format:auto/p/${i}/${k}.jpg`)}" alt="">` +
      `<p>${'Lorem ipsum dolor sit amet. '.repeat(8)}</p></div>\n`
    return `<!DOCTYPE html>\n<html><head><meta property="og:image" content="${url(`imageboss:/p/${i}/og.jpg?w=1200`, `/demo/width/1200/format:auto/p/${i}/og.jpg`)}"></head>\n<body>\n${Array.from({ length: repeat }, (_, k) => block(k)).join('')}</body></html>\n`
  }
  return { original: body(false), signed: body(true) }
}

function generate(dir: string): Site {
  const site: Site = { dir, original: new Map(), signed: new Map() }
  for (let i = 0; i < PAGES; i++) {
    const large = i < LARGE
    const name = large ? `a-large/page-${i}.html` : `s${i % 20}/page-${i}.html`
    const { original, signed } = page(i, large ? 1500 : 3)
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
    writeFileSync(path.join(dir, name), original)
    site.original.set(name, original)
    site.signed.set(name, signed)
  }
  return site
}

/** Every file under `dir`: relative path → text. */
function read(dir: string): Map<string, string> {
  const files = new Map<string, string>()
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files.set(path.relative(dir, path.join(entry.parentPath, entry.name)), readFileSync(path.join(entry.parentPath, entry.name), 'utf8'))
  }
  return files
}

interface Stopped {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** Whether a temporary file is in `dir` (not recursive): a large file is being written. */
function writing(dir: string): boolean {
  try {
    return readdirSync(dir).some((name) => TEMPORARY_RE.test(name))
  } catch {
    return false
  }
}

/**
 * `imageboss <args>` in a child process, sent `signal` `delay` milliseconds after the first
 * temporary file appears in `<cwd>/site/a-large` (a moment inside the run, whatever the
 * machine's speed; a signal before the CLI has started would meet Node's default).
 */
async function runAndSignal(args: string[], cwd: string, signal: NodeJS.Signals, delay: number): Promise<Stopped> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
  const poll = setInterval(() => {
    if (!writing(path.join(cwd, 'site/a-large'))) return
    clearInterval(poll)
    setTimeout(() => child.kill(signal), delay)
  }, 5)
  const [code, received] = await exited
  clearInterval(poll)
  return { code, signal: received, stdout, stderr }
}

let source: Site

beforeAll(() => {
  source = generate(path.join(tempDir(), 'source'))
})

/** A fresh copy of the generated site, in `<dir>/site`; returns `<dir>`. */
function copy(): string {
  const dir = tempDir()
  cpSync(source.dir, path.join(dir, 'site'), { recursive: true })
  return dir
}

/** Milliseconds of an uninterrupted `rewrite` of a copy of the site, with `threads`. */
async function timeWholeRun(threads: string): Promise<number> {
  const started = performance.now()
  const child = spawn(process.execPath, [CLI, 'rewrite', '--threads', threads, 'site'], { cwd: copy(), env: cliEnv(), stdio: 'ignore' })
  const [code] = (await once(child, 'exit')) as [number | null]
  expect(code).toBe(0)
  return performance.now() - started
}

/** Each file is as it was or wholly rewritten, and no temporary file is left; returns how many were rewritten. */
function expectWholeFiles(dir: string): number {
  const files = read(path.join(dir, 'site'))
  expect([...files.keys()].filter((name) => TEMPORARY_RE.test(name))).toEqual([])
  expect([...files.keys()].sort()).toEqual([...source.original.keys()].sort())
  let rewritten = 0
  for (const [name, text] of files) {
    if (text === source.signed.get(name)) rewritten++
    else expect(text === source.original.get(name), `${name} is neither as it was nor wholly rewritten`).toBe(true)
  }
  return rewritten
}

describe('a rewrite stopped by SIGINT or SIGTERM', () => {
  for (const [signal, threads, code] of [
    ['SIGTERM', '1', 143],
    ['SIGINT', '2', 130]
  ] as const) {
    it(`${signal}, ${threads === '1' ? 'one thread' : 'two worker threads'}: at each moment, files are whole, no temporary file is left, the exit code says so`, async () => {
      // Moments as shares of a whole run on this machine now: a fixed delay may fall after the
      // end on a fast one. (With worker threads the first temporary file comes about half-way.)
      const whole = await timeWholeRun(threads)
      const rewrittenAt: number[] = []
      for (const delay of [0, Math.round(whole * 0.1), Math.round(whole * 0.2), Math.round(whole * 0.4)]) {
        const dir = copy()
        const result = await runAndSignal(['rewrite', '--threads', threads, 'site'], dir, signal, delay)
        const finished = new RegExp(`^imageboss rewrite: ${PAGES} files, ${PAGES} rewritten, `)
        if (result.code === 0 || (result.signal === signal && finished.test(result.stdout))) {
          // The run ended of itself before the moment came: the signal met a process already gone,
          // or one exiting after its last line, which it ends as it ends any process. The job is done.
          expect(result.stdout).toMatch(finished)
          expect(expectWholeFiles(dir)).toBe(PAGES)
          continue
        }
        expect(result.stderr).toContain(`imageboss: ${signal} received: stopping, removing temporary files`)
        expect(result.stdout).toMatch(
          new RegExp(
            `imageboss rewrite: stopped by ${signal}: \\d+ of ${PAGES} files rewritten, the others left as they were; its temporary files removed, in `
          )
        )
        expect(result.code).toBe(code)
        rewrittenAt.push(expectWholeFiles(dir))
      }
      // The moments fell during the run: some files were rewritten, not all.
      expect(rewrittenAt.some((count) => count > 0 && count < PAGES)).toBe(true)
    })
  }

  it('a second run finishes the job', async () => {
    const dir = copy()
    const stopped = await runAndSignal(['rewrite', '--threads', '2', 'site'], dir, 'SIGTERM', Math.round((await timeWholeRun('2')) * 0.1))
    expect(stopped.code).toBe(143)
    // In this process: one thread (worker threads need the built CLI).
    const rest = await runCli(['rewrite', '--threads', '1', 'site'], { cwd: dir })
    expect(rest.code).toBe(0)
    expect(expectWholeFiles(dir)).toBe(PAGES)
  })
})

describe('every other terminating signal a process may handle', () => {
  // SIGQUIT (Ctrl-\), SIGUSR1 (which Node keeps for its inspector unless a listener takes it),
  // SIGPIPE (a reader gone; Node ignores it by default), SIGXCPU (`ulimit -t`), SIGALRM: each
  // stops the run as SIGTERM does, with 128 + its number.
  for (const [signal, threads, code] of [
    ['SIGQUIT', '1', 131],
    ['SIGUSR1', '2', 138],
    ['SIGUSR2', '1', 140],
    ['SIGPIPE', '2', 141],
    ['SIGALRM', '1', 142],
    ['SIGXCPU', '2', 152]
  ] as const) {
    it(`${signal}, ${threads === '1' ? 'one thread' : 'two worker threads'}: files are whole, no temporary file is left, the exit code is ${code}`, async () => {
      const dir = copy()
      const result = await runAndSignal(['rewrite', '--threads', threads, 'site'], dir, signal, 0)
      expect(result.signal).toBe(null)
      expect(result.stderr).toContain(`imageboss: ${signal} received: stopping, removing temporary files`)
      expect(result.stdout).toMatch(
        new RegExp(`imageboss rewrite: stopped by ${signal}: \\d+ of ${PAGES} files rewritten, the others left as they were; its temporary files removed, in `)
      )
      expect(result.code).toBe(code)
      expect(expectWholeFiles(dir)).toBeLessThan(PAGES)
    })
  }
})

describe('a rewrite killed by SIGKILL', () => {
  // At once, and later: a third of a whole run after the first large file starts (a fixed
  // delay could fall after the end of a run on a fast machine, or early on a loaded one).
  for (const fraction of [0, 0.3]) {
    it(`may leave temporary files (killed ${fraction === 0 ? 'as soon as' : 'a third of a run after'} a large file starts): verify reports each, the next rewrite removes them and finishes`, async () => {
      const dir = copy()
      const delay = fraction === 0 ? 0 : Math.round((await timeWholeRun('2')) * fraction)
      const killed = await runAndSignal(['rewrite', '--threads', '2', 'site'], dir, 'SIGKILL', delay)
      expect(killed.signal).toBe('SIGKILL')
      const left = [...read(path.join(dir, 'site')).keys()].filter((name) => TEMPORARY_RE.test(name)).sort()

      const verify = await runCli(['verify', '--threads', '1', '--json', 'site'], { cwd: dir })
      const findings = (JSON.parse(verify.stdout) as { findings: Array<{ file: string; rule: string }> }).findings
      expect(findings.filter((finding) => finding.rule === 'temporary-file').map((finding) => finding.file)).toEqual(left.map((name) => `site/${name}`))
      // Killed with temporary files left or pages not yet rewritten (their references unsigned), verify fails;
      // killed at the very end (the output check), it has nothing to find.
      const pages = read(path.join(dir, 'site'))
      const unsigned = [...source.original.keys()].filter((name) => pages.get(name) !== source.signed.get(name))
      expect(verify.code).toBe(left.length > 0 || unsigned.length > 0 ? 1 : 0)

      const rewrite = await runCli(['rewrite', '--threads', '1', 'site'], { cwd: dir })
      expect(rewrite.code).toBe(0)
      const removed = rewrite.stderr.split('\n').filter((line) => line.includes(': removed a temporary file left by a rewrite that was stopped'))
      expect(removed.map((line) => line.slice(0, line.indexOf(':')))).toEqual(left.map((name) => `site/${name}`))
      expect(expectWholeFiles(dir)).toBe(PAGES)
    })
  }
})

describe('temporary files of other runs', () => {
  it('of a process that is gone are reported by verify and removed by rewrite (said on stderr); of a running one, left alone', async () => {
    const dir = tempDir()
    mkdirSync(path.join(dir, 'site'))
    writeFileSync(path.join(dir, 'site/page.html'), '<img src="imageboss:/a.jpg?w=10">')
    // A process that has exited: its id names no running process.
    const gone = spawnSync(process.execPath, ['-e', '0']).pid
    const leftover = `.page.html.imageboss-tmp-${gone}-3`
    // A process that runs: the one that started this test runner.
    const running = `.other.html.imageboss-tmp-${process.ppid}-4`
    // This process's own id: an earlier process had it, since a run writes nothing before it lists the site.
    const reused = `.third.html.imageboss-tmp-${process.pid}-5`
    writeFileSync(path.join(dir, 'site', leftover), '<img src="https://img')
    writeFileSync(path.join(dir, 'site', running), '<p>')
    writeFileSync(path.join(dir, 'site', reused), '<p>')

    const verify = await runCli(['verify', 'site'], { cwd: dir })
    expect(verify.code).toBe(1)
    expect(verify.stdout).toContain(
      `site/${running}:1:1: temporary-file: Unexpected temporary file of a rewrite that is running (process ${process.ppid}), expected none: it holds a part of a rewritten file and must not be deployed; \`imageboss rewrite\` removes it\n`
    )
    expect(verify.stdout).toContain(
      `site/${leftover}:1:1: temporary-file: Unexpected temporary file left by a rewrite that was stopped before it could remove it (process ${gone}), expected none`
    )

    const dryRun = await runCli(['rewrite', '--dry-run', 'site'], { cwd: dir })
    expect(dryRun.stderr).toContain(
      `site/${leftover}: would remove a temporary file left by a rewrite that was stopped before it could remove it (process ${gone})\n`
    )
    expect(readdirSync(path.join(dir, 'site')).sort()).toEqual([running, leftover, reused, 'page.html'].sort())

    const rewrite = await runCli(['rewrite', 'site'], { cwd: dir })
    expect(rewrite.code).toBe(0)
    expect(rewrite.stderr).toBe(
      `site/${running}: left alone: a temporary file of a rewrite that is running (process ${process.ppid})\n` +
        `site/${leftover}: removed a temporary file left by a rewrite that was stopped before it could remove it (process ${gone})\n` +
        `site/${reused}: removed a temporary file left by a rewrite that was stopped before it could remove it (process ${process.pid})\n`
    )
    expect(readdirSync(path.join(dir, 'site')).sort()).toEqual([running, 'page.html'].sort())
    expect(readFileSync(path.join(dir, 'site/page.html'), 'utf8')).toBe(`<img src="${expectedUrl('/demo/width/10/format:auto/a.jpg', SECRET)}">`)
  })
})
