import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { expectedUrl } from '../helpers/expected.js'
import { cli, runCli, SECRET, site } from './run.js'

const GOOD = '<img src="imageboss:/ok.jpg?w=100">'
const goodUrl = expectedUrl('/demo/width/100/format:auto/ok.jpg', SECRET)

describe('imageboss rewrite: failures', () => {
  it('leaves a file with an invalid reference untouched, reports it at file:line:column, rewrites the others, exits 1', async () => {
    const bad = `<p>\n  <img src="imageboss:/a.jpg?w=10">\n  <img src="imageboss:/b.jpg?qualty=80">\n</p>\n`
    const dir = site({ 'a.html': GOOD, 'b.html': bad, 'c.js': "const x = 'imageboss:/c.jpg?w=' + size" })
    const result = await runCli(['rewrite', 'site'], { cwd: dir })
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      'site/b.html:3:30: unknown-parameter: Unexpected unknown parameter `qualty`, expected a known parameter such as `quality`\n' +
        "site/c.js:1:11: dynamic-reference: Unexpected dynamic reference, built at run time so it cannot be signed at build time; expected a whole reference in one string, such as a lookup object of full references (`{ small: 'imageboss:/a.jpg?w=400', large: 'imageboss:/a.jpg?w=800' }`)\n"
    )
    expect(result.stdout).toMatch(/3 files, 1 rewritten, 1 reference, 2 errors \(2 files left unchanged\)/)
    expect(readFileSync(path.join(dir, 'site/b.html'), 'utf8')).toBe(bad)
    expect(readFileSync(path.join(dir, 'site/a.html'), 'utf8')).toBe(`<img src="${goodUrl}">`)
  })

  it('reports JavaScript it cannot parse at its position and leaves it', async () => {
    const dir = site({ 'app.js': "const a = 'imageboss:/a.jpg'\nconst = 1\n" })
    const result = await runCli(['rewrite', 'site'], { cwd: dir })
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^site\/app\.js:2:7: syntax-error: Unexpected script that cannot be parsed \(Unexpected token\), expected JavaScript/)
  })

  it('reports a file that cannot be written, leaves it whole, and writes no temporary file (works as root)', async () => {
    // `chmod` does not stop root, so this uses what fails for every user: the temporary file
    // `.<name>.imageboss-tmp-<pid>-<n>` beside a file with a name of 250 bytes exceeds the
    // file-system limit of 255 (ENAMETOOLONG). The original is still readable.
    const long = 'x'.repeat(245) + '.html'
    const dir = site({ [long]: GOOD, 'ok.html': GOOD })
    const result = await runCli(['rewrite', 'site'], { cwd: dir })
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(`site/${long}:1:1: write-error: Unexpected error writing the file (ENAMETOOLONG), left unchanged\n`)
    expect(readFileSync(path.join(dir, 'site', long), 'utf8')).toBe(GOOD)
    expect(readFileSync(path.join(dir, 'site/ok.html'), 'utf8')).toBe(`<img src="${goodUrl}">`)
    expect(readdirSync(path.join(dir, 'site')).sort()).toEqual(['ok.html', long].sort())
  })

  it('reports a read-only file in a read-only directory (without the capability to override permissions when run as root)', () => {
    const dir = site({ 'locked/page.html': GOOD, 'ok.html': GOOD })
    const locked = path.join(dir, 'site/locked')
    chmodSync(path.join(locked, 'page.html'), 0o444)
    chmodSync(locked, 0o555)
    // Writable again afterwards, so that the scratch directory can be removed by any user.
    onTestFinished(() => chmodSync(locked, 0o755))
    // Root ignores permissions through CAP_DAC_OVERRIDE: drop it (util-linux `setpriv`), so
    // root meets the modes as any user does, while still owning (and reading) the tree.
    const asRoot = process.getuid?.() === 0
    const wrapper = asRoot ? ['setpriv', '--bounding-set=-dac_override,-dac_read_search', '--inh-caps=-dac_override,-dac_read_search', '--'] : []
    // A child process: the capabilities dropped are the process's.
    const result = cli(['rewrite', 'site'], { cwd: dir, wrapper })
    expect(result.stderr).toMatch(/^site\/locked\/page\.html:1:1: write-error: Unexpected error writing the file \(EACCES\), left unchanged\n$/)
    expect(result.code).toBe(1)
    expect(readFileSync(path.join(locked, 'page.html'), 'utf8')).toBe(GOOD)
    expect(readdirSync(locked)).toEqual(['page.html'])
    expect(readFileSync(path.join(dir, 'site/ok.html'), 'utf8')).toBe(`<img src="${goodUrl}">`)
  })

  it('reports a file that is not UTF-8 when it holds a reference', async () => {
    const dir = site({})
    writeFileSync(path.join(dir, 'site/latin1.html'), Buffer.from('<img src="imageboss:/caf\xe9.jpg">', 'latin1'))
    const result = await runCli(['rewrite', 'site'], { cwd: dir })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('site/latin1.html:1:1: unsupported-encoding: Unexpected bytes that are not UTF-8')
    expect(result.stdout).toMatch(/1 file, 0 rewritten, 0 references, 1 error, 1 skipped \(1 unsupported encoding\) in /)
    expect(readFileSync(path.join(dir, 'site/latin1.html'), 'latin1')).toBe('<img src="imageboss:/caf\xe9.jpg">')
  })
})
