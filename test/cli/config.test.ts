import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { build } from 'vite'
import { describe, expect, it } from 'vitest'
import imageboss from 'imageboss-build/vite'
import { expectedUrl } from '../helpers/expected.js'
import { cli, cliEnv, cliVars, runCli, tempDir } from './run.js'
import { withImageBossEnv } from '../helpers/scratch.js'

const vars = cliVars({ IMAGEBOSS_SOURCE: undefined, IMAGEBOSS_SECRET: 'from-env' })

describe('imageboss.config.{js,mjs,json}', () => {
  it('is found from the current directory up to the project root, the environment filling in the rest', async () => {
    const dir = tempDir()
    writeFileSync(path.join(dir, 'package.json'), '{}')
    writeFileSync(path.join(dir, 'imageboss.config.json'), JSON.stringify({ source: 'from-file', defaults: { format: 'webp', quality: 70 } }))
    mkdirSync(path.join(dir, 'sub'))
    const result = await runCli(['sign', 'imageboss:/a.jpg?w=10'], { cwd: path.join(dir, 'sub'), vars })
    expect(result.stderr).toBe('')
    expect(result.stdout.trim()).toBe(expectedUrl('/from-file/width/10/format:webp,quality:70/a.jpg', 'from-env'))
  })

  it('--config loads a module (default export, maybe a function); flags win over the file', async () => {
    const dir = tempDir()
    writeFileSync(
      path.join(dir, 'custom.mjs'),
      "export default () => ({ source: 'from-module', presets: { thumb: { w: 200, h: 200, mode: 'face' } }, sources: { open: { signed: false } } })\n"
    )
    const result = await runCli(['sign', '--config', 'custom.mjs', 'imageboss:/a.jpg?preset=thumb', 'imageboss://open/b.jpg'], { cwd: dir, vars })
    expect(result.stderr).toBe('')
    expect(result.stdout).toBe(
      expectedUrl('/from-module/cover:face/200x200/format:auto/a.jpg', 'from-env') + '\n' + expectedUrl('/open/cdn/format:auto/b.jpg') + '\n'
    )
    const flagged = await runCli(['sign', '--config', 'custom.mjs', '--source', 'flag', '--base-url', 'https://images.example.com/', 'imageboss:/a.jpg'], {
      cwd: dir,
      vars
    })
    expect(flagged.stdout.trim()).toBe(expectedUrl('/flag/cdn/format:auto/a.jpg', 'from-env', 'https://images.example.com'))
  })

  it('reports mistakes with exit code 2 and the rule id, never quoting the file (or a secret in it)', async () => {
    const dir = tempDir()
    writeFileSync(path.join(dir, 'package.json'), '{}')
    writeFileSync(path.join(dir, 'imageboss.config.json'), '{\n  "source": "s",\n  "secret": "do-not-print-me"\n  "defaults": {}\n}\n')
    const invalid = await runCli(['sign', 'imageboss:/a.jpg'], { cwd: dir, vars })
    expect(invalid.code).toBe(2)
    expect(invalid.stderr).toMatch(
      /^imageboss: invalid-option: Unexpected invalid JSON in `.*imageboss\.config\.json` at 4:3, expected an object of options\n$/
    )
    expect(invalid.stderr).not.toContain('do-not-print-me')

    writeFileSync(path.join(dir, 'imageboss.config.json'), '{ "sorce": "s" }')
    const unknown = await runCli(['sign', 'imageboss:/a.jpg'], { cwd: dir, vars })
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toBe('imageboss: invalid-option: Unexpected option `sorce` for `imageboss.config.json`, expected a known option such as `source`\n')

    writeFileSync(path.join(dir, 'imageboss.config.json'), '{ "defaults": { "quality": 0 } }')
    expect((await runCli(['sign', 'imageboss:/a.jpg'], { cwd: dir, vars })).stderr).toMatch(
      /^imageboss: invalid-option: Unexpected value `0` for `quality` in `defaults`/
    )
  })

  it('is read by the Vite plugin too (test/config/ tests every entry point)', async () => {
    const root = tempDir()
    writeFileSync(path.join(root, 'package.json'), '{}')
    writeFileSync(path.join(root, 'imageboss.config.mjs'), "export default { source: 'vite-file', defaults: {} }\n")
    writeFileSync(path.join(root, 'index.html'), '<img src="imageboss:/a.jpg?w=40">\n')
    await withImageBossEnv({ IMAGEBOSS_SECRET: 'env-secret' }, () =>
      build({ root, configFile: false, logLevel: 'silent', plugins: [imageboss()], build: { outDir: 'dist' } })
    )
    expect(readFileSync(path.join(root, 'dist/index.html'), 'utf8')).toContain(`<img src="${expectedUrl('/vite-file/width/40/a.jpg', 'env-secret')}">`)
  })

  it('takes the flags alone when there is no file', async () => {
    const dir = tempDir()
    writeFileSync(path.join(dir, 'package.json'), '{}')
    const result = await runCli(['sign', '--source', 'flag', 'imageboss:/a.jpg?w=10'], { cwd: dir, vars })
    expect(result.stdout.trim()).toBe(expectedUrl('/flag/width/10/format:auto/a.jpg', 'from-env'))
  })

  it('refuses a secret in the file (found or named by --config), exit code 2, never printing it', async () => {
    const dir = tempDir()
    writeFileSync(path.join(dir, 'package.json'), '{}')
    writeFileSync(path.join(dir, 'imageboss.config.json'), JSON.stringify({ source: 's', secret: 'do-not-print-me' }))
    writeFileSync(path.join(dir, 'named.mjs'), "export default { sources: { blog: { secret: 'do-not-print-me' } } }\n")
    const found = cli(['sign', 'imageboss:/a.jpg'], { cwd: dir, env: cliEnv() })
    expect(found.code).toBe(2)
    expect(found.stderr).toBe(
      'imageboss: invalid-option: Unexpected `secret` in `imageboss.config.json`, expected the secret in the `IMAGEBOSS_SECRET` variable: a config file is part of the project, and secrets stay out of it\n'
    )
    const named = cli(['sign', '--config', 'named.mjs', 'imageboss:/a.jpg'], { cwd: dir, env: cliEnv() })
    expect(named.code).toBe(2)
    expect(named.stderr).toBe(
      "imageboss: invalid-option: Unexpected `sources['blog'].secret` in `named.mjs`, expected the secret in the `IMAGEBOSS_SECRET_BLOG` variable: a config file is part of the project, and secrets stay out of it\n"
    )
  })
})

