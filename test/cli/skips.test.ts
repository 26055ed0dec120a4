// What the CLI reads, and what it says it skips: UTF-16 read and written back as it was,
// encodings it cannot read, symbolic links, files removed or changed during a run, and the
// summary line that counts skipped files by reason.
import { chmodSync, mkdirSync, readdirSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { Interrupt } from '../../src/site/interrupt.js'
import { CHUNK_SIZE } from '../../src/site/limits.js'
import { processFile } from '../../src/site/process-file.js'
import { loadSettings } from '../../src/site/settings.js'
import { TempFile } from '../../src/site/temp-file.js'
import { expectedUrl } from '../helpers/expected.js'
import { withImageBossEnv } from '../helpers/scratch.js'
import { cli, cliVars, runCli, SECRET, site } from './run.js'

const PAGE = '<p>Été</p>\n<img src="imageboss:/photos/été.jpg?w=100" alt="">\n'
const signed = `<p>Été</p>\n<img src="${expectedUrl('/demo/width/100/format:auto/photos/%C3%A9t%C3%A9.jpg', SECRET)}" alt="">\n`

const BOM_UTF8 = Buffer.from([0xef, 0xbb, 0xbf])
const BOM_UTF16LE = Buffer.from([0xff, 0xfe])
const BOM_UTF16BE = Buffer.from([0xfe, 0xff])

const utf16le = (text: string) => Buffer.from(text, 'utf16le')
const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16()

describe('encodings', () => {
  it.each([
    ['UTF-16LE', BOM_UTF16LE, utf16le],
    ['UTF-16BE', BOM_UTF16BE, utf16be],
    ['UTF-8 with a byte order mark', BOM_UTF8, (text: string) => Buffer.from(text, 'utf8')]
  ])('reads %s and writes it back the same way, byte order mark included', async (_name, bom, encode) => {
    const dir = site({ 'page.html': Buffer.concat([bom, encode(PAGE)]) })
    const result = await runCli(['rewrite', 'site'], { cwd: dir })
    expect(result.stderr).toBe('')
    expect(result.stdout).toMatch(/^imageboss rewrite: 1 file, 1 rewritten, 1 reference, 0 errors in /)
    expect(result.code).toBe(0)
    expect(readFileSync(path.join(dir, 'site/page.html')).equals(Buffer.concat([bom, encode(signed)]))).toBe(true)
    const verify = await runCli(['verify', 'site'], { cwd: dir })
    expect(verify.stdout).toMatch(/^imageboss verify: 1 file, 1 URL checked, 0 findings in /)
    expect(verify.code).toBe(0)
  })

  it('reads a large UTF-16 file in chunks, a reference in every chunk', async () => {
    const block = (i: number) => `<div><h2>Part ${i} été</h2><img src="imageboss:/p/${i}.jpg?w=100"><p>${'Lorem ipsum '.repeat(40)}</p></div>\n`
    const count = Math.ceil((3 * CHUNK_SIZE) / block(0).length)
    const blocks = Array.from({ length: count }, (_, i) => block(i))
    const dir = site({ 'big.html': Buffer.concat([BOM_UTF16BE, utf16be(`<!DOCTYPE html><body>\n${blocks.join('')}</body>\n`)]) })
    const result = await runCli(['rewrite', 'site'], { cwd: dir })
    expect(result.stdout).toMatch(new RegExp(`^imageboss rewrite: 1 file, 1 rewritten, ${count} references, 0 errors in `))
    const written = readFileSync(path.join(dir, 'site/big.html'))
    expect(written.subarray(0, 2).equals(BOM_UTF16BE)).toBe(true)
    const text = Buffer.from(written.subarray(2)).swap16().toString('utf16le')
    const expected = blocks.map((html, i) => html.replace(`imageboss:/p/${i}.jpg?w=100`, expectedUrl(`/demo/width/100/format:auto/p/${i}.jpg`, SECRET)))
    expect(text).toBe(`<!DOCTYPE html><body>\n${expected.join('')}</body>\n`)
  })

  it.each([
    ['UTF-16 without a byte order mark', utf16le(PAGE), 'Unexpected UTF-16 text without a byte order mark'],
    [
      'UTF-16 that is not valid (a lone surrogate)',
      Buffer.concat([BOM_UTF16LE, utf16le(PAGE), Buffer.from([0x00, 0xd8, 0x41, 0x00])]),
      'Unexpected bytes that are not valid UTF-16LE'
    ],
    ['Latin-1', Buffer.from('<img src="imageboss:/caf\xe9.jpg">', 'latin1'), 'Unexpected bytes that are not UTF-8']
  ])('reports %s holding a reference as unsupported-encoding, leaves it, and verify fails on it', async (_name, bytes, message) => {
    const dir = site({ 'page.html': bytes, 'ok.html': '<p>nothing</p>' })
    const result = await runCli(['rewrite', 'site'], { cwd: dir })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(`site/page.html:1:1: unsupported-encoding: ${message}`)
    expect(result.stdout).toMatch(/^imageboss rewrite: 2 files, 0 rewritten, 0 references, 1 error, 1 skipped \(1 unsupported encoding\) in /)
    expect(readFileSync(path.join(dir, 'site/page.html')).equals(bytes)).toBe(true)

    const verify = await runCli(['verify', '--json', 'site'], { cwd: dir })
    expect(verify.code).toBe(1)
    const report = JSON.parse(verify.stdout) as { findings: Array<{ file: string; rule: string }>; skipped: unknown[] }
    expect(report.findings).toEqual([expect.objectContaining({ file: 'site/page.html', rule: 'unsupported-encoding' })])
    expect(report.skipped).toEqual([{ file: 'site/page.html', reason: 'unsupported encoding' }])
  })

  it('leaves a file in another encoding alone when it holds nothing to sign or check', async () => {
    const dir = site({ 'latin1.html': Buffer.from('<p>caf\xe9</p>', 'latin1'), 'utf16.css': Buffer.concat([BOM_UTF16LE, utf16le('.a{color:red}')]) })
    const result = await runCli(['rewrite', 'site'], { cwd: dir })
    expect(result.stdout).toMatch(/^imageboss rewrite: 2 files, 0 rewritten, 0 references, 0 errors in /)
    expect(result.code).toBe(0)
  })
})

describe('symbolic links', () => {
  it('are not followed, and are said: on stderr with a rule id, and counted as skipped; the exit code is unchanged', async () => {
    const dir = site({ 'index.html': '<img src="imageboss:/a.jpg?w=10">' })
    writeFileSync(path.join(dir, 'outside.html'), '<img src="imageboss:/outside.jpg">')
    mkdirSync(path.join(dir, 'shared'))
    writeFileSync(path.join(dir, 'shared/page.html'), '<img src="imageboss:/shared.jpg">')
    symlinkSync('../outside.html', path.join(dir, 'site/linked.html'))
    symlinkSync('../shared', path.join(dir, 'site/shared'))
    symlinkSync('../nowhere.html', path.join(dir, 'site/broken.html'))
    symlinkSync('../outside.html', path.join(dir, 'site/linked.png'))

    const result = await runCli(['rewrite', 'site'], { cwd: dir })
    expect(result.code).toBe(0)
    expect(result.stderr.split('\n').filter(Boolean).sort()).toEqual([
      expect.stringMatching(
        /^site\/broken\.html:1:1: symbolic-link: Unexpected symbolic link to `\.\.\/nowhere\.html`, not followed: the file it points to is neither rewritten nor checked through it; /
      ),
      expect.stringMatching(/^site\/linked\.html:1:1: symbolic-link: Unexpected symbolic link to `\.\.\/outside\.html`, not followed/),
      expect.stringMatching(
        /^site\/shared:1:1: symbolic-link: Unexpected symbolic link to `\.\.\/shared`, not followed: the files of the directory it points to are neither rewritten nor checked/
      )
    ])
    expect(result.stdout).toMatch(/^imageboss rewrite: 4 files, 1 rewritten, 1 reference, 0 errors, 3 skipped \(3 symbolic links\) in /)
    expect(readFileSync(path.join(dir, 'outside.html'), 'utf8')).toBe('<img src="imageboss:/outside.jpg">')
    expect(readFileSync(path.join(dir, 'shared/page.html'), 'utf8')).toBe('<img src="imageboss:/shared.jpg">')

    const verify = await runCli(['verify', '--json', 'site'], { cwd: dir })
    expect(verify.code).toBe(0)
    expect(verify.stderr).toContain('site/linked.html:1:1: symbolic-link: ')
    expect(JSON.parse(verify.stdout)).toMatchObject({
      files: 4,
      findings: [],
      skipped: [{ file: 'site/broken.html' }, { file: 'site/linked.html' }, { file: 'site/shared' }]
    })
  })
})

describe('the summary line', () => {
  it('counts skipped files by reason', async () => {
    const dir = site({
      'a.html': '<img src="imageboss:/a.jpg?w=10">',
      'large.html': `<img src="imageboss:/large.jpg?w=10">${' '.repeat(2000)}`,
      'utf16.html': utf16le('<img src="imageboss:/u.jpg">')
    })
    symlinkSync('a.html', path.join(dir, 'site/b.html'))
    const result = await runCli(['rewrite', '--max-file-size', '1kb', 'site'], { cwd: dir })
    expect(result.stdout).toMatch(
      /^imageboss rewrite: 4 files, 1 rewritten, 1 reference, 2 errors, 3 skipped \(1 symbolic link, 1 too large, 1 unsupported encoding\) in /
    )
    expect(result.code).toBe(1)
    const verify = await runCli(['verify', '--max-file-size', '1kb', 'site'], { cwd: dir })
    expect(verify.stdout).toMatch(
      /imageboss verify: 4 files, 1 URL checked, 2 findings, 3 skipped \(1 symbolic link, 1 too large, 1 unsupported encoding\) in /
    )
    expect(verify.code).toBe(1)
  })
})

describe('files that cannot be read', () => {
  it('make verify fail: it could not check them', () => {
    const dir = site({ 'locked.html': '<p>a page</p>', 'ok.html': '<p>ok</p>' })
    const locked = path.join(dir, 'site/locked.html')
    chmodSync(locked, 0o000)
    onTestFinished(() => chmodSync(locked, 0o644))
    // Root reads any file through CAP_DAC_OVERRIDE: drop it (util-linux `setpriv`), in a child process.
    const wrapper =
      process.getuid?.() === 0 ? ['setpriv', '--bounding-set=-dac_override,-dac_read_search', '--inh-caps=-dac_override,-dac_read_search', '--'] : []
    const result = cli(['verify', 'site'], { cwd: dir, wrapper })
    expect(result.stdout).toMatch(/^site\/locked\.html:1:1: read-error: Unexpected error reading the file \(EACCES\)\n/)
    expect(result.stdout).toMatch(/imageboss verify: 2 files, 0 URLs checked, 1 finding, 1 skipped \(1 unreadable\) in /)
    expect(result.code).toBe(1)
  })
})

describe('files removed or changed during a run', () => {
  const settings = (cwd: string) => withImageBossEnv(cliVars(), () => loadSettings({ root: cwd, production: true, secretOption: false }, () => undefined))
  const options = { command: 'rewrite', dryRun: false, maxFileSize: Infinity, chunkSize: CHUNK_SIZE, reclaimEarly: false } as const

  it('a file removed after it was listed is skipped, not recreated, and said so', async () => {
    const dir = site({})
    const report = await processFile('site/gone.html', await settings(dir), options, new Interrupt())
    expect(report).toEqual({ file: 'site/gone.html', count: 0, changed: false, reports: [], failed: false, skipped: 'removed during the run' })
  })

  it('is not recreated by the rename of its new content, nor overwritten if it changed meanwhile', async () => {
    const dir = site({ 'a.html': 'old', 'b.html': 'old' })
    const interrupt = new Interrupt()
    for (const [name, meanwhile, expected] of [
      ['a.html', (file: string) => unlinkSync(file), 'removed'],
      ['b.html', (file: string) => writeFileSync(file, 'newer content'), 'changed']
    ] as const) {
      const file = path.join(dir, 'site', name)
      const temp = await TempFile.create(file, await stat(file), interrupt.nextNumber())
      await temp.write(Buffer.from('rewritten'))
      meanwhile(file)
      expect(await temp.commit()).toBe(expected)
    }
    expect(readdirSync(path.join(dir, 'site'))).toEqual(['b.html'])
    expect(readFileSync(path.join(dir, 'site/b.html'), 'utf8')).toBe('newer content')
  })
})
