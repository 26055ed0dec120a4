// Secret-leak proof, determinism and isolation. Every example is built with a canary secret;
// every emitted file and every line the builds print (failing builds included) is scanned
// for the canary in plain, JSON-escaped, percent-encoded, hex, base64 and base64url forms.
import { execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { build, type InlineConfig } from 'vite'
import { describe, expect, it } from 'vitest'
import imageboss from 'imageboss-build/vite'
import { scratchDirectories } from '../helpers/scratch.js'
import { ASTRO_5, astroCommand, copyExample, runAstro } from '../astro/example-run.js'
import { EXAMPLE_SOURCE } from '../vite/example-references.js'
import { EXAMPLE, noImageBossEnv, outputFiles, recordingLogger, REPO, signedUrl, tempProject, withEnv } from '../vite/helpers.js'
import { secretForms } from '../helpers/secret-forms.js'

const CANARY = 'canary-Zq9"<ü>🔑-7f3e51'
const { scratch, track } = scratchDirectories()

const FORMS = secretForms(CANARY)

function expectNoCanary(where: string, text: string): void {
  for (const form of FORMS) expect(text.includes(form), `${where} holds the canary as ${JSON.stringify(form)}`).toBe(false)
}

/** Every file under `dir`, recursively, as text (binary files too: the bytes as latin1 and UTF-8). */
async function scanDir(dir: string): Promise<number> {
  let count = 0
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const file = path.join(entry.parentPath, entry.name)
    const bytes = await readFile(file)
    expectNoCanary(path.relative(dir, file), bytes.toString('utf8'))
    expectNoCanary(path.relative(dir, file), bytes.toString('latin1'))
    count++
  }
  return count
}

/** Run `work` with everything written to stdout, stderr and the console captured. */
async function capture<T>(work: () => Promise<T>): Promise<{ result: T | undefined; error: unknown; printed: string }> {
  let printed = ''
  const stdout = process.stdout.write.bind(process.stdout)
  const stderr = process.stderr.write.bind(process.stderr)
  const record = (chunk: unknown) => {
    printed += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8')
    return true
  }
  process.stdout.write = record as typeof process.stdout.write
  process.stderr.write = record as typeof process.stderr.write
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const
  const saved = methods.map((m) => console[m])
  for (const m of methods) console[m] = (...args: unknown[]) => void record(args.map(String).join(' ') + '\n')
  try {
    return { result: await work(), error: undefined, printed }
  } catch (error) {
    return { result: undefined, error, printed }
  } finally {
    process.stdout.write = stdout
    process.stderr.write = stderr
    methods.forEach((m, i) => (console[m] = saved[i] as (typeof console)[typeof m]))
  }
}

/** All that an error carries: message, stack, frame, nested errors and own properties. */
function errorText(error: unknown): string {
  if (error === undefined) return ''
  const seen = new Set<unknown>()
  return (
    JSON.stringify(error, (_key, value: unknown) => {
      if (typeof value === 'object' && value !== null) {
        if (seen.has(value)) return undefined
        seen.add(value)
        if (value instanceof Error) return { ...value, message: value.message, stack: value.stack, cause: (value as { cause?: unknown }).cause }
      }
      return value
    }) + String(error)
  )
}

/** `code` run after `import { build } from 'vite'` and `imageboss`, in a child process: exit code and all it printed. */
function viteChild(code: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const base: Record<string, string> = {}
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && !name.includes('IMAGEBOSS_')) base[name] = value
  const script = `import { build } from 'vite'\nimport imageboss from 'imageboss-build/vite'\n${code}\n`
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
    child.on('error', reject)
    child.on('close', (exit) => resolve({ code: exit, output }))
  })
}

/** The Vite example, built to disk with source maps and the manifest, everything logged captured. */
async function buildViteExample(outDir: string, extra: InlineConfig = {}) {
  const { logger, warnings, errors } = recordingLogger()
  const run = await capture(() =>
    withEnv({ ...noImageBossEnv(), IMAGEBOSS_SOURCE: EXAMPLE_SOURCE, IMAGEBOSS_SECRET: CANARY }, () =>
      build({
        root: EXAMPLE,
        customLogger: logger,
        logLevel: 'info',
        ...extra,
        build: { outDir, emptyOutDir: true, sourcemap: true, manifest: true, ...extra.build }
      })
    )
  )
  return { ...run, logged: [...warnings, ...errors].join('\n') }
}

