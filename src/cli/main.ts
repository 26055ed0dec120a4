import { readFileSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { ImageBossError } from '../core/errors.js'
import { line as outputLine, safeJson } from './escape.js'
import { HELP } from './help.js'
import { DEFAULT_MAX_FILE_SIZE } from '../site/limits.js'
import type { SettingsInput } from '../site/settings.js'

/** A mistake in how the CLI was called: exit code 2. */
class UsageError extends Error {}

/** Where the CLI writes; the process's streams unless a test says otherwise. */
export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean }
  stderr: NodeJS.WritableStream & { isTTY?: boolean }
  stdin: NodeJS.ReadableStream & { isTTY?: boolean }
  cwd: string
  /**
   * Whether this is the `imageboss` process itself, not a host that calls `run()`: `rewrite`
   * then takes over SIGINT, SIGTERM and SIGHUP while it runs, to stop cleanly, and V8 is told
   * to reclaim memory early once a large file is read (default: `false`).
   */
  ownsProcess?: boolean
}

const COMMON = {
  config: { type: 'string' },
  source: { type: 'string' },
  'base-url': { type: 'string' },
  help: { type: 'boolean', short: 'h' }
} as const

const COMMANDS = {
  sign: { ...COMMON, json: { type: 'boolean' } },
  rewrite: { ...COMMON, 'dry-run': { type: 'boolean' }, threads: { type: 'string' }, 'max-file-size': { type: 'string' } },
  verify: {
    ...COMMON,
    json: { type: 'boolean' },
    threads: { type: 'string' },
    'max-file-size': { type: 'string' },
    next: { type: 'boolean' },
    'dist-dir': { type: 'string' }
  }
} as const

type CommandName = keyof typeof COMMANDS

/**
 * Run the CLI with `args` (without `node` and the script). Never throws: every error is
 * printed as one clean line, and the exit code is returned (0 ok, 1 problems or findings,
 * 2 usage or configuration error).
 */
export async function run(args: readonly string[], io: Io = processIo()): Promise<number> {
  const warned = new Set<string>()
  const onWarning = (warning: { ruleId: string; reason: string }) => {
    const line = `imageboss: warning: ${warning.ruleId}: ${warning.reason}`
    if (!warned.has(line)) io.stderr.write(outputLine(line))
    warned.add(line)
  }
  try {
    const [name, ...rest] = args
    if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
      const topic = name === 'help' && rest[0] && Object.hasOwn(COMMANDS, rest[0]) ? rest[0] : 'main'
      ;(name === undefined ? io.stderr : io.stdout).write(HELP[topic] + '\n')
      return name === undefined ? 2 : 0
    }
    if (name === '--version' || name === '-v') {
      io.stdout.write(packageVersion() + '\n')
      return 0
    }
    if (!Object.hasOwn(COMMANDS, name)) throw new UsageError(`Unexpected command \`${name}\`, expected \`sign\`, \`rewrite\` or \`verify\``)
    const command = name as CommandName
    let parsed
    try {
      parsed = parseArgs({ args: rest, options: COMMANDS[command], allowPositionals: true, strict: true })
    } catch (error) {
      throw new UsageError(`${(error as Error).message.split('\n')[0]} (${command})`)
    }
    const values = parsed.values as Record<string, string | boolean | undefined>
    if (values.help) {
      io.stdout.write(HELP[command] + '\n')
      return 0
    }
    const input = settingsInput(io.cwd, values)
    const invocation: Invocation = { positionals: parsed.positionals, values, input, onWarning, io }
    return await (command === 'sign' ? sign(invocation) : files(command, invocation))
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(outputLine(`imageboss: ${error.message}`) + 'Run `imageboss --help` for usage.\n')
      return 2
    }
    if (error instanceof ImageBossError) {
      // Configuration: options, config file, environment. Never a secret in `reason`.
      io.stderr.write(outputLine(`imageboss: ${error.ruleId}: ${error.reason}`))
      return 2
    }
    io.stderr.write(outputLine(`imageboss: Unexpected error: ${error instanceof Error ? error.message : String(error)}`))
    return 1
  }
}

