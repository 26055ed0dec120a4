// What the CLI prints is one line per report, whatever the site holds: control characters in
// file names (and link targets, references) are escaped, so that a file name cannot forge a
// line that a CI system reads (`::error …`) or move a terminal's cursor; FIFOs, sockets and
// devices are never opened (opening a FIFO waits for a writer) but said and counted; and the
// summary counts exactly the problem lines printed, a file read in chunks included.
import { spawnSync } from 'node:child_process'
import { readFileSync, symlinkSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openSource } from '../../src/site/source.js'
import { CHUNK_SIZE } from '../../src/site/limits.js'
import { expectedUrl } from '../helpers/expected.js'
import { cli, runCli, SECRET, tempDir, site } from './run.js'

/** Every line of both streams, as a CI runner splits a log: on LF, CR, and the Unicode line separators. */
function logLines(result: { stdout: string; stderr: string }): string[] {
  return `${result.stdout}\n${result.stderr}`.split(/\r\n|\n|\r|\u2028|\u2029|\u0085/)
}

// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/

describe('control characters in file names', () => {
  const FORGED = 'page\n::error ::forged.html'
  const OTHERS = [
    'cr\r::error ::cr.html',
    'esc\u001b[2J.html',
    'csi\u009b2J.html',
    'nel\u0085::error ::nel.html',
    'ls\u2028::error ::ls.html',
    'ps\u2029::error ::ps.html',
    'tab\tbell\u0007.html'
  ]

  it('are escaped in every line of rewrite, verify and verify --json: no line starts with `::error`', () => {
    const files: Record<string, string> = {}
    for (const name of [FORGED, ...OTHERS]) files[name] = '<img src="imageboss:/a.jpg?qualty=80">'
    const dir = site(files)
    // A link whose target holds a line break too: the target is in the message.
    symlinkSync('../x\n::error ::target.html', path.join(dir, 'site/link.html'))

    const runs = [cli(['rewrite', 'site'], { cwd: dir }), cli(['verify', 'site'], { cwd: dir }), cli(['verify', '--json', 'site'], { cwd: dir })]
    for (const result of runs) {
      expect(result.code).toBe(1)
      for (const line of logLines(result)) expect(line.startsWith('::error'), JSON.stringify(line)).toBe(false)
      expect(result.stdout + result.stderr).not.toMatch(RAW_CONTROL)
    }
    const COLUMN = `1:${'<img src="imageboss:/a.jpg?qualty=80">'.indexOf('qualty') + 1}`
    const [rewrite, verify, json] = runs as [(typeof runs)[number], (typeof runs)[number], (typeof runs)[number]]
    // Each file's problem on one line, its name escaped as written here.
    expect(rewrite.stderr).toContain(`site/page\\n::error ::forged.html:${COLUMN}: unknown-parameter: Unexpected unknown parameter \`qualty\``)
    expect(rewrite.stderr).toContain(`site/cr\\r::error ::cr.html:${COLUMN}: unknown-parameter: `)
    expect(rewrite.stderr).toContain(`site/esc\\x1b[2J.html:${COLUMN}: unknown-parameter: `)
    expect(rewrite.stderr).toContain(`site/csi\\x9b2J.html:${COLUMN}: unknown-parameter: `)
    expect(rewrite.stderr).toContain(`site/nel\\x85::error ::nel.html:${COLUMN}: unknown-parameter: `)
    expect(rewrite.stderr).toContain(`site/ls\\u2028::error ::ls.html:${COLUMN}: unknown-parameter: `)
    expect(rewrite.stderr).toContain(`site/ps\\u2029::error ::ps.html:${COLUMN}: unknown-parameter: `)
    expect(rewrite.stderr).toContain(`site/tab\\tbell\\x07.html:${COLUMN}: unknown-parameter: `)
    expect(rewrite.stderr).toContain('site/link.html:1:1: symbolic-link: Unexpected symbolic link to `../x\\n::error ::target.html`, not followed')
    expect(verify.stdout).toContain('site/page\\n::error ::forged.html:1:11: leftover-reference: ')
    // JSON keeps the names exact, as escapes the parser reads back.
    const parsed = JSON.parse(json.stdout) as { findings: Array<{ file: string }> }
    expect(new Set(parsed.findings.map((finding) => finding.file))).toEqual(new Set([FORGED, ...OTHERS].map((name) => `site/${name}`)))
    // Nothing was written over: every file failed, and is as it was.
    for (const name of [FORGED, ...OTHERS]) expect(readFileSync(path.join(dir, 'site', name), 'utf8')).toBe('<img src="imageboss:/a.jpg?qualty=80">')
  })

  it('are escaped in what `imageboss sign` prints for a reference', () => {
    // The reason quotes the value: `Unexpected value `…` for `quality``.
    const result = cli(['sign', 'imageboss:/a.jpg?w=1&quality=\n::error ::forged'])
    expect(result.code).toBe(1)
    for (const line of logLines(result)) expect(line.startsWith('::error'), JSON.stringify(line)).toBe(false)
    const column = 'imageboss:/a.jpg?w=1&quality='.length + 1
    expect(result.stderr).toBe(
      `<argument 1>:1:${column}: invalid-value: Unexpected value \`\\n::error ::forged\` for \`quality\`, expected an integer from 1 to 100\n`
    )
  })
})