describe('the canary secret never leaves the build', () => {
  it('examples/vite: no emitted file (maps and manifest included), nothing printed', async () => {
    // In a child process: Rolldown prints from native code, past any in-process capture.
    const outDir = path.join(await scratch('imageboss-leak-vite-'), 'dist')
    const run = await viteChild(
      `await build({ root: ${JSON.stringify(EXAMPLE)}, logLevel: 'info', build: { outDir: ${JSON.stringify(outDir)}, emptyOutDir: true, sourcemap: true, manifest: true } })`,
      { IMAGEBOSS_SOURCE: EXAMPLE_SOURCE, IMAGEBOSS_SECRET: CANARY }
    )
    expect(run.code, run.output).toBe(0)
    expect(run.output).toContain('built in')
    expect(await scanDir(outDir)).toBeGreaterThan(5)
    expect(existsSync(path.join(outDir, '.vite/manifest.json'))).toBe(true)
    expect((await readdir(path.join(outDir, 'assets'))).some((f) => f.endsWith('.js.map'))).toBe(true)
    expectNoCanary('output', run.output)
  })

  it('Vite builds made to fail (invalid reference, unknown source, dynamic reference, output check) print no canary', async () => {
    const root = await tempProject({
      'index.html':
        '<!doctype html>\n<img src="imageboss:/a.jpg?qualty=5">\n<img src="imageboss://nowhere/b.jpg">\n<script type="module" src="/src/main.js"></script>\n',
      'src/main.js': "console.log('imageboss:/c.jpg?w=' + window.w)\n",
      'ok.html': '<!doctype html>\n<script type="module" src="/src/ok.js"></script>\n',
      'src/ok.js': "console.log('imageboss:/fine.jpg')\n"
    })
    const slip = `{ name: 'slip', renderChunk: (code) => ({ code: code + '\\nwindow.x = "imageboss:/d.jpg"\\n', map: null }) }`
    const runs = [
      { input: 'index.html', plugins: `[imageboss({ source: 'leak', secret: ${JSON.stringify(CANARY)}, env: {} })]`, expected: /unknown-parameter/ },
      { input: 'src/main.js', plugins: `[imageboss({ source: 'leak', env: {} })]`, expected: /dynamic-reference/, env: { IMAGEBOSS_SECRET: CANARY } },
      {
        input: 'ok.html',
        plugins: `[imageboss({ source: 'leak', secret: ${JSON.stringify(CANARY)}, env: {} }), ${slip}]`,
        expected: /leftover-reference: Unexpected `imageboss:` reference left in the output/
      }
    ]
    for (const [i, config] of runs.entries()) {
      const outDir = path.join(root, `dist-${i}`)
      const run = await viteChild(
        `await build({ root: ${JSON.stringify(root)}, configFile: false, logLevel: 'info', plugins: ${config.plugins}, ` +
          `build: { outDir: ${JSON.stringify(outDir)}, sourcemap: true, rollupOptions: { input: ${JSON.stringify(path.join(root, config.input))} } } })`,
        config.env ?? {}
      )
      expect(run.code, `run ${i} should fail`).not.toBe(0)
      expect(run.output).toMatch(config.expected)
      expectNoCanary(`run ${i}`, run.output)
      if (existsSync(outDir)) await scanDir(outDir)
    }
  })

  it('examples/unified: no emitted file, nothing printed, also when it fails', async () => {
    const out = await scratch('imageboss-leak-unified-')
    const env = { PATH: process.env.PATH ?? '', EXAMPLE_OUT_DIR: out, IMAGEBOSS_SOURCE: 'leak-src', IMAGEBOSS_SECRET: CANARY }
    const exec = promisify(execFile)
    const ok = await exec(process.execPath, ['examples/unified/build.js'], { cwd: REPO, env })
    expect(ok.stdout).toContain('index.md: no issues')
    expect(await readFile(path.join(out, 'index.html'), 'utf8')).toContain(signedUrl('/leak-src/width/800/format:auto/photos/harbour.jpg', CANARY))
    expect(await scanDir(out)).toBeGreaterThanOrEqual(2)
    expectNoCanary('unified output', ok.stdout + ok.stderr)
    // A production build whose references cannot be signed (no default source): it fails, naming the rule.
    const failed = await exec(process.execPath, ['examples/unified/build.js'], {
      cwd: REPO,
      env: { PATH: env.PATH, EXAMPLE_OUT_DIR: out, IMAGEBOSS_SECRET: CANARY, NODE_ENV: 'production' }
    }).catch((e: { code: number; stdout: string; stderr: string }) => e)
    expect((failed as { code?: number }).code).toBe(1)
    expect(failed.stdout).toContain('unknown-source')
    expectNoCanary('failed unified build', failed.stdout + failed.stderr)
  })

  it('examples/astro (Astro 5): no emitted file, nothing printed, also when a post is invalid', async () => {
    const { bin } = await astroCommand(ASTRO_5)
    const env = { IMAGEBOSS_SOURCE: 'leak-astro', IMAGEBOSS_SECRET: CANARY }
    const root = await copyExample(ASTRO_5.scratch, 'leak-')
    track(root)
    const run = await runAstro(ASTRO_5.node, bin, ['build'], root, env)
    expect(run.code, run.output).toBe(0)
    expect(await scanDir(path.join(root, 'dist'))).toBeGreaterThan(3)
    expectNoCanary('astro build output', run.output)
    const bad = await copyExample(ASTRO_5.scratch, 'leak-bad-', {
      'src/content/posts/bad.md': '---\ntitle: Bad\ndate: 2025-06-01\n---\n\n![x](imageboss:/x.jpg?qualty=5)\n'
    })
    track(bad)
    const failed = await runAstro(ASTRO_5.node, bin, ['build'], bad, env)
    expect(failed.code).not.toBe(0)
    expect(failed.output).toContain('unknown-parameter')
    expectNoCanary('failed astro build output', failed.output)
    if (existsSync(path.join(bad, 'dist'))) await scanDir(path.join(bad, 'dist'))
  }, 120_000)
})