/**
 * The project request of the CLI, from its flags: `--source` and `--base-url` over the config
 * file (`--config`, else the nearest from the current directory), then `IMAGEBOSS_*`
 * variables of the environment (no `.env`: the CLI reads the environment only). The secrets
 * come from the variables only: the file may hold none, and a `missing-secret` message names
 * the variables alone. The CLI is a production build: a missing secret fails at once, unless
 * the config file sets `production: false`.
 */
function settingsInput(cwd: string, values: Record<string, string | boolean | undefined>): SettingsInput {
  const config = values.config as string | undefined
  return {
    root: cwd,
    options: { source: values.source as string | undefined, baseUrl: values['base-url'] as string | undefined },
    configFile: config === undefined ? undefined : path.resolve(cwd, config),
    production: true,
    secretOption: false,
    secretNow: true
  }
}

/** A command as it was run: its arguments, its flags and where it reads and writes. */
interface Invocation {
  positionals: string[]
  values: Record<string, string | boolean | undefined>
  input: SettingsInput
  onWarning: (warning: ImageBossError) => void
  io: Io
}

async function sign({ positionals, values, input, onWarning, io }: Invocation): Promise<number> {
  let items: { reference: string; where: string; line: number; column: number }[]
  if (positionals.length > 0) {
    items = positionals.map((reference, index) => ({ reference, where: `<argument ${index + 1}>`, line: 1, column: 1 }))
  } else {
    if (io.stdin.isTTY) throw new UsageError('Expected references as arguments or on stdin (`imageboss sign --help`)')
    const text = await readAll(io.stdin)
    items = []
    for (const [index, line] of text.split(/\r?\n/).entries()) {
      const reference = line.trim()
      if (reference) items.push({ reference, where: '<stdin>', line: index + 1, column: line.indexOf(reference) + 1 })
    }
  }
  // The settings (and the core with them) are loaded by the commands that use them, so that
  // `--help` and `--version` start without them.
  const { loadSettings } = await import('../site/settings.js')
  const boss = (await loadSettings(input, onWarning)).project.imageboss
  const json: unknown[] = []
  let failed = 0
  for (const item of items) {
    try {
      const resolved = boss.resolve(item.reference)
      if (values.json) json.push(resolved)
      else io.stdout.write(outputLine(resolved.url))
    } catch (error) {
      if (!(error instanceof ImageBossError)) throw error
      failed++
      const column = item.column + (error.offset ?? 0)
      io.stderr.write(outputLine(`${item.where}:${item.line}:${column}: ${error.ruleId}: ${error.reason}`))
      if (values.json) json.push({ reference: item.reference, error: { ruleId: error.ruleId, reason: error.reason, offset: error.offset } })
    }
  }
  if (values.json) io.stdout.write(safeJson(JSON.stringify(json, null, 2)) + '\n')
  return failed > 0 ? 1 : 0
}

