import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parseEnv } from 'node:util'
import { ImageBossError } from './errors.js'
import { processEnvironment, type Env } from './environment.js'
import type { ImageBossOptions } from './options.js'

// `.env` files, read where the host's convention reads them (the Vite-based hosts: Vite,
// VitePress, SvelteKit, Astro), with the host's own `loadEnv` and its semantics.

/** What `loadEnv` needs; structural, so Vite 5 to 8 all fit. */
export type LoadEnv = (mode: string, envDir: string | false, prefixes?: string | string[]) => Record<string, string>

/**
 * The `.env` files of a Vite-based host: where they are and how the host reads them. The
 * adapter passes its host's `loadEnv` (Vite's, whichever version the project has), so that
 * the values are exactly those the host itself would read.
 */
export interface EnvFiles {
  /** The host's `loadEnv`. */
  loadEnv: LoadEnv
  /** Vite's mode: `.env.[mode]` and `.env.[mode].local` are read after `.env` and `.env.local`. */
  mode: string
  /** The project root, where the files are unless `envDir` says otherwise. */
  root: string
  /** Vite's `envDir` (default: `root`); `false` reads no file. */
  envDir?: string | false | undefined
  /** Vite's `envPrefix`: what the host exposes to client code (default: `VITE_`). */
  envPrefix?: string | string[] | undefined
  /**
   * Whether the host copies the values of `.env` files into `process.env` when a build starts
   * (Astro): then a value that an earlier build of this process copied there is not taken
   * for the environment of the next one.
   */
  copiedToProcess?: boolean | undefined
}

const SECRET_NAME = 'IMAGEBOSS_SECRET'
/** Prefixes meta-frameworks expose to client code besides Vite's `envPrefix`. */
const ALSO_EXPOSED_PREFIXES = ['PUBLIC_']

/**
 * The variables of a Vite-based host: `IMAGEBOSS_*` values of its `.env` files under those of
 * the environment (which win, as with Vite's `loadEnv`), each file value refused when a loader
 * would not read it as written.
 *
 * @throws {ImageBossError} `changed-variable` or `expanded-variable`.
 */
export function readEnvFiles(files: EnvFiles): Record<string, string | undefined> {
  const envDir = files.envDir === undefined ? files.root : files.envDir
  if (envDir === false) return processEnvironment()
  const load = () => files.loadEnv(files.mode, envDir, 'IMAGEBOSS_')
  const { fromFiles, environment } = files.copiedToProcess ? isolated(load) : { fromFiles: load(), environment: processEnvironment() }
  checkExpandedVariables(envDir, files.mode, fromFiles)
  return { ...fromFiles, ...environment }
}

const COPIED = Symbol.for('imageboss-build/copied-env')

/**
 * `load()` without the values an earlier build of this process copied into `process.env`, and
 * the environment without them. A host that copies a site's `.env` values into `process.env`
 * (Astro) and Vite's `loadEnv`, which lets `process.env` win over the files, would otherwise
 * give a later build of another site in the same process the first site's source and secret.
 */
function isolated(load: () => Record<string, string>): { fromFiles: Record<string, string>; environment: Record<string, string | undefined> } {
  const global = globalThis as { [COPIED]?: Map<string, Set<string>> }
  const copied = (global[COPIED] ??= new Map())
  const hidden: Record<string, string> = {}
  for (const [name, values] of copied) {
    const value = process.env[name]
    if (value !== undefined && values.has(value)) hidden[name] = value
  }
  // Synchronous: nothing else runs while they are out of `process.env`.
  for (const name of Object.keys(hidden)) delete process.env[name]
  let fromFiles: Record<string, string>
  try {
    fromFiles = load()
  } finally {
    Object.assign(process.env, hidden)
  }
  const environment = processEnvironment()
  for (const name of Object.keys(hidden)) delete environment[name]
  // What the host will copy from this site's files: not the environment of the next build.
  for (const [name, value] of Object.entries(fromFiles)) {
    if (!name.startsWith('IMAGEBOSS_') || environment[name] === value) continue
    let values = copied.get(name)
    if (!values) copied.set(name, (values = new Set()))
    values.add(value)
  }
  return { fromFiles, environment }
}

