// The project loader (src/core/project.ts): what every entry point's settings come from.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { loadEnv } from 'vite'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ImageBossError } from '../../src/core/errors.js'
import { loadProject, loadProjectSync, type ProjectRequest } from '../../src/core/project.js'
import { expectedUrl, hmac } from '../helpers/expected.js'
import { scratchDirectories } from '../helpers/scratch.js'

const { scratchSync } = scratchDirectories()
const SECRET = 'project-loader-secret-0123456789'

/** A project folder with `files`, and a `package.json` that ends the config file search there. */
function project(files: Record<string, string> = {}): string {
  const root = scratchSync('imageboss-project-')
  writeFileSync(path.join(root, 'package.json'), '{}')
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(root, name), text)
  return root
}

/** Each test sets the variables it reads; none leaks into the next. */
function environment(vars: Record<string, string | undefined>): void {
  for (const name of Object.keys(process.env))
    if (name.startsWith('IMAGEBOSS_') || name.startsWith('VITE_') || name.startsWith('PUBLIC_')) vi.stubEnv(name, undefined)
  vi.stubEnv('NODE_ENV', undefined)
  for (const [name, value] of Object.entries(vars)) vi.stubEnv(name, value)
}
afterEach(() => {
  vi.unstubAllEnvs()
})

const quiet: Pick<ProjectRequest, 'onWarning'> = { onWarning: () => undefined }

describe('loadProject', () => {
  it('takes the options given over those of the config file, key by key, and the variables for the rest', async () => {
    environment({ IMAGEBOSS_SECRET: SECRET })
    const root = project({ 'imageboss.config.json': JSON.stringify({ source: 'from-file', defaults: { format: 'webp' } }) })
    const loaded = await loadProject({ root, options: { source: 'given' }, ...quiet })
    expect(loaded.configFile).toBe(path.join(root, 'imageboss.config.json'))
    expect(loaded.imageboss.url('imageboss:/a.jpg?w=10')).toBe(expectedUrl('/given/width/10/format:webp/a.jpg', SECRET))
    expect(loaded.written).toEqual({ source: 'given', defaults: { format: 'webp' } })
  })

  it('reads the environment once, when the project loads', async () => {
    environment({ IMAGEBOSS_SOURCE: 'first', IMAGEBOSS_SECRET: SECRET })
    const loaded = await loadProject({ root: project(), ...quiet })
    vi.stubEnv('IMAGEBOSS_SOURCE', 'later')
    expect(loaded.env.IMAGEBOSS_SOURCE).toBe('first')
    expect(loaded.createImageBoss().url('imageboss:/a.jpg')).toBe(expectedUrl('/first/cdn/format:auto/a.jpg', SECRET))
  })

  it('decides production: the options, else the host, else not when NODE_ENV is development', async () => {
    environment({})
    const root = project()
    expect((await loadProject({ root, ...quiet })).production).toBe(true)
    expect((await loadProject({ root, production: false, ...quiet })).production).toBe(false)
    expect((await loadProject({ root, options: { production: true }, production: false, ...quiet })).production).toBe(true)
    vi.stubEnv('NODE_ENV', 'development')
    expect((await loadProject({ root, ...quiet })).production).toBe(false)
  })

  it('fails at once on a missing secret when asked to (the CLI, Eleventy), in production only', async () => {
    environment({ IMAGEBOSS_SOURCE: 's' })
    const root = project()
    await expect(loadProject({ root, production: true, secretNow: true, ...quiet })).rejects.toMatchObject({ ruleId: 'missing-secret' })
    const warnings: string[] = []
    const loaded = await loadProject({ root, production: false, secretNow: true, onWarning: (w) => warnings.push(w.ruleId) })
    expect(loaded.imageboss.url('imageboss:/a.jpg')).toBe(expectedUrl('/s/cdn/format:auto/a.jpg'))
    expect(warnings).toEqual(['missing-secret'])
  })

  it('sends warnings to the options’ `onWarning` over the host’s, after the tap', async () => {
    environment({ IMAGEBOSS_SOURCE: 's' })
    const seen: string[] = []
    const loaded = await loadProject({
      root: project(),
      production: false,
      options: { onWarning: (w) => seen.push(`options ${w.ruleId}`) },
      onWarning: (w) => seen.push(`host ${w.ruleId}`),
      tap: (w) => seen.push(`tap ${w.ruleId}`)
    })
    loaded.imageboss.url('imageboss:/a.jpg')
    expect(seen).toEqual(['tap missing-secret', 'options missing-secret'])
  })

  it('gives the output check the keys of the same options and variables', async () => {
    environment({ IMAGEBOSS_SOURCE: 's', IMAGEBOSS_SECRET: SECRET })
    const loaded = await loadProject({ root: project(), options: { sources: { open: { signed: false } } }, ...quiet })
    expect(loaded.keys.secrets).toEqual([{ source: 's', secret: SECRET }])
    expect(loaded.keys.keyOf('s').sign?.('/s/cdn/a.jpg')).toBe(hmac(SECRET, '/s/cdn/a.jpg'))
    expect(loaded.keys.keyOf('open')).toMatchObject({ signed: false, known: true })
    expect(loaded.keys.keyOf('elsewhere').known).toBe(false)
    // The resolver's own URLs are known as its own; any other is verified with the HMAC.
    expect(loaded.keys.made?.(loaded.imageboss.url('imageboss:/a.jpg'))).toBe(true)
    expect(loaded.keys.made?.(expectedUrl('/s/cdn/format:auto/b.jpg', SECRET))).toBe(false)
  })
})

