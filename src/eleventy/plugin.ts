import { rmSync } from 'node:fs'
import path from 'node:path'
import { applyEdits } from '../core/edits.js'
import { ImageBossError } from '../core/errors.js'
import type { ImageBossOptions } from '../core/imageboss.js'
import { problemFromError, type Problem } from '../core/problems.js'
import { kindOfFile, scanText } from '../core/scan/index.js'
import { signCopies, verifyOutputs, type OutputFile } from './files.js'
import { locateInInput, locateValue, type TemplateFiles } from './locate.js'
import { createReporter, type Reporter } from './report.js'
import { checkPluginOptions, loadEleventySettings, type EleventySettings, type RunMode } from './settings.js'

/** Options of the Eleventy plugin: those shared by every entry point of `imageboss-build`. */
export type ImageBossEleventyOptions = ImageBossOptions

/** The parts of Eleventy 3's config API the plugin uses (structural: no types ship with Eleventy). */
export interface EleventyConfig {
  addTransform(name: string, transform: (this: TransformThis, content: string) => string): unknown
  addFilter(name: string, filter: (this: FilterThis | undefined, value: unknown) => string): unknown
  on(event: string, handler: (argument: never) => unknown): unknown
  setServerPassthroughCopyBehavior?(behavior: string): unknown
  serverPassthroughCopyBehavior?: string
}

/** `this` of a transform: the page being written. */
export interface TransformThis {
  page: { inputPath: string; outputPath: string | false }
}

/** `this` of a filter in Nunjucks and Liquid: the page being rendered, when Eleventy gives it. */
export interface FilterThis {
  page?: { inputPath?: string; outputPath?: string | false } | undefined
}

/** Eleventy's folders, as `eleventy.before` gives them (relative to the project, with `./`). */
interface Directories {
  input: string
  output: string
  includes?: string | undefined
  layouts?: string | undefined
  data?: string | undefined
}

/** State of one `addPlugin(imageboss)`: one per Eleventy project, rebuilt with its config. */
interface State {
  options: ImageBossOptions | null | undefined
  cwd: string
  runMode: RunMode
  settings: EleventySettings | undefined
  /** Absolute: the input and output folders, those of layouts and includes, and those that data comes from. */
  directories: { input: string; output: string; folders: string[]; data: string[] }
  reporter: Reporter
  /** Files written by this build with a problem: removed when a production build fails. */
  failed: Set<string>
  /** Passthrough copies of this build, checked with the pages when a production build ends. */
  copies: OutputFile[]
  /** The user asked Eleventy to serve passthrough files from the input folder, where nothing signs them. */
  replacedEmulation: boolean
  /** Whether what became of emulated passthrough copy was said (once per server). */
  notedEmulation: boolean
  config: EleventyConfig
}

/** What stands in for a reference that cannot be signed in a failing build: never an `imageboss:` URL. */
const PLACEHOLDER = 'data:,'

/**
 * Sign `imageboss:` references in an Eleventy 3 site: every page the templates write
 * (Markdown, Nunjucks, Liquid, WebC, HTML; and any CSS, JS, XML or JSON output) through the
 * core's scanners, passthrough copies with `imageboss rewrite`'s machinery, and the
 * `imageboss` filter for values in templates. `eleventy` is a production build: a problem,
 * or anything the output check finds left unsigned, fails it; `--serve` and `--watch`
 * report problems and go on.
 *
 * @param eleventyConfig Eleventy's config API.
 * @param options Configuration (optional), over that of the nearest `imageboss.config.*`.
 */