async function files(command: 'rewrite' | 'verify', { positionals, values, input, onWarning, io }: Invocation): Promise<number> {
  if (command === 'verify' && values.next === true) return verifyNext({ positionals, values, input, onWarning, io })
  if (values['dist-dir'] !== undefined) throw new UsageError('Unexpected `--dist-dir` without `--next`, expected `imageboss verify --next --dist-dir <dir>`')
  if (positionals.length !== 1) throw new UsageError(`Expected one directory, the built site, for \`imageboss ${command}\``)
  const directory = positionals[0] as string
  const absolute = path.resolve(io.cwd, directory)
  const info = await stat(absolute).catch(() => undefined)
  if (!info?.isDirectory()) throw new UsageError(`Unexpected \`${directory}\`, expected a directory`)
  let threads: number | undefined
  if (values.threads !== undefined) {
    threads = Number(values.threads)
    if (!Number.isInteger(threads) || threads < 1 || threads > 256)
      throw new UsageError(`Unexpected \`--threads ${values.threads}\`, expected a whole number from 1`)
  }
  const limit = values['max-file-size']
  const maxFileSize = typeof limit === 'string' ? parseSize(limit) : DEFAULT_MAX_FILE_SIZE
  if (maxFileSize === undefined)
    throw new UsageError(`Unexpected \`--max-file-size ${String(limit)}\`, expected a size in bytes, or with a unit: \`500kb\`, \`10mb\`, \`1gb\``)
  // Loaded here, both at once: `--help`, `--version` and `sign` start without the output
  // check and the file walk, and the scanners (parse5, acorn) are loaded later still, by the
  // first file that needs them (process-file.ts).
  const [{ loadSettings }, { runFilesCommand }] = await Promise.all([import('../site/settings.js'), import('./files-command.js')])
  const settings = await loadSettings(input, onWarning)
  const json = command === 'verify' && values.json === true
  const dryRun = values['dry-run'] === true
  return runFilesCommand({ command, directory, absolute, threads, dryRun, json, maxFileSize, input, onWarning }, settings, io)
}

/**
 * `imageboss verify --next [project] [--dist-dir <dir>]`: a Next.js build, in the project folder
 * (default: the current one), written to `.next` or to the config's `distDir`.
 */
async function verifyNext({ positionals, values, input, onWarning, io }: Invocation): Promise<number> {
  if (positionals.length > 1) throw new UsageError('Expected at most one directory, the Next.js project, for `imageboss verify --next`')
  for (const flag of ['json', 'threads', 'max-file-size'])
    if (values[flag] !== undefined) throw new UsageError(`Unexpected \`--${flag}\` with \`--next\`, expected \`imageboss verify --next [project]\``)
  const project = path.resolve(io.cwd, positionals[0] ?? '.')
  const info = await stat(project).catch(() => undefined)
  if (!info?.isDirectory()) throw new UsageError(`Unexpected \`${positionals[0] ?? '.'}\`, expected a directory`)
  const distDir = values['dist-dir']
  if (typeof distDir === 'string' && (distDir === '' || path.isAbsolute(distDir) || path.relative(project, path.resolve(project, distDir)).startsWith('..')))
    throw new UsageError(`Unexpected \`--dist-dir ${distDir}\`, expected the folder of \`distDir\` in next.config, inside the project`)
  const { runNextVerify } = await import('./next-command.js')
  return runNextVerify(project, typeof distDir === 'string' ? distDir : '.next', input, onWarning, io)
}

/** Bytes from `1048576`, `512kb`, `10mb`, `1.5gb` (units of 1024, case-insensitive; `kib`, `mib`, `gib` too); `undefined` if not a size. */
export function parseSize(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(?:([kmg])i?b?|b)?$/i.exec(text.trim())
  if (!match) return undefined
  const power = { k: 1, m: 2, g: 3 }[(match[2] ?? '').toLowerCase()] ?? 0
  const bytes = Math.floor(Number(match[1]) * 1024 ** power)
  return bytes >= 1 && Number.isSafeInteger(bytes) ? bytes : undefined
}

/**
 * The version in the package's manifest: two folders up from this module (src/cli/main.ts,
 * dist/cli/main.js), one from the executable that bundles it (dist/cli.js, see
 * scripts/build-cli.js). The name tells the package's own manifest from one above it.
 */
function packageVersion(): string {
  for (const relative of ['../../package.json', '../package.json']) {
    let manifest: { name?: string; version?: string }
    try {
      manifest = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as typeof manifest
    } catch {
      continue
    }
    if (manifest.name === 'imageboss-build' && typeof manifest.version === 'string') return manifest.version
  }
  throw new Error('Cannot find the package.json of imageboss-build')
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
  return Buffer.concat(chunks).toString('utf8')
}

function processIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd(), ownsProcess: true }
}
