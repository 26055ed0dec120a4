import { asConfigError, ImageBossError } from '../core/errors.js'
import { checkOptionNames, type ImageBossOptions } from '../core/imageboss.js'
import { loadProject } from '../core/project.js'
import type { Settings } from '../site/settings.js'

/** How Eleventy runs: `eleventy`, `eleventy --watch`, `eleventy --serve`. */
export type RunMode = 'build' | 'watch' | 'serve'

/** The settings of one Eleventy project: those of site files, so that passthrough copies are signed as the CLI signs a site. */
export type EleventySettings = Settings

/**
 * Check the options given to `addPlugin` at once, so that a misspelt option stops Eleventy
 * when the config loads, not when the first page is written.
 *
 * @throws {ImageBossError} `invalid-option`.
 */
export function checkPluginOptions(options: unknown): void {
  try {
    checkOptionNames(options, '`addPlugin(imageboss, options)`')
  } catch (error) {
    throw asEleventyConfigError(error)
  }
}

/**
 * The resolver and verify keys of a project, as the other entry points make them: the
 * options given to `addPlugin` over those of the nearest `imageboss.config.{js,mjs,json}`
 * from the project folder (the current directory, as for Eleventy); then the
 * `IMAGEBOSS_*` variables of the environment. Eleventy itself reads no `.env` file, and
 * neither does this: as for the CLI, the variables come from the environment
 * (`node --env-file=.env`, the CI's secret store). A build (`eleventy`) is a production
 * build, `--watch` and `--serve` are not, unless the `production` option says otherwise.
 *
 * @throws {ImageBossError} `invalid-option`, `exposed-secret` or, in production, `missing-secret`.
 */
export async function loadEleventySettings(
  options: ImageBossOptions | null | undefined,
  cwd: string,
  runMode: RunMode,
  onWarning: (warning: ImageBossError) => void
): Promise<EleventySettings> {
  try {
    // `--serve` rebuilds with the variables the server started with, as Vite does.
    const project = await loadProject({ root: cwd, options, production: runMode === 'build', onWarning, secretNow: true })
    return { project, cwd }
  } catch (error) {
    throw asEleventyConfigError(error)
  }
}

/**
 * A configuration mistake as Eleventy shows it: the core's form, and no stack trace of the
 * innermost error (Eleventy prints it unless told not to).
 */
function asEleventyConfigError(error: unknown): unknown {
  const shown = asConfigError(error)
  if (shown instanceof ImageBossError) Object.assign(shown, { skipOriginalStack: true })
  return shown
}