describe('FIFOs, sockets and devices', () => {
  let server: Server | undefined
  afterEach(async () => {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)))
    server = undefined
  })

  it('are never opened, said on stderr with a rule id, and counted as skipped; the run ends and the exit code is unchanged', async () => {
    const dir = site({ 'index.html': '<img src="imageboss:/a.jpg?w=10">' })
    const fifo = spawnSync('mkfifo', [path.join(dir, 'site/page.html'), path.join(dir, 'site/pipe')])
    expect(fifo.status).toBe(0)
    server = createServer()
    await new Promise<void>((resolve) => server?.listen(path.join(dir, 'site/app.sock'), resolve))

    // In a child process with a deadline: a FIFO opened for reading would wait for ever.
    const rewrite = cli(['rewrite', 'site'], { cwd: dir, spawn: { timeout: 30_000 } })
    expect(rewrite.code).toBe(0)
    expect(rewrite.stderr.split('\n').filter(Boolean).sort()).toEqual([
      'site/app.sock:1:1: special-file: Unexpected socket, not a regular file: it is never opened (reading it would wait or never end), so neither rewritten nor checked; a built site holds regular files only',
      'site/page.html:1:1: special-file: Unexpected FIFO (named pipe), not a regular file: it is never opened (reading it would wait or never end), so neither rewritten nor checked; a built site holds regular files only',
      'site/pipe:1:1: special-file: Unexpected FIFO (named pipe), not a regular file: it is never opened (reading it would wait or never end), so neither rewritten nor checked; a built site holds regular files only'
    ])
    expect(rewrite.stdout).toMatch(/^imageboss rewrite: 4 files, 1 rewritten, 1 reference, 0 errors, 3 skipped \(3 special files\) in /)
    expect(readFileSync(path.join(dir, 'site/index.html'), 'utf8')).toBe(`<img src="${expectedUrl('/demo/width/10/format:auto/a.jpg', SECRET)}">`)

    const verify = cli(['verify', '--json', 'site'], { cwd: dir, spawn: { timeout: 30_000 } })
    expect(verify.code).toBe(0)
    expect(JSON.parse(verify.stdout)).toMatchObject({
      files: 4,
      findings: [],
      skipped: [
        { file: 'site/app.sock', reason: 'special file' },
        { file: 'site/page.html', reason: 'special file' },
        { file: 'site/pipe', reason: 'special file' }
      ]
    })
    expect(verify.stderr).toContain('site/page.html:1:1: special-file: Unexpected FIFO (named pipe)')

    const summary = await runCli(['verify', 'site'], { cwd: dir })
    expect(summary.stdout).toMatch(/imageboss verify: 4 files, 1 URL checked, 0 findings, 3 skipped \(3 special files\) in /)
  })

  it('a FIFO swapped in after the listing is not waited on when opened', async () => {
    const dir = tempDir()
    const file = path.join(dir, 'late.html')
    expect(spawnSync('mkfifo', [file]).status).toBe(0)
    // Without a writer, a blocking open would never return: the test would time out.
    expect(await openSource(file, CHUNK_SIZE)).toEqual({ failure: 'special file', type: 'FIFO' })
  })
})

