import { existsSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { ImageBossError } from './errors.js'
import { checkOptionNames, type ImageBossOptions } from './imageboss.js'
import { createLocator } from './location.js'

/** File names looked for, in this order, in each directory. */
const CONFIG_FILE_NAMES: readonly string[] = ['imageboss.config.js', 'imageboss.config.mjs', 'imageboss.config.json']

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
 * Load the options of a config file: the JSON object of a `.json` file, or the default
 * export of a `.js`/`.mjs` module (an object, or a function returning one, maybe async).
 * Mistakes throw `invalid-option` naming the file (and, for JSON, the line and column); the
 * file's content is never quoted, so a secret in it cannot reach a log.
 *
 * @throws {ImageBossError} `invalid-option`.
 */
export async function loadConfigFile(file: string): Promise<ImageBossOptions> {
  const name = path.basename(file)
  let value: unknown
  if (file.endsWith('.json')) {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (error) {
      throw new ImageBossError('invalid-option', `Unexpected unreadable config file \`${file}\` (${(error as NodeJS.ErrnoException).code ?? 'error'})`)
    }
    try {
      value = JSON.parse(text)
    } catch (error) {
      // V8 quotes the text around the mistake: keep only the position.
      const position = /position (\d+)/.exec(String((error as Error).message))
      const point = createLocator(text)(position ? Number(position[1]) : 0)
      throw new ImageBossError('invalid-option', `Unexpected invalid JSON in \`${file}\` at ${point.line}:${point.column}, expected an object of options`)
    }
  } else {
    let module: { default?: unknown }
    try {
      module = (await import(pathToFileURL(file).href)) as { default?: unknown }
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : 'error'
      throw new ImageBossError('invalid-option', `Unexpected error loading config file \`${file}\`: ${reason}`)
    }
    value = module.default
    if (typeof value === 'function') value = await (value as () => unknown)()
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ImageBossError('invalid-option', `Unexpected content of \`${file}\`, expected an object of options (a default export for a module)`)
  }
  checkOptionNames(value, `\`${name}\``)
  return value as ImageBossOptions
}

/** The options of the nearest config file from `from`, or `undefined` when there is none. */
export async function loadNearestConfigFile(from: string): Promise<{ file: string; options: ImageBossOptions } | undefined> {
  const file = findConfigFile(from)
  return file === undefined ? undefined : { file, options: await loadConfigFile(file) }
}