describe('a secret the bundler would expose is an `exposed-secret` error before anything is written', () => {
  const cases: Array<[string, Record<string, string>, InlineConfig]> = [
    ['VITE_IMAGEBOSS_SECRET', { VITE_IMAGEBOSS_SECRET: CANARY }, {}],
    ['PUBLIC_IMAGEBOSS_SECRET', { PUBLIC_IMAGEBOSS_SECRET: CANARY }, {}],
    ['envPrefix `IMAGEBOSS_`', {}, { envPrefix: 'IMAGEBOSS_' }],
    ['envPrefix `IMAGE`', {}, { envPrefix: ['VITE_', 'IMAGE'] }]
  ]
  for (const [name, vars, config] of cases) {
    it(name, async () => {
      const outDir = path.join(await scratch('imageboss-exposed-'), 'dist')
      const { logger, warnings, errors } = recordingLogger()
      const run = await capture(() =>
        withEnv({ ...noImageBossEnv(), IMAGEBOSS_SOURCE: EXAMPLE_SOURCE, IMAGEBOSS_SECRET: CANARY, ...vars }, () =>
          build({ root: EXAMPLE, customLogger: logger, logLevel: 'info', ...config, build: { outDir, sourcemap: true, manifest: true } })
        )
      )
      expect(errorText(run.error)).toContain('exposed-secret')
      expect(existsSync(outDir)).toBe(false)
      expectNoCanary(name, errorText(run.error) + run.printed + warnings.join('\n') + errors.join('\n'))
    })
  }

  it('a `.env` file with `VITE_IMAGEBOSS_SECRET`', async () => {
    const root = await tempProject({ 'index.html': '<img src="imageboss:/a.jpg">\n', '.env': `VITE_IMAGEBOSS_SECRET=${CANARY}\n` })
    const outDir = path.join(root, 'dist')
    const run = await capture(() =>
      withEnv(noImageBossEnv(), () =>
        build({ root, configFile: false, logLevel: 'silent', plugins: [imageboss({ source: 's', secret: 'other' })], build: { outDir } })
      )
    )
    expect(errorText(run.error)).toContain('exposed-secret')
    expect(existsSync(outDir)).toBe(false)
    expectNoCanary('.env case', errorText(run.error) + run.printed)
  })
})