describe('problem counts', () => {
  /** Problem lines (`file:line:column: rule: …`) of a stream, and the count the summary line gives. */
  function counted(text: string, word: 'error' | 'finding'): { lines: string[]; summary: number } {
    const lines = text.split('\n').filter((line) => /^site\/[^:]+:\d+:\d+: [a-z-]+: /.test(line))
    const summary = new RegExp(`, (\\d+) ${word}s?\\b`).exec(text)
    return { lines, summary: Number(summary?.[1] ?? NaN) }
  }

  it('are the number of problem lines, for files with several problems, one of them read in chunks', async () => {
    // Above the chunk size, with a pair of problems every ~200 KB (so in several chunks), and
    // one problem at every 7,000th line start.
    const paragraphs: string[] = []
    let expectedLarge = 0
    for (let i = 0; i < 9000; i++) {
      paragraphs.push(`<p>${'Lorem ipsum dolor sit amet, consectetur. '.repeat(2)}</p>`)
      if (i % 2000 === 11) {
        paragraphs.push(`<img src="imageboss:/a${i}.jpg?qualty=1"><img src="imageboss:/b${i}.jpg?w=0">`)
        expectedLarge += 2
      }
    }
    const large = `<!DOCTYPE html><html><body>\n${paragraphs.join('\n')}\n</body></html>\n`
    expect(Buffer.byteLength(large)).toBeGreaterThan(2 * CHUNK_SIZE)
    const script = Array.from({ length: 3 }, (_, i) => `const a${i} = "imageboss:/c${i}.jpg?qualty=2"; const d${i} = "imageboss:/d.jpg?w=" + n;`).join('\n')
    const dir = site({
      'large.html': large,
      'small.html': '<img src="imageboss:/x.jpg?w=0"><img src="imageboss://nowhere/y.jpg"><img src="imageboss:/ok.jpg?w=5">',
      'app.js': script
    })

    const rewrite = await runCli(['rewrite', 'site'], { cwd: dir })
    expect(rewrite.code).toBe(1)
    const errors = counted(rewrite.stderr + rewrite.stdout, 'error')
    expect(errors.lines.filter((line) => line.startsWith('site/large.html:') && / (unknown-parameter|invalid-value): /.test(line))).toHaveLength(expectedLarge)
    expect(errors.lines.filter((line) => line.startsWith('site/small.html:') && / (invalid-value|unknown-source): /.test(line))).toHaveLength(2)
    expect(errors.lines.filter((line) => line.startsWith('site/app.js:') && / (unknown-parameter|dynamic-reference): /.test(line))).toHaveLength(6)
    expect(errors.summary).toBe(errors.lines.length)
    expect(rewrite.stdout).toMatch(/\(3 files left unchanged\)/)

    const verify = await runCli(['verify', 'site'], { cwd: dir })
    const findings = counted(verify.stdout, 'finding')
    expect(findings.summary).toBe(findings.lines.length)
    // Every reference of the large file is left, and found at its place, whichever chunk it is in.
    const places: string[] = []
    for (const [index, text] of large.split('\n').entries()) {
      for (let at = text.indexOf('imageboss:'); at !== -1; at = text.indexOf('imageboss:', at + 1))
        places.push(`site/large.html:${index + 1}:${at + 1}: leftover-reference: `)
    }
    expect(places).toHaveLength(expectedLarge)
    for (const place of places)
      expect(
        findings.lines.some((line) => line.startsWith(place)),
        place
      ).toBe(true)
    for (const number of [1, 2, 3])
      expect(
        findings.lines.some((line) => line.startsWith(`site/app.js:${number}:`)),
        `app.js line ${number}`
      ).toBe(true)
    const json = JSON.parse((await runCli(['verify', '--json', 'site'], { cwd: dir })).stdout) as { findings: unknown[] }
    expect(json.findings).toHaveLength(findings.summary)
  })
})