/**
 * Refuse an `IMAGEBOSS_*` value of a `.env` file that the loader would not read as written:
 *
 * - `changed-variable`: `.env` syntax that cuts or changes the value, or that loaders read
 *   differently: an unquoted `#` (a comment from there on: `abc#def` is read `abc`), a quote
 *   left open, text after the closing quote, a backslash escape in double quotes (`\n` is a
 *   line break; `\"` is kept by some loaders and cuts the value in others);
 * - `expanded-variable`: a `$` that Vite's loader expanded (`Abc$Def9Ghi` becomes `Abc`);
 *   `\$` is a literal `$` for Vite too.
 *
 * A secret `abc#def` would otherwise be signed with `abc`, and every token fail at the CDN.
 * Values set in the environment win over files and are used as they are, so they are not
 * checked. Unquoted values lose the spaces around them, as in a shell.
 *
 * @throws {ImageBossError} naming the variable, the file and the line, never the value.
 */
function checkExpandedVariables(envDir: string, mode: string, loaded: Readonly<Record<string, string | undefined>>): void {
  // Vite's order: later files win.
  const files = ['.env', '.env.local', `.env.${mode}`, `.env.${mode}.local`].map((name) => path.join(envDir, name))
  const texts = new Map<string, string>()
  const winners = new Map<string, EnvDefinition>()
  for (const file of files) {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch {
      continue
    }
    texts.set(file, text)
    for (const definition of envDefinitions(text, file)) winners.set(definition.name, definition)
  }

  for (const definition of winners.values()) {
    if (process.env[definition.name] !== undefined) continue
    const problem = changedValue(definition.value)
    if (problem) {
      throw new ImageBossError(
        'changed-variable',
        `Unexpected ${problem} in \`${definition.name}\` (${where(definition)}): a \`.env\` loader would not read the value as written; expected ${CHANGED_FIX[problem]}, or the variable set in the environment`
      )
    }
  }

  for (const [name, expanded] of Object.entries(loaded)) {
    const definition = winners.get(name)
    if (!name.startsWith('IMAGEBOSS_') || process.env[name] !== undefined || !definition) continue
    const written = parseEnv(texts.get(definition.file) ?? '')[name]
    if (written !== undefined && written.includes('$') && written.replaceAll('\\$', '$') !== expanded) {
      throw new ImageBossError(
        'expanded-variable',
        `Unexpected \`$\` in \`${name}\` (${where(definition)}): Vite's \`.env\` loader expands \`$NAME\`, which would change the value; expected \`\\$\` for a literal \`$\`, or the variable set in the environment`
      )
    }
  }
}

/** One `NAME=value` line of a `.env` file; `value` runs to the end of the line, or of a quoted value over several lines. */
interface EnvDefinition {
  name: string
  value: string
  file: string
  line: number
}

type ChangedProblem = 'unquoted `#`' | 'unclosed quote' | 'text after the closing quote' | 'backslash escape in double quotes'

const CHANGED_FIX: Readonly<Record<ChangedProblem, string>> = {
  'unquoted `#`': 'the value in double quotes (`NAME="…"`), where `#` is a character (a comment may follow the closing quote)',
  'unclosed quote': 'the value between two quotes of the same kind',
  'text after the closing quote': 'the whole value between the quotes',
  'backslash escape in double quotes': "the value in single quotes (`NAME='…'`), where a backslash is a character"
}

const DEFINITION_RE = /^[ \t]*(?:export[ \t]+)?(IMAGEBOSS_[\w.-]*)[ \t]*=(.*)$/
const QUOTES = new Set(['"', "'", '`'])

function where(definition: EnvDefinition): string {
  return `${path.relative(process.cwd(), definition.file) || definition.file}:${definition.line}`
}