describe('determinism and isolation', () => {
  it('two builds of examples/vite give byte-identical files', async () => {
    const dir = await scratch('imageboss-determinism-')
    const a = path.join(dir, 'a')
    const b = path.join(dir, 'b')
    expect((await buildViteExample(a)).error).toBeUndefined()
    expect((await buildViteExample(b)).error).toBeUndefined()
    const names = (await readdir(a, { recursive: true })).sort()
    expect((await readdir(b, { recursive: true })).sort()).toEqual(names)
    for (const name of names) {
      const left = path.join(a, name)
      if ((await readdir(path.dirname(left))).includes(path.basename(left)) && !name.endsWith('assets') && !name.endsWith('.vite')) {
        const [x, y] = await Promise.all([readFile(left).catch(() => undefined), readFile(path.join(b, name)).catch(() => undefined)])
        if (x && y) expect(x.equals(y), name).toBe(true)
      }
    }
  })

  it('two builds of examples/unified give byte-identical files', async () => {
    const exec = promisify(execFile)
    const outs = [await scratch('imageboss-unified-a-'), await scratch('imageboss-unified-b-')]
    for (const out of outs) {
      await exec(process.execPath, ['examples/unified/build.js'], { cwd: REPO, env: { PATH: process.env.PATH ?? '', EXAMPLE_OUT_DIR: out } })
    }
    const names = (await readdir(outs[0] as string)).sort()
    expect(names.length).toBeGreaterThanOrEqual(2)
    expect((await readdir(outs[1] as string)).sort()).toEqual(names)
    for (const name of names) {
      expect((await readFile(path.join(outs[0] as string, name))).equals(await readFile(path.join(outs[1] as string, name))), name).toBe(true)
    }
  })

  it('two Vite builds at once in one process, with different secrets and sources, never mix', async () => {
    const project = (name: string) =>
      tempProject({
        'index.html': `<!doctype html>\n<img src="imageboss:/${name}.jpg?w=100">\n<script type="module" src="/src/main.js"></script>\n`,
        'src/main.js': Array.from({ length: 50 }, (_, i) => `export const i${i} = 'imageboss:/${name}/${i}.jpg?w=${i + 1}'`).join('\n') + '\n',
        'src/style.css': `.a { background: url(imageboss:/${name}-bg.jpg) }\n`
      })
    const specs = [
      { name: 'left', source: 'left-src', secret: 'left-secret-1' },
      { name: 'right', source: 'right-src', secret: 'right-secret-2' }
    ]
    const roots = await Promise.all(specs.map((s) => project(s.name)))
    const results = await Promise.all(
      specs.map((spec, i) =>
        build({
          root: roots[i] as string,
          configFile: false,
          logLevel: 'silent',
          plugins: [imageboss({ source: spec.source, secret: spec.secret, env: {} })],
          build: { write: false, minify: false, rollupOptions: { input: `${roots[i]}/src/main.js`, preserveEntrySignatures: 'strict' } }
        })
      )
    )
    for (const [i, spec] of specs.entries()) {
      const other = specs[1 - i] as (typeof specs)[number]
      const text = outputFiles(results[i])
        .map((f) => f.text)
        .join('\n')
      for (let n = 0; n < 50; n++) expect(text).toContain(signedUrl(`/${spec.source}/width/${n + 1}/format:auto/${spec.name}/${n}.jpg`, spec.secret))
      expect(text).not.toContain(other.source)
      expect(text).not.toContain(other.name + '/')
      for (const url of text.match(/https:\/\/img\.imageboss\.me\/[^"'\s`)]+/g) ?? []) {
        const [signedPath, token] = url.slice('https://img.imageboss.me'.length).split('?bossToken=')
        expect(signedUrl(signedPath as string, spec.secret)).toBe(url)
        expect(token).toHaveLength(64)
      }
    }
  })
})
