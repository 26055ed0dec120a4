import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { expectedUrl } from '../helpers/expected.js'
import { runCli, SECRET, tempDir } from './run.js'

describe('imageboss rewrite: scripts', () => {
  it('signs whole references as the Vite plugin does, and leaves what this package signs when the code runs', async () => {
    const dir = tempDir()
    mkdirSync(path.join(dir, 'site'))
    const js = [
      "import { createImageBoss } from 'imageboss-build'",
      'const boss = createImageBoss()',
      "export const now = 'imageboss:/now.jpg?w=10'",
      "export const later = (w) => boss.url('imageboss:/later.jpg?w=' + w)",
      "export const known = boss.resolve('imageboss:/known.jpg?w=20')",
      "export const keys = { 'imageboss:/key.jpg': 1 }",
      "export const other = someOtherObject.url('imageboss:/other.jpg?w=30')",
      ''
    ].join('\n')
    writeFileSync(path.join(dir, 'site/app.js'), js)
    const result = await runCli(['rewrite', 'site'], { cwd: dir })
    // What is left for the code to sign at run time is still a reference in a file of the site:
    // the output check that ends the rewrite names each one (a site's scripts reach browsers).
    expect(
      result.stderr
        .trim()
        .split('\n')
        .map((line) => line.split(': ')[0] + ' ' + line.split(': ')[1])
    ).toEqual(['site/app.js:4:39 leftover-reference', 'site/app.js:5:36 leftover-reference', 'site/app.js:6:24 leftover-reference'])
    expect(result.code).toBe(1)
    expect(readFileSync(path.join(dir, 'site/app.js'), 'utf8')).toBe(
      js
        .replace('imageboss:/now.jpg?w=10', expectedUrl('/demo/width/10/format:auto/now.jpg', SECRET))
        // Any other `.url()` is code like any other: its argument is a reference to sign.
        .replace('imageboss:/other.jpg?w=30', expectedUrl('/demo/width/30/format:auto/other.jpg', SECRET))
    )
  })

  it('reports `boss.url()` of an object it cannot trace to this package like any other code', async () => {
    const dir = tempDir()
    mkdirSync(path.join(dir, 'site'))
    const js = "import boss from './boss.js'\nexport const later = (w) => boss.url('imageboss:/later.jpg?w=' + w)\n"
    writeFileSync(path.join(dir, 'site/app.js'), js)
    const result = await runCli(['rewrite', 'site'], { cwd: dir })
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^site\/app\.js:2:38: dynamic-reference: /)
    expect(readFileSync(path.join(dir, 'site/app.js'), 'utf8')).toBe(js)
  })
})
