// Builds without the secret: `enabled: false` (or `IMAGEBOSS_ENABLED=false`) writes every URL
// unsigned, reads no secret, says so once, and the output check accepts what it wrote.
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ImageBossError } from '../../src/core/errors.js'
import { createOutputCheck } from '../../src/core/output/index.js'
import { loadProject } from '../../src/core/project.js'
import { createImageBoss } from '../../src/index.js'
import { runCli, site, tempDir } from '../cli/run.js'
import { expectedUrl } from '../helpers/expected.js'

const SECRET = 'enabled-switch-secret-0123456789'
/** A project folder with no config file. */
function folder(): string {
  const dir = tempDir()
  writeFileSync(path.join(dir, 'package.json'), '{}')
  return dir
}

describe('enabled: false', () => {
  it('writes unsigned URLs in production with no secret, and says so once per configuration', async () => {
    const warnings: ImageBossError[] = []
    const project = await loadProject({
      root: folder(),
      options: { source: 's', enabled: false, env: {} },
      production: true,
      onWarning: (w) => warnings.push(w)
    })
    expect(project.imageboss.url('imageboss:/a.jpg?w=10')).toBe(expectedUrl('/s/width/10/format:auto/a.jpg'))
    expect(project.createImageBoss().url('imageboss:/b.jpg')).toBe(expectedUrl('/s/cdn/format:auto/b.jpg'))
    expect(warnings.map((w) => w.ruleId)).toEqual(['signing-disabled'])
    expect(warnings[0]?.reason).toContain('never deploy this build')
  })

  it('writes no token even when a secret is set: the switch is what the build says it is', () => {
    const warnings: string[] = []
    const boss = createImageBoss({ source: 's', secret: SECRET, enabled: false, env: {}, onWarning: (w) => warnings.push(w.ruleId) })
    expect(boss.url('imageboss:/a.jpg')).toBe(expectedUrl('/s/cdn/format:auto/a.jpg'))
    expect(warnings).toEqual(['signing-disabled'])
  })

  it('is turned on by `IMAGEBOSS_ENABLED=false` too, and a value that is neither `true` nor `false` is a mistake', () => {
    const warnings: string[] = []
    const boss = createImageBoss({ source: 's', env: { IMAGEBOSS_ENABLED: 'false' }, production: true, onWarning: (w) => warnings.push(w.ruleId) })
    expect(boss.url('imageboss:/a.jpg')).toBe(expectedUrl('/s/cdn/format:auto/a.jpg'))
    expect(warnings).toEqual(['signing-disabled'])
    expect(createImageBoss({ source: 's', secret: SECRET, env: { IMAGEBOSS_ENABLED: 'true' } }).url('imageboss:/a.jpg')).toBe(
      expectedUrl('/s/cdn/format:auto/a.jpg', SECRET)
    )
    expect(() => createImageBoss({ source: 's', env: { IMAGEBOSS_ENABLED: '0' } })).toThrow(/`IMAGEBOSS_ENABLED`, expected `true` or `false`/)
    // The option wins over the variable.
    expect(createImageBoss({ source: 's', secret: SECRET, enabled: true, env: { IMAGEBOSS_ENABLED: 'false' } }).url('imageboss:/a.jpg')).toBe(
      expectedUrl('/s/cdn/format:auto/a.jpg', SECRET)
    )
  })

  it('lets the output check accept the unsigned URLs it made, and nothing else changes', async () => {
    const off = await loadProject({ root: folder(), options: { source: 's', enabled: false, env: {} }, onWarning: () => undefined })
    const on = await loadProject({ root: folder(), options: { source: 's', secret: SECRET, env: {} }, onWarning: () => undefined })
    const page = (url: string) => Buffer.from(`<img src="${url}"><p>imageboss:/left.jpg</p>`)
    const unsigned = expectedUrl('/s/cdn/format:auto/a.jpg')
    const rules = (keys: typeof off.keys) =>
      createOutputCheck(keys)
        .check({ name: 'a.html', bytes: page(unsigned), served: true })
        .map((p) => p.ruleId)
    expect(rules(off.keys)).toEqual(['leftover-reference'])
    expect(rules(on.keys)).toEqual(['unsigned-url', 'leftover-reference'])
  })

  it('lets the CLI rewrite and verify a site with no secret, saying so once', async () => {
    const dir = site({ 'index.html': '<img src="imageboss:/a.jpg?w=10"><img src="imageboss:/b.jpg?w=20">\n' })
    for (const command of ['rewrite', 'verify']) {
      const result = await runCli([command, '--threads', '1', 'site'], { cwd: dir, vars: { IMAGEBOSS_SOURCE: 's', IMAGEBOSS_ENABLED: 'false' } })
      expect(result.code, result.stderr).toBe(0)
      expect(result.stderr.match(/signing-disabled/g)?.length, result.stderr).toBe(1)
    }
    expect(readFileSync(path.join(dir, 'site/index.html'), 'utf8')).toBe(
      `<img src="${expectedUrl('/s/width/10/format:auto/a.jpg')}"><img src="${expectedUrl('/s/width/20/format:auto/b.jpg')}">\n`
    )
  })
})