describe('loadProject with `.env` files (the Vite-based hosts)', () => {
  const envFiles = (root: string) => ({ loadEnv, mode: 'production', root })

  it('reads `IMAGEBOSS_*` of `.env` files as Vite does, the environment winning', async () => {
    environment({ IMAGEBOSS_SOURCE: 'from-environment' })
    const root = project({
      '.env': `IMAGEBOSS_SOURCE=from-file\nIMAGEBOSS_SECRET=${SECRET}\n`,
      '.env.production': 'IMAGEBOSS_BASE_URL=https://cdn.example.com\n'
    })
    const loaded = await loadProject({ root, envFiles: envFiles(root), ...quiet })
    expect(loaded.imageboss.url('imageboss:/a.jpg')).toBe(expectedUrl('/from-environment/cdn/format:auto/a.jpg', SECRET, 'https://cdn.example.com'))
  })

  it('reads no `.env` file without them (the CLI, Eleventy, plain scripts)', async () => {
    environment({ IMAGEBOSS_SOURCE: 's' })
    const root = project({ '.env': `IMAGEBOSS_SECRET=${SECRET}\n` })
    const loaded = await loadProject({ root, production: false, ...quiet })
    expect(loaded.env.IMAGEBOSS_SECRET).toBeUndefined()
  })

  it('refuses a `$` that Vite would expand, naming the file and line, never the value', async () => {
    environment({ IMAGEBOSS_SOURCE: 's' })
    const root = project({ '.env': 'IMAGEBOSS_SECRET=abc$def-0123456789\n' })
    const error = await loadProject({ root, envFiles: envFiles(root), ...quiet }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ImageBossError)
    expect(error).toMatchObject({ ruleId: 'expanded-variable' })
    expect((error as Error).message).toContain('.env:1')
    expect((error as Error).message).not.toContain('def-0123456789')
  })

  it('refuses a secret in a variable the host exposes to client code, by name and by value', async () => {
    environment({ IMAGEBOSS_SOURCE: 's' })
    const byName = project({ '.env': `VITE_IMAGEBOSS_SECRET=${SECRET}\n` })
    await expect(loadProject({ root: byName, envFiles: envFiles(byName), ...quiet })).rejects.toMatchObject({ ruleId: 'exposed-secret' })
    const byValue = project({ '.env': `IMAGEBOSS_SECRET=${SECRET}\nPUBLIC_KEY=${SECRET}\n` })
    await expect(loadProject({ root: byValue, envFiles: { ...envFiles(byValue), envPrefix: 'PUBLIC_' }, ...quiet })).rejects.toMatchObject({
      ruleId: 'exposed-secret'
    })
  })

  it('does not take for the environment what a host copied into `process.env` from another site’s files', async () => {
    environment({})
    const first = project({ '.env': `IMAGEBOSS_SOURCE=first-site\nIMAGEBOSS_SECRET=${SECRET}\n` })
    await loadProject({ root: first, envFiles: { ...envFiles(first), copiedToProcess: true }, ...quiet })
    // What Astro does as its build starts: the site's values copied into `process.env`.
    vi.stubEnv('IMAGEBOSS_SOURCE', 'first-site')
    vi.stubEnv('IMAGEBOSS_SECRET', SECRET)
    const second = project({ '.env': 'IMAGEBOSS_SOURCE=second-site\n' })
    const loaded = await loadProject({ root: second, production: false, envFiles: { ...envFiles(second), copiedToProcess: true }, ...quiet })
    expect(loaded.env.IMAGEBOSS_SOURCE).toBe('second-site')
    expect(loaded.env.IMAGEBOSS_SECRET).toBeUndefined()
  })
})

describe('loadProjectSync', () => {
  it('refuses a config module that waits, naming the host', () => {
    environment({})
    const root = project({ 'imageboss.config.mjs': 'export default async () => ({ source: "s" })\n' })
    expect(() => loadProjectSync({ root, ...quiet }, '`rehypeImageBoss`')).toThrow(/`rehypeImageBoss`/)
  })

  it('takes options as final with `configFile: false`', () => {
    environment({ IMAGEBOSS_SECRET: SECRET })
    const root = project({ 'imageboss.config.json': JSON.stringify({ source: 'from-file' }) })
    const loaded = loadProjectSync({ root, options: { source: 'given' }, configFile: false, ...quiet }, 'test')
    expect(loaded.configFile).toBeUndefined()
    expect(loaded.written).toEqual({ source: 'given' })
  })
})