describe('missing-secret from the CLI', () => {
  it('names the variables only: the CLI takes no secret option, and its config file holds none', () => {
    const dir = tempDir()
    writeFileSync(path.join(dir, 'package.json'), '{}')
    writeFileSync(path.join(dir, 'imageboss.config.json'), JSON.stringify({ source: 'site', sources: { 'blog-assets': {} } }))
    const up = cli(['sign', 'imageboss:/a.jpg'], { cwd: dir, env: cliEnv({ IMAGEBOSS_SOURCE: undefined, IMAGEBOSS_SECRET: undefined }) })
    expect(up.code).toBe(2)
    expect(up.stderr).toBe(
      'imageboss: missing-secret: Missing secret for source `site`, expected the `IMAGEBOSS_SECRET` variable (or `signed: false` for a source without signed URLs)\n'
    )
    const named = cli(['sign', 'imageboss://blog-assets/a.jpg'], { cwd: dir, env: cliEnv({ IMAGEBOSS_SECRET_BLOG_ASSETS: undefined }) })
    expect(named.code).toBe(1)
    expect(named.stderr).toBe(
      '<argument 1>:1:1: missing-secret: Missing secret for source `blog-assets`, expected the `IMAGEBOSS_SECRET_BLOG_ASSETS` variable (or `signed: false` for a source without signed URLs)\n'
    )
  })
})
