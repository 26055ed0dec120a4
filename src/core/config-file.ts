import { existsSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { types } from 'node:util'
import { ImageBossError } from './errors.js'
import { checkOptionNames, secretVariable, type ImageBossOptions } from './imageboss.js'
import { createLocator } from './location.js'

/** File names looked for, in this order, in each directory. */
const CONFIG_FILE_NAMES: readonly string[] = ['imageboss.config.js', 'imageboss.config.mjs', 'imageboss.config.json']

/** The options an entry point runs with, and the config file they came from, if any. */
export interface LoadedOptions {
  options: ImageBossOptions
  /** The config file read (absolute), or `undefined` when there was none. */
  file: string | undefined
}

/**
 * The nearest `imageboss.config.{js,mjs,json}`: in `from`, then in its parents up to the
 * first directory with a `package.json` (the project root) or the file-system root.
 * `undefined` when there is none.
 */
export function findConfigFile(from: string): string | undefined {
  let directory = path.resolve(from)
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(directory, name)
      if (existsSync(candidate) && statSync(candidate).isFile()) return candidate
    }
    const parent = path.dirname(directory)
    if (parent === directory || existsSync(path.join(directory, 'package.json'))) return undefined
    directory = parent
  }
}

/**
 * The options of an entry point: those `given` to it over those of a config file, `file`
 * when named (the CLI's `--config`), else the nearest one from `from`. The one rule of every
 * entry point that runs asynchronously (Vite, Astro, Eleventy, the CLI).
 *
 * @throws {ImageBossError} `invalid-option`.
 */
export async function loadOptions(given: ImageBossOptions | null | undefined, from: string, file = findConfigFile(from)): Promise<LoadedOptions> {
  return { options: mergeOptions(file === undefined ? undefined : await loadConfigFile(file), given), file }
}

/**
 * The same, for a host that takes its plugins synchronously (`md.use`, unified's `.use`): a
 * module is loaded with `require()`, which cannot wait, so a module with top-level `await`
 * or a default export that is an `async` function is a configuration error naming `host`.
 *
 * @throws {ImageBossError} `invalid-option`.
 */
export function loadOptionsSync(given: ImageBossOptions | null | undefined, from: string, host: string): LoadedOptions {
  const file = findConfigFile(from)
  return { options: mergeOptions(file === undefined ? undefined : loadConfigFileSync(file, host), given), file }
}

/**
 * Options given to an entry point over those of a config file, key by key at the top level:
 * a key the options give (with a value other than `undefined`) replaces the file's value
 * whole, also for objects such as `sources`, `defaults` and `presets`, which are not merged
 * inside.
 */
export function mergeOptions(fromFile: ImageBossOptions | undefined, given: ImageBossOptions | null | undefined): ImageBossOptions {
  const options: Record<string, unknown> = { ...fromFile }
  for (const [key, value] of Object.entries(given ?? {})) if (value !== undefined) options[key] = value
  return options as ImageBossOptions
}

/**
 * Load the options of a config file: the JSON object of a `.json` file, or the default
 * export of a `.js`/`.mjs` module (an object, or a function returning one, maybe async).
 * Mistakes throw `invalid-option` naming the file (and, for JSON, the line and column); the
 * file's content is never quoted, so a secret in it cannot reach a log.
 *
 * @throws {ImageBossError} `invalid-option`.
 */
export async function loadConfigFile(file: string): Promise<ImageBossOptions> {
  if (file.endsWith('.json')) return checkConfig(readJson(file), file)
  let module: { default?: unknown }
  try {
    // The URL written as a template literal: webpack's persistent cache (the copy Next.js bundles
    // among them) reads the ES modules a build depends on, and warns in every build of an
    // `import()` of anything but a string; it reads a template literal as one, and lets the
    // file it names be missing.
    module = (await import(`${pathToFileURL(file).href}`)) as { default?: unknown }
  } catch (error) {
    throw loadError(file, error)
  }
  let value = module.default
  if (typeof value === 'function') value = (value as () => unknown)()
  return checkConfig(await value, file)
}

