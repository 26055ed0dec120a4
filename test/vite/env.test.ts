import { build } from 'vite'
import { describe, expect, it } from 'vitest'
import imageboss from 'imageboss-build/vite'
import { noImageBossEnv, outputFiles, signedUrl, tempProject, withEnv } from './helpers.js'

const PAGE = '<!doctype html><img src="imageboss:/env.jpg?w=100">\n'

async function buildPage(root: string, extra: Record<string, unknown> = {}) {
  const files = outputFiles(await build({ root, configFile: false, logLevel: 'silent', plugins: [imageboss()], build: { write: false }, ...extra }))
  return files.find((f) => f.fileName === 'index.html')?.text ?? ''
}

async function buildFailure(root: string, extra: Record<string, unknown> = {}): Promise<Error> {
  try {
    await buildPage(root, extra)
  } catch (error) {
    return error as Error
  }
  throw new Error('Expected the build to fail')
}

describe('.env files', () => {
  it('signs with IMAGEBOSS_SOURCE and IMAGEBOSS_SECRET from `.env`', async () => {
    const root = await tempProject({ 'index.html': PAGE, '.env': 'IMAGEBOSS_SOURCE=env-source\nIMAGEBOSS_SECRET=env-file-secret\n' })
    const html = await withEnv(noImageBossEnv(), () => buildPage(root))
    expect(html).toContain(signedUrl('/env-source/width/100/format:auto/env.jpg', 'env-file-secret'))
    expect(html).not.toContain('env-file-secret')
  })

  it('lets process.env win over `.env`', async () => {
    const root = await tempProject({ 'index.html': PAGE, '.env': 'IMAGEBOSS_SOURCE=env-source\nIMAGEBOSS_SECRET=env-file-secret\n' })
    const before = process.env.IMAGEBOSS_SECRET
    const html = await withEnv({ ...noImageBossEnv(), IMAGEBOSS_SECRET: 'process-secret' }, () => buildPage(root))
    expect(html).toContain(signedUrl('/env-source/width/100/format:auto/env.jpg', 'process-secret'))
    expect(process.env.IMAGEBOSS_SECRET).toBe(before)
  })

  it('reads `.env.[mode]` from `envDir`', async () => {
    const root = await tempProject({ 'index.html': PAGE, 'config/.env.staging': 'IMAGEBOSS_SOURCE=staging\nIMAGEBOSS_SECRET=staging-secret\n' })
    const html = await withEnv(noImageBossEnv(), () => buildPage(root, { mode: 'staging', envDir: `${root}/config` }))
    expect(html).toContain(signedUrl('/staging/width/100/format:auto/env.jpg', 'staging-secret'))
  })

  it('refuses a `$` that Vite would expand in a secret, naming the file and line, never the value', async () => {
    const root = await tempProject({ 'index.html': PAGE, '.env': '# the CDN secret\nIMAGEBOSS_SOURCE=env-source\nIMAGEBOSS_SECRET=Abc$Def9Ghi\n' })
    const error = await withEnv(noImageBossEnv(), () => buildFailure(root))
    expect(error.message).toContain('expanded-variable')
    expect(error.message).toContain('`IMAGEBOSS_SECRET` (')
    expect(error.message).toMatch(/\.env:3\)/)
    expect(error.message).not.toContain('Def9Ghi')
  })

  it('signs with the exact secret when its `$` is written `\\$`', async () => {
    const root = await tempProject({ 'index.html': PAGE, '.env': 'IMAGEBOSS_SOURCE=env-source\nIMAGEBOSS_SECRET=Abc\\$Def9Ghi\n' })
    const html = await withEnv(noImageBossEnv(), () => buildPage(root))
    expect(html).toContain(signedUrl('/env-source/width/100/format:auto/env.jpg', 'Abc$Def9Ghi'))
  })

  it('refuses an unquoted `#` in a secret, which the loader reads as a comment, naming the file and line, never the value', async () => {
    const root = await tempProject({ 'index.html': PAGE, '.env': '# the CDN\nIMAGEBOSS_SOURCE=env-source\n\nIMAGEBOSS_SECRET=abc#def9ghi\n' })
    const error = await withEnv(noImageBossEnv(), () => buildFailure(root))
    expect(error.message).toContain('changed-variable')
    expect(error.message).toContain('Unexpected unquoted `#` in `IMAGEBOSS_SECRET` (')
    expect(error.message).toMatch(/\.env:4\)/)
    expect(error.message).toContain('double quotes')
    expect(error.message).not.toContain('def9ghi')
  })

  it('refuses the `#` of a comment after an unquoted value, and the other syntax loaders cut or read two ways, at the winning file', async () => {
    const cases: Array<[string, RegExp]> = [
      ['IMAGEBOSS_SECRET=abc9 #def9ghi\n', /unquoted `#` in `IMAGEBOSS_SECRET` \(.*\.env\.production:2\)/],
      ['IMAGEBOSS_SECRET="abc9def9ghi\n', /unclosed quote in `IMAGEBOSS_SECRET` \(.*\.env\.production:2\)/],
      ['IMAGEBOSS_SECRET="abc9"def9ghi"\n', /text after the closing quote in `IMAGEBOSS_SECRET` \(.*\.env\.production:2\)/],
      ['IMAGEBOSS_SECRET="abc9\\"def9ghi"\n', /text after the closing quote in `IMAGEBOSS_SECRET` \(.*\.env\.production:2\)/],
      ['IMAGEBOSS_SECRET="abc9\\ndef9ghi"\n', /backslash escape in double quotes in `IMAGEBOSS_SECRET` \(.*\.env\.production:2\)/],
      ['IMAGEBOSS_SOURCE=env#source\n', /unquoted `#` in `IMAGEBOSS_SOURCE` \(.*\.env\.production:2\)/]
    ]
    for (const [line, expected] of cases) {
      // `.env` holds a good value; `.env.production`, read later, wins and is the one checked.
      const root = await tempProject({
        'index.html': PAGE,
        '.env': 'IMAGEBOSS_SOURCE=env-source\nIMAGEBOSS_SECRET=good-secret\n',
        '.env.production': '# production\n' + line
      })
      const error = await withEnv(noImageBossEnv(), () => buildFailure(root))
      expect(error.message, line).toContain('changed-variable')
      expect(error.message, line).toMatch(expected)
      expect(error.message, line).not.toContain('def9ghi')
    }
  })

  it('signs with exactly `abc#def` when the value is quoted, a comment after it', async () => {
    for (const written of ['"abc#def"', "'abc#def'", '"abc#def" # the CDN secret']) {
      const root = await tempProject({ 'index.html': PAGE, '.env': `IMAGEBOSS_SOURCE="env-source"\nIMAGEBOSS_SECRET=${written}\n` })
      const html = await withEnv(noImageBossEnv(), () => buildPage(root))
      expect(html, written).toContain(signedUrl('/env-source/width/100/format:auto/env.jpg', 'abc#def'))
      expect(html, written).not.toContain(signedUrl('/env-source/width/100/format:auto/env.jpg', 'abc'))
    }
  })

  it('leaves a `#` in a `.env` value alone when the environment sets the variable, which wins', async () => {
    const root = await tempProject({ 'index.html': PAGE, '.env': 'IMAGEBOSS_SOURCE=env-source\nIMAGEBOSS_SECRET=abc#def\n' })
    const html = await withEnv({ ...noImageBossEnv(), IMAGEBOSS_SECRET: 'from#environment' }, () => buildPage(root))
    expect(html).toContain(signedUrl('/env-source/width/100/format:auto/env.jpg', 'from#environment'))
  })

  it('fails a production build without a secret (`missing-secret`)', async () => {
    const root = await tempProject({ 'index.html': PAGE, '.env': 'IMAGEBOSS_SOURCE=env-source\n' })
    const error = await withEnv(noImageBossEnv(), () => buildFailure(root))
    expect(error.message).toContain('missing-secret')
  })
})

