import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parseEnv } from 'node:util'
import { ImageBossError } from '../core/errors.js'
import type { ImageBossOptions } from '../core/imageboss.js'

/** What `loadEnv` needs; structural, so Vite 6, 7 and 8 all fit. */
export type LoadEnv = (mode: string, envDir: string | false, prefixes?: string | string[]) => Record<string, string>

/** The parts of a resolved Vite config that decide where variables come from. */
export interface EnvConfig {
  mode: string
  root: string
  envDir?: string | false | undefined
  envPrefix?: string | string[] | undefined
}

const SECRET_NAME = 'IMAGEBOSS_SECRET'
/** Prefixes meta-frameworks expose to client code besides Vite's `envPrefix`. */
const ALSO_EXPOSED_PREFIXES = ['PUBLIC_']

/** `IMAGEBOSS_*` variables from `.env` files, with `process.env` winning. */
export function loadImageBossEnv(config: EnvConfig, loadEnv: LoadEnv): Record<string, string | undefined> {
  const envDir = config.envDir === undefined ? config.root : config.envDir
  const fromFiles = envDir === false ? {} : loadEnv(config.mode, envDir, 'IMAGEBOSS_')
  if (envDir !== false) checkExpandedVariables(envDir, config.mode, fromFiles)
  return { ...fromFiles, ...process.env }
}

/**
 * Refuse an `IMAGEBOSS_*` value that Vite's `.env` loader changed by expanding `$NAME`: a
 * secret `Abc$Def9Ghi` would silently become `Abc`, and every token would fail at the CDN.
 * The value must be exactly what the user wrote; `\$` is a literal `$` for Vite too. Values
 * set in the environment win over files and are never expanded, so they are not checked.
 *
 * @throws {ImageBossError} `expanded-variable`, naming the file and line, never the value.
 */
export function checkExpandedVariables(envDir: string, mode: string, loaded: Readonly<Record<string, string | undefined>>): void {
  // Vite's order: later files win.
  const files = ['.env', '.env.local', `.env.${mode}`, `.env.${mode}.local`].map((name) => path.join(envDir, name))
  for (const [name, expanded] of Object.entries(loaded)) {
    if (!name.startsWith('IMAGEBOSS_') || process.env[name] !== undefined) continue
    for (const file of [...files].reverse()) {
      let text: string
      try {
        text = readFileSync(file, 'utf8')
      } catch {
        continue
      }
      const written = parseEnv(text)[name]
      if (written === undefined) continue
      if (written.includes('$') && written.replaceAll('\\$', '$') !== expanded) {
        const line = text.split(/\r?\n/).findIndex((l) => new RegExp(`^\\s*(?:export\\s+)?${name}\\s*=`).test(l)) + 1
        throw new ImageBossError(
          'expanded-variable',
          `Unexpected \`$\` in \`${name}\` (${path.relative(process.cwd(), file) || file}:${line}): Vite's \`.env\` loader expands \`$NAME\`, which would change the value; expected \`\\$\` for a literal \`$\`, or the variable set in the environment`
        )
      }
      break
    }
  }
}

/**
 * Throw `exposed-secret` when a secret could reach client code: when `envPrefix` covers
 * `IMAGEBOSS_SECRET…`, or when a variable Vite (or a framework) exposes is named like a
 * secret or holds a configured secret. Messages name the variable, never its value.
 */
export function checkExposedSecrets(
  config: EnvConfig,
  loadEnv: LoadEnv,
  options: ImageBossOptions,
  env: Readonly<Record<string, string | undefined>>
): void {
  const envPrefix = config.envPrefix ?? 'VITE_'
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

  const envDir = config.envDir === undefined ? config.root : config.envDir
  // With `envDir: false` Vite loads no files, but still exposes prefixed `process.env` variables.
  const exposed = { ...exposedProcessEnv(prefixes), ...(envDir === false ? {} : loadEnv(config.mode, envDir, [...prefixes, ...ALSO_EXPOSED_PREFIXES])) }
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