/** {@link loadConfigFile} without waiting: `require()` of the module (CommonJS, or ES without top-level `await`). */
function loadConfigFileSync(file: string, host: string): ImageBossOptions {
  if (file.endsWith('.json')) return checkConfig(readJson(file), file)
  let module: unknown
  try {
    module = createRequire(import.meta.url)(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_REQUIRE_ASYNC_MODULE') throw notSynchronous(file, host, 'top-level `await`')
    throw loadError(file, error)
  }
  // An ES module gives its namespace; a CommonJS one its `module.exports`, which `import()` calls its default export.
  let value = types.isModuleNamespaceObject(module) ? (module as { default?: unknown }).default : module
  if (typeof value === 'function') value = (value as () => unknown)()
  if (typeof (value as { then?: unknown } | null | undefined)?.then === 'function') throw notSynchronous(file, host, 'promise of options (an `async` function)')
  return checkConfig(value, file)
}

function notSynchronous(file: string, host: string, what: string): ImageBossError {
  return new ImageBossError(
    'invalid-option',
    `Unexpected ${what} in \`${file}\`, which ${host} loads synchronously; expected the options as an object or a function that returns one, an \`imageboss.config.json\`, or the options passed to ${host} itself`
  )
}

function loadError(file: string, error: unknown): ImageBossError {
  const reason = error instanceof Error ? error.message.split('\n')[0] : 'error'
  return new ImageBossError('invalid-option', `Unexpected error loading config file \`${file}\`: ${reason}`)
}

function readJson(file: string): unknown {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new ImageBossError('invalid-option', `Unexpected unreadable config file \`${file}\` (${(error as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    // V8 quotes the text around the mistake: keep only the position.
    const position = /position (\d+)/.exec(String((error as Error).message))
    const point = createLocator(text)(position ? Number(position[1]) : 0)
    throw new ImageBossError('invalid-option', `Unexpected invalid JSON in \`${file}\` at ${point.line}:${point.column}, expected an object of options`)
  }
}

/** The options of a config file, once checked: an object of known options that holds no secret. */
function checkConfig(value: unknown, file: string): ImageBossOptions {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ImageBossError('invalid-option', `Unexpected content of \`${file}\`, expected an object of options (a default export for a module)`)
  }
  const name = `\`${path.basename(file)}\``
  checkOptionNames(value, name)
  checkNoSecrets(value as ImageBossOptions, name)
  return value as ImageBossOptions
}

/**
 * A config file is part of the project, committed and shared: a secret there (or `env`,
 * which could carry one) is refused, whatever its value, so that a file that reads a
 * variable behaves the same on every machine. Messages name the key, never the value.
 *
 * @throws {ImageBossError} `invalid-option`.
 */
function checkNoSecrets(options: ImageBossOptions, name: string): void {
  const refuse = (key: string, variable: string) =>
    new ImageBossError(
      'invalid-option',
      `Unexpected \`${key}\` in ${name}, expected the secret in the \`${variable}\` variable: a config file is part of the project, and secrets stay out of it`
    )
  if (Object.hasOwn(options, 'secret')) throw refuse('secret', 'IMAGEBOSS_SECRET')
  if (Object.hasOwn(options, 'env')) {
    throw new ImageBossError(
      'invalid-option',
      `Unexpected \`env\` in ${name}, expected \`IMAGEBOSS_*\` variables in the environment: a config file is part of the project, and secrets stay out of it`
    )
  }
  const sources: unknown = options.sources
  if (sources === null || typeof sources !== 'object') return
  for (const [source, entry] of Object.entries(sources as Record<string, unknown>)) {
    if (entry !== null && typeof entry === 'object' && Object.hasOwn(entry, 'secret')) throw refuse(`sources['${source}'].secret`, secretVariable(source))
  }
}