describe('exposed secrets', () => {
  it('fails when `.env` holds `VITE_IMAGEBOSS_SECRET`, without printing it', async () => {
    const root = await tempProject({ 'index.html': PAGE, '.env': 'IMAGEBOSS_SOURCE=s\nVITE_IMAGEBOSS_SECRET=leaky-secret-3141\n' })
    const error = await withEnv(noImageBossEnv(), () => buildFailure(root))
    expect(error.message).toContain('exposed-secret')
    expect(error.message).toContain('VITE_IMAGEBOSS_SECRET')
    expect(error.message).not.toContain('leaky-secret-3141')
  })

  it('fails when a client variable holds the configured secret under another name', async () => {
    const root = await tempProject({ 'index.html': PAGE, '.env': 'IMAGEBOSS_SOURCE=s\nIMAGEBOSS_SECRET=shared-value-2718\nVITE_API_TOKEN=shared-value-2718\n' })
    const error = await withEnv(noImageBossEnv(), () => buildFailure(root))
    expect(error.message).toContain('exposed-secret')
    expect(error.message).toContain('VITE_API_TOKEN')
    expect(error.message).not.toContain('shared-value-2718')
  })

  it('fails for `PUBLIC_` variables too', async () => {
    const root = await tempProject({ 'index.html': PAGE, '.env': 'IMAGEBOSS_SOURCE=s\nPUBLIC_IMAGEBOSS_SECRET=public-secret-1618\n' })
    const error = await withEnv(noImageBossEnv(), () => buildFailure(root))
    expect(error.message).toContain('exposed-secret')
    expect(error.message).not.toContain('public-secret-1618')
  })

  it('fails when `envPrefix` exposes `IMAGEBOSS_` variables', async () => {
    const root = await tempProject({ 'index.html': PAGE, '.env': 'IMAGEBOSS_SOURCE=s\nIMAGEBOSS_SECRET=prefix-secret-1414\n' })
    for (const envPrefix of ['IMAGEBOSS_', ['VITE_', 'IMAGE']]) {
      const error = await withEnv(noImageBossEnv(), () => buildFailure(root, { envPrefix }))
      expect(error.message).toContain('exposed-secret')
      expect(error.message).toContain('`envPrefix`')
      expect(error.message).not.toContain('prefix-secret-1414')
    }
  })
})