export default function imageboss(eleventyConfig: EleventyConfig, options?: ImageBossEleventyOptions | null): void {
  // Eleventy passes `{}` when `addPlugin` is given no options: that means "none given".
  const given = options != null && Object.keys(options).length > 0 ? options : undefined
  checkPluginOptions(given)
  const cwd = process.cwd()
  const state: State = {
    options: given,
    cwd,
    runMode: 'build',
    settings: undefined,
    directories: { input: cwd, output: cwd, folders: [], data: [] },
    reporter: createReporter(cwd),
    failed: new Set(),
    copies: [],
    replacedEmulation: false,
    notedEmulation: false,
    config: eleventyConfig
  }
  // Eleventy's emulated passthrough copy serves files straight from the input folder in
  // `--serve`, where nothing signs them: copies are made (and signed) instead.
  if (eleventyConfig.serverPassthroughCopyBehavior === 'passthrough' && eleventyConfig.setServerPassthroughCopyBehavior) {
    eleventyConfig.setServerPassthroughCopyBehavior('copy')
    state.replacedEmulation = true
  }
  eleventyConfig.on('eleventy.before', (argument: { directories: Directories; runMode?: RunMode }) => beforeBuild(state, argument))
  eleventyConfig.addTransform('imageboss', function (content) {
    return transformOutput(state, this.page, content)
  })
  eleventyConfig.addFilter('imageboss', function (value) {
    return signValue(state, this?.page, value)
  })
  eleventyConfig.on('eleventy.passthrough', (argument: { map: Record<string, string> }) => passthroughCopied(state, argument.map))
  eleventyConfig.on('eleventy.after', (argument: { results?: Array<{ inputPath: string; outputPath: string | false }> }) =>
    afterBuild(state, argument.results ?? [])
  )
}

async function beforeBuild(state: State, { directories, runMode }: { directories: Directories; runMode?: RunMode }): Promise<void> {
  state.runMode = runMode ?? 'build'
  // Eleventy 3 gives every folder relative to the project (`./src/_includes/`), not to the input folder.
  const resolve = (folder: string) => path.resolve(state.cwd, folder)
  const folders = [directories.includes, directories.layouts].filter((f): f is string => f !== undefined).map(resolve)
  const input = resolve(directories.input)
  // Global data first, then the input folder: other pages' front matter (collections), directory data files.
  const data = [...(directories.data === undefined ? [] : [resolve(directories.data)]), input]
  state.directories = { input, output: resolve(directories.output), folders, data }
  state.failed.clear()
  state.copies = []
  state.reporter.reset()
  // One resolver for the server's life, as Vite keeps one: its memo and its one warning.
  state.settings ??= await loadEleventySettings(state.options, state.cwd, state.runMode, (warning) => state.reporter.warn(warning))
  if (state.runMode === 'serve') noteEmulation(state)
}

/** Say what became of emulated passthrough copy, once per server. */
function noteEmulation(state: State): void {
  if (state.notedEmulation) return
  state.notedEmulation = true
  if (state.config.serverPassthroughCopyBehavior === 'passthrough') {
    // Set back by a plugin added after this one, once Eleventy has read the config.
    state.reporter.note(
      "Unexpected `setServerPassthroughCopyBehavior('passthrough')` after `addPlugin(imageboss)`: the dev server serves passthrough files from the input folder, where their `imageboss:` references are not signed; expected it removed (or set before `addPlugin(imageboss)`, which then copies and signs them)"
    )
  } else if (state.replacedEmulation) {
    state.reporter.note(
      "`setServerPassthroughCopyBehavior('passthrough')` replaced by `'copy'`: files served from the input folder cannot be signed, so passthrough files are copied and signed as in a build"
    )
  }
}

function settingsOf(state: State): EleventySettings {
  if (!state.settings) throw new Error('[imageboss] Expected `eleventy.before` to run before pages are written')
  return state.settings
}

/** The transform: every output through the core's scanner of its kind. */
function transformOutput(state: State, page: TransformThis['page'], content: string): string {
  const outputPath = page.outputPath
  if (typeof outputPath !== 'string' || typeof content !== 'string' || !content.includes('imageboss')) return content
  const kind = kindOfFile(outputPath)
  if (!kind) return content
  const settings = settingsOf(state)
  const result = scanText(kind, content, { signer: settings.project.imageboss, placeholder: settings.project.production ? PLACEHOLDER : undefined })
  if (result.problems.length > 0) {
    const output = path.resolve(state.cwd, outputPath)
    const files = templateFiles(state, page.inputPath)
    report(
      state,
      result.problems.map((problem) => locateInInput(problem, content, output, files, state.cwd)),
      output
    )
  }
  return applyEdits(content, result.edits)
}

