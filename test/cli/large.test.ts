import { cpSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { expectedUrl } from '../helpers/expected.js'
import { cli, SECRET, snapshot, tempDir } from './run.js'

// The 5,000-file timing is `node bench/cli.js` (bench/RESULTS.md); this checks the threaded
// path gives the same bytes as the single-threaded one on a site above the thread threshold.
function generate(dir: string, count: number): void {
  for (let i = 0; i < count; i++) {
    const section = path.join(dir, `s${i % 20}`)
    mkdirSync(section, { recursive: true })
    if (i % 10 < 7) {
      writeFileSync(
        path.join(section, `p${i}.html`),
        `<!DOCTYPE html><html><head><meta property="og:image" content="imageboss:/p/${i}.jpg?w=1200&amp;h=630"></head>\n<body>\n<img src="imageboss:/p/${i}/hero.jpg?w=960&amp;srcset=auto" alt="">\n</body></html>\n`
      )
    } else if (i % 10 < 9) {
      writeFileSync(path.join(section, `c${i}.css`), `.a{background:url(imageboss:/c/${i}.jpg?w=800)}\n`)
    } else {
      writeFileSync(path.join(section, `d${i}.json`), JSON.stringify({ image: `imageboss:/d/${i}.jpg?w=640` }))
    }
  }
}

describe('a generated site above the thread threshold', () => {
  it('is rewritten and verified the same by worker threads and by one thread', () => {
    const dir = tempDir()
    generate(path.join(dir, 'one'), 600)
    cpSync(path.join(dir, 'one'), path.join(dir, 'many'), { recursive: true })

    const single = cli(['rewrite', '--threads', '1', 'one'], { cwd: dir })
    expect(single.stdout).toMatch(/^imageboss rewrite: 600 files, 600 rewritten, 1020 references, 0 errors in \d+\.\d\ds\n$/)
    const threaded = cli(['rewrite', '--threads', '2', 'many'], { cwd: dir })
    expect(threaded.stdout).toMatch(/^imageboss rewrite: 600 files, 600 rewritten, 1020 references, 0 errors in \d+\.\d\ds \(2 threads\)\n$/)
    expect(threaded.code).toBe(0)
    expect(snapshot(path.join(dir, 'many'))).toEqual(snapshot(path.join(dir, 'one')))
    expect(snapshot(path.join(dir, 'one')).get('s3/p3.html')).toContain(`content="${expectedUrl('/demo/cover/1200x630/format:auto/p/3.jpg', SECRET)}"`)

    const verify = cli(['verify', '--threads', '2', 'many'], { cwd: dir })
    expect(verify.stdout).toMatch(/^imageboss verify: 600 files, \d+ URLs checked, 0 findings in .* \(2 threads\)\n$/)
    expect(verify.code).toBe(0)

    // A finding in one worker's batch is reported like any other.
    writeFileSync(path.join(dir, 'many/s19/p599.html'), '<p>\n<img src="imageboss:/left.jpg">\n</p>\n')
    const found = cli(['verify', '--threads', '2', '--json', 'many'], { cwd: dir })
    expect(found.code).toBe(1)
    expect((JSON.parse(found.stdout) as { findings: unknown[] }).findings).toEqual([
      expect.objectContaining({ file: 'many/s19/p599.html', line: 2, column: 11, rule: 'leftover-reference', value: 'imageboss:/left.jpg' })
    ])
  })
})