/** The `IMAGEBOSS_*` definitions of a `.env` text, in order (a later one wins), with their lines. */
function envDefinitions(text: string, file: string): EnvDefinition[] {
  const lines = text.split(/\r?\n|\r/)
  const out: EnvDefinition[] = []
  for (let index = 0; index < lines.length; index++) {
    const match = DEFINITION_RE.exec(lines[index]!)
    if (!match) continue
    let value = match[2]!
    const line = index + 1
    const start = value.trimStart()
    const quote = start[0]
    // A quoted value may span lines: take them, so that no line inside it reads as a definition.
    if (quote !== undefined && QUOTES.has(quote) && !start.slice(1).includes(quote)) {
      let end = index + 1
      while (end < lines.length && !lines[end]!.includes(quote)) end++
      if (end < lines.length) {
        value = [value, ...lines.slice(index + 1, end + 1)].join('\n')
        index = end
      }
    }
    out.push({ name: match[1]!, value, file, line })
  }
  return out
}

/** What in a written value a loader cuts, changes, or reads differently from another loader. */
function changedValue(written: string): ChangedProblem | undefined {
  const value = written.trimStart()
  const quote = value[0]
  if (quote === undefined || !QUOTES.has(quote)) return value.includes('#') ? 'unquoted `#`' : undefined
  const close = value.indexOf(quote, 1)
  if (close === -1) return 'unclosed quote'
  if (!/^[ \t]*(?:#.*)?$/.test(value.slice(close + 1))) return 'text after the closing quote'
  if (quote === '"' && /\\(?!\$)/.test(value.slice(1, close))) return 'backslash escape in double quotes'
  return undefined
}

/**
 * Throw `exposed-secret` when a secret could reach client code: when `envPrefix` covers
 * `IMAGEBOSS_SECRET…`, or when a variable Vite (or a framework) exposes is named like a
 * secret or holds a configured secret. Messages name the variable, never its value.
 */
export function checkExposedSecrets(files: EnvFiles, options: ImageBossOptions, env: Env): void {
  const envPrefix = files.envPrefix ?? 'VITE_'
  const prefixes = Array.isArray(envPrefix) ? envPrefix : [envPrefix]
  for (const prefix of prefixes) {
    if (SECRET_NAME.startsWith(prefix) || prefix.startsWith(SECRET_NAME)) {
      throw new ImageBossError(
        'exposed-secret',
        `Unexpected \`envPrefix\` \`${prefix}\`, which exposes \`${SECRET_NAME}\` variables to client code; expected a prefix such as \`VITE_\``
      )
    }
  }

  const secrets = new Set<string>()
  if (options.secret) secrets.add(options.secret)
  for (const source of Object.values(options.sources ?? {})) if (source.secret) secrets.add(source.secret)
  for (const [name, value] of Object.entries(env)) if (name.startsWith(SECRET_NAME) && value) secrets.add(value)

  const envDir = files.envDir === undefined ? files.root : files.envDir
  // With `envDir: false` Vite loads no files, but still exposes prefixed `process.env` variables.
  const exposed = { ...exposedProcessEnv(prefixes), ...(envDir === false ? {} : files.loadEnv(files.mode, envDir, [...prefixes, ...ALSO_EXPOSED_PREFIXES])) }
  for (const [name, value] of Object.entries(exposed)) {
    if (name.includes(SECRET_NAME) || (value && secrets.has(value))) {
      throw new ImageBossError(
        'exposed-secret',
        `Unexpected secret in \`${name}\`, a variable exposed to client code; expected it in an \`${SECRET_NAME}\` variable without a client prefix`
      )
    }
  }
}

function exposedProcessEnv(prefixes: readonly string[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {}
  for (const [name, value] of Object.entries(process.env)) {
    if ([...prefixes, ...ALSO_EXPOSED_PREFIXES].some((prefix) => name.startsWith(prefix))) out[name] = value
  }
  return out
}