/** The `imageboss` filter: the signed URL of one reference. */
function signValue(state: State, page: FilterThis['page'], value: unknown): string {
  const settings = settingsOf(state)
  const reference = typeof value === 'string' ? value : String(value)
  try {
    if (typeof value !== 'string') {
      throw new ImageBossError(
        'invalid-reference',
        `Unexpected ${value === null ? 'null' : typeof value} given to the \`imageboss\` filter, expected a reference string such as \`"imageboss:/photos/cat.jpg?w=800"\``
      )
    }
    return settings.project.imageboss.url(value)
  } catch (error) {
    const problem = problemFromError(error, 0, reference.length)
    const inputPath = page?.inputPath
    const located = inputPath === undefined ? { ...problem, place: undefined } : locateValue(problem, reference, templateFiles(state, inputPath), state.cwd)
    const output = typeof page?.outputPath === 'string' ? path.resolve(state.cwd, page.outputPath) : undefined
    report(state, [located], output)
    // Production fails when the build ends; meanwhile nothing unsigned is written.
    return settings.project.production ? PLACEHOLDER : reference
  }
}

function templateFiles(state: State, inputPath: string): TemplateFiles {
  const { folders, data, output } = state.directories
  return { input: path.resolve(state.cwd, inputPath), folders, data, skip: [output] }
}

function report(state: State, problems: Problem[], output: string | undefined): void {
  if (settingsOf(state).project.production) {
    if (output !== undefined) state.failed.add(output)
    state.reporter.collect(problems)
  } else {
    state.reporter.show(problems)
  }
}

/** `eleventy.passthrough`: every file copied, signed in place before the build goes on. */
async function passthroughCopied(state: State, map: Record<string, string>): Promise<void> {
  const settings = settingsOf(state)
  const copies: OutputFile[] = []
  for (const [url, input] of Object.entries(map)) {
    let relative: string
    try {
      relative = decodeURI(url)
    } catch {
      continue
    }
    const output = path.join(state.directories.output, relative)
    if (kindOfFile(output) !== undefined) copies.push({ output, input: path.resolve(state.cwd, input) })
  }
  if (copies.length === 0) return
  state.copies.push(...copies)
  const result = await signCopies(settings, copies, (warning) => state.reporter.warn(warning))
  if (result.problems.length === 0) return
  if (settings.project.production) for (const file of result.failed) state.failed.add(file)
  report(state, result.problems, undefined)
}

/**
 * `eleventy.after`: in a production build, the output check over every page and copy
 * written, then every problem of the build in one error. The files with a problem are removed
 * first, so that a failed build leaves nothing unsigned to deploy.
 */
async function afterBuild(state: State, results: ReadonlyArray<{ inputPath: string; outputPath: string | false }>): Promise<void> {
  const settings = settingsOf(state)
  if (!settings.project.production) return
  const written: OutputFile[] = [...state.copies]
  for (const result of results) {
    if (typeof result.outputPath !== 'string' || kindOfFile(result.outputPath) === undefined) continue
    const output = path.resolve(state.cwd, result.outputPath)
    if (!state.failed.has(output)) written.push({ output, input: path.resolve(state.cwd, result.inputPath) })
  }
  const checked = await verifyOutputs(
    settings,
    written.filter((file) => !state.failed.has(file.output)),
    (warning) => state.reporter.warn(warning)
  )
  for (const file of checked.failed) state.failed.add(file)
  state.reporter.collect(checked.problems)
  const removed = [...state.failed].sort()
  for (const file of removed) rmSync(file, { force: true })
  const error = state.reporter.failure(removed)
  if (error) throw error
}
