import { spawn, type ChildProcess } from 'node:child_process'
import { cp, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expectedUrl, hmac } from '../helpers/expected.js'
import { scratchDirectories } from '../helpers/scratch.js'

export const REPO = fileURLToPath(new URL('../..', import.meta.url))
export const EXAMPLE = path.join(REPO, 'examples/vitepress')
const BIN = path.join(REPO, 'node_modules/vitepress/bin/vitepress.js')

export const SOURCE = 'vp-docs'
export const SECRET = 'vitepress-secret-4e21'
export const url = (signedPath: string) => expectedUrl(signedPath, SECRET)

/** Every reference of the example, by where it is written, as the signed path it must become. */
export const SIGNED = {
  markdownImage: `/${SOURCE}/width/300/format:auto/vitepress/cat.jpg`,
  rawHtml: `/${SOURCE}/cover/200x100/format:auto/vitepress/raw.jpg`,
  scriptSetup: `/${SOURCE}/cover/120x120/format:auto/vitepress/thumb.jpg`,
  componentTemplate: `/${SOURCE}/cover/640x200/format:auto/vitepress/banner.jpg`,
  componentStyle: `/${SOURCE}/width/1600/blur:20,format:auto/vitepress/banner-bg.jpg`,
  headMeta: `/${SOURCE}/cover/1200x630/format:auto/vitepress/og.jpg`
}

/** The config of the README's VitePress section, byte for byte: the bad-reference build runs it. */
export const README_CONFIG = `import imageboss from 'imageboss-build/vite'

const images = imageboss()

export default {
  markdown: { config: (md) => { md.use(images.markdownIt) } },
  vite: { plugins: [images] }
}
`

/** What the example shows as code: never signed, never a problem. */
export const SAMPLES = ['imageboss:/vitepress/inline-code.jpg?w=100', 'imageboss:/vitepress/fenced.jpg?w=100', 'imageboss:/vitepress/sample.jpg?w=100']

const { scratchIn } = scratchDirectories()

/**
 * A copy of the example in the repository's git-ignored `.tmp` (so that `imageboss-build`
 * resolves to this package), with `files` added or replaced; removed after the test file.
 */
export async function copyExample(files: Record<string, string> = {}): Promise<string> {
  const dir = await scratchIn(path.join(REPO, '.tmp'), 'vitepress-')
  await cp(EXAMPLE, dir, { recursive: true })
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text)
  return dir
}

/** The environment of a VitePress child process: this test's source and secret, nothing of the shell's. */
export function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) if (!name.includes('IMAGEBOSS_') && name !== 'NODE_ENV') env[name] = value
  return { ...env, IMAGEBOSS_SOURCE: SOURCE, IMAGEBOSS_SECRET: SECRET, NO_COLOR: '1', FORCE_COLOR: '0' }
}

/** Start the `vitepress` command in `cwd`. */
export function startVitePress(args: string[], cwd: string): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { cwd, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
}

/** Run the `vitepress` command in `cwd` to its end: exit code and everything it printed. */
export function runVitePress(args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  const child = startVitePress(args, cwd)
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, output }))
  })
}

const IMAGEBOSS_URL_RE = /https:\/\/img\.imageboss\.me(\/[^\s"'<>`?)\\]+)(?:\?bossToken=([0-9a-f]*))?/g

/** Every ImageBoss URL of a text whose token does not verify against the secret (the oracle). */
export function badTokens(text: string): string[] {
  const bad: string[] = []
  for (const match of text.matchAll(IMAGEBOSS_URL_RE)) if (match[2] !== hmac(SECRET, match[1] as string)) bad.push(match[0])
  return bad
}

/** Every `imageboss:` reference written plainly in a text. */
export function references(text: string): string[] {
  return [...text.matchAll(/imageboss:[^\s"'<>`)\\]*/g)].map((match) => match[0])
}

/** 1-based `line:column` of `needle` in `text`, plus `extra` characters. */
export function lineColumn(text: string, needle: string, extra = 0): string {
  const offset = text.indexOf(needle)
  if (offset === -1) throw new Error(`Expected ${needle} in the fixture`)
  const before = text.slice(0, offset)
  return `${before.split('\n').length}:${offset - before.lastIndexOf('\n') + extra}`
}
