// `--max-file-size`: larger files are not read, and those that may hold a reference are
// reported (file-too-large), left byte for byte. Peak memory against file size is measured
// by `node bench/cli.js` (bench/RESULTS.md), not timed here.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseSize } from '../../src/cli/main.js'
import { DEFAULT_MAX_FILE_SIZE } from '../../src/site/limits.js'
import { expectedUrl } from '../helpers/expected.js'
import { runCli, SECRET, site } from './run.js'

const REFERENCE = '<img src="imageboss:/a.jpg?w=10">'

describe('--max-file-size', () => {
  it('takes bytes, or a size with a unit of 1024', () => {
    expect(parseSize('1048576')).toBe(1048576)
    expect(parseSize('10mb')).toBe(10 * 1024 * 1024)
    expect(parseSize('10MB')).toBe(10 * 1024 * 1024)
    expect(parseSize('512k')).toBe(512 * 1024)
    expect(parseSize('1.5GiB')).toBe(1.5 * 1024 ** 3)
    expect(parseSize('20b')).toBe(20)
    for (const wrong of ['', '0', 'mb', '-1mb', '10 tb', '1e6', '0.1']) expect(parseSize(wrong), wrong).toBeUndefined()
    expect(DEFAULT_MAX_FILE_SIZE).toBe(50 * 1024 * 1024)
  })

  it('is a usage error (exit code 2) when it is not a size', async () => {
    const dir = site({})
    const result = await runCli(['rewrite', '--max-file-size', 'big', 'site'], { cwd: dir })
    expect(result.code).toBe(2)
    expect(result.stderr).toBe(
      'imageboss: Unexpected `--max-file-size big`, expected a size in bytes, or with a unit: `500kb`, `10mb`, `1gb`\nRun `imageboss --help` for usage.\n'
    )
  })

  it('leaves a larger file that holds a reference exactly as it is, reported with its size; a larger one without is no problem', async () => {
    const text = `<p>${'x'.repeat(2000)}</p>\n${REFERENCE}\n`
    const large = text + ' '.repeat(3 * 1024 - text.length)
    const dir = site({ 'large.html': large, 'plain.html': `<p>${'y'.repeat(5000)}</p>`, 'small.html': REFERENCE })
    const result = await runCli(['rewrite', '--max-file-size', '2kb', 'site'], { cwd: dir })
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      'site/large.html:1:1: file-too-large: Unexpected file of 3,072 bytes (3 KiB), larger than the limit of 2,048 bytes (2 KiB): it is not rewritten and is left as it is; raise `--max-file-size` to have it rewritten\n'
    )
    expect(result.stdout).toMatch(/^imageboss rewrite: 3 files, 1 rewritten, 1 reference, 1 error, 1 skipped \(1 too large\) in /)
    expect(readFileSync(path.join(dir, 'site/large.html'), 'utf8')).toBe(large)
    expect(readFileSync(path.join(dir, 'site/small.html'), 'utf8')).toBe(`<img src="${expectedUrl('/demo/width/10/format:auto/a.jpg', SECRET)}">`)

    const verify = await runCli(['verify', '--max-file-size', '2kb', '--json', 'site'], { cwd: dir })
    expect(verify.code).toBe(1)
    expect(JSON.parse(verify.stdout)).toMatchObject({
      findings: [{ file: 'site/large.html', rule: 'file-too-large' }],
      skipped: [{ file: 'site/large.html', reason: 'too large' }]
    })
  })

  it('says when a rewrite makes a file larger than the limit, which the output check then leaves out', async () => {
    // Just under 2 KiB with its references; its signed URLs take it past the limit.
    const text = `${REFERENCE}\n`.repeat(40)
    expect(Buffer.byteLength(text)).toBeLessThan(2048)
    const dir = site({ 'grows.html': text })
    const result = await runCli(['rewrite', '--max-file-size', '2kb', 'site'], { cwd: dir })
    expect(result.code).toBe(0)
    expect(readFileSync(path.join(dir, 'site/grows.html')).length).toBeGreaterThan(2048)
    expect(result.stderr).toBe(
      'site/grows.html: warning: rewritten, but larger than --max-file-size now, so not checked by the output check; raise the limit to have it checked\n'
    )
  })

  it('is 50 MiB unless given: a file one byte larger, with a reference at its very end, is reported and left', async () => {
    const tail = Buffer.from(REFERENCE)
    const large = Buffer.concat([Buffer.alloc(DEFAULT_MAX_FILE_SIZE + 1 - tail.length, 0x20), tail])
    const dir = site({ 'huge.html': large, 'spaces.css': Buffer.alloc(DEFAULT_MAX_FILE_SIZE + 1, 0x20) })
    const result = await runCli(['rewrite', 'site'], { cwd: dir })
    expect(result.stderr).toBe(
      'site/huge.html:1:1: file-too-large: Unexpected file of 52,428,801 bytes (50 MiB), larger than the limit of 52,428,800 bytes (50 MiB): it is not rewritten and is left as it is; raise `--max-file-size` to have it rewritten\n'
    )
    expect(result.code).toBe(1)
    expect(readFileSync(path.join(dir, 'site/huge.html')).equals(large)).toBe(true)
  })
})
