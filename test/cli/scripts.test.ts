import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { expectedUrl } from '../helpers/expected.js'
import { cli, SECRET, tempDir } from './run.js'

describe('imageboss rewrite: scripts', () => {
  it('signs whole references as the Vite plugin does, and leaves what the code signs when it runs', () => {
    const dir = tempDir()
    mkdirSync(path.join(dir, 'site'))
    const js = [
      "import boss from './boss.js'",
      "export const now = 'imageboss:/now.jpg?w=10'",
      "export const later = (w) => boss.url('imageboss:/later.jpg?w=' + w)",
      "export const known = boss.resolve('imageboss:/known.jpg?w=20')",
      "export const keys = { 'imageboss:/key.jpg': 1 }",
      ''
    ].join('\n')
    writeFileSync(path.join(dir, 'site/app.js'), js)
    const result = cli(['rewrite', 'site'], { cwd: dir })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(readFileSync(path.join(dir, 'site/app.js'), 'utf8')).toBe(
      js.replace('imageboss:/now.jpg?w=10', expectedUrl('/demo/width/10/format:auto/now.jpg', SECRET))
    )
  })
})
