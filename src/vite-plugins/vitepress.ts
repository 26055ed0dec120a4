import { readFileSync } from 'node:fs'
import { urlAttributesOf } from '../core/attributes.js'
import { applyEdits } from '../core/edits.js'
import { createLocator } from '../core/location.js'
import { formatProblem, prefixed, presentProblems, REASONS, type Problem } from '../core/problems.js'
import { hasLeftover, scanText, signDecodedValue, type Signer } from '../core/scan/index.js'
import type { Context } from './context.js'
import { checkFolder } from './output-check.js'
import { createProblemsError, PLUGIN_NAME } from './problems.js'

/** A `head` entry of a VitePress config: `[tag, attributes, content?]`. */
type HeadEntry = [string, Record<string, unknown>?, string?]

/** What VitePress hands Vite as `config.vitepress` (its site config): the parts read here. */
interface VitePressConfig {
  configPath?: string | undefined
  outDir?: string | undefined
  /** Called by `vitepress build` once every page is written: where the rendered pages are checked. */
  buildEnd?: ((siteConfig: VitePressConfig) => unknown) | undefined
  site?: { head?: HeadEntry[]; locales?: Record<string, { head?: HeadEntry[] } | undefined> }
}

/** Site configs already signed: VitePress builds its client and server bundles with one. */
const signed = new WeakSet<object>()
/** Site configs whose `buildEnd` already checks the output. */
const checked = new WeakSet<object>()

/**
 * The pages `vitepress build` renders after its bundles (no Vite hook sees them), with the
 * rest of its output folder, through the output check: VitePress's `buildEnd` is wrapped so
 * that the whole folder is checked before the config's own `buildEnd` runs (which may deploy
 * it), and again after it when there is one (it may write files). Flagged files are removed
 * and the build fails with every problem, located in the output.
 */
export function checkVitePressOutput(config: { vitepress?: unknown }, context: Context): void {
  const vitepress = config.vitepress as VitePressConfig | undefined
  if (!vitepress || !context.production || checked.has(vitepress)) return
  checked.add(vitepress)
  const own = vitepress.buildEnd
  vitepress.buildEnd = async (siteConfig) => {
    checkPages(siteConfig.outDir ?? vitepress.outDir, context)
    if (own) {
      await own(siteConfig)
      checkPages(siteConfig.outDir ?? vitepress.outDir, context)
    }
  }
}

function checkPages(outDir: string | undefined, context: Context): void {
  if (!outDir) return
  const note = 'written by VitePress after the bundle: a reference made when a page renders (from a data loader, frontmatter or `useData`) is not signed'
  const found = checkFolder(outDir, undefined, context.outputCheck, context.root, note)
  for (const warning of found.warnings) context.logger.warn(prefixed(formatProblem(warning, context.root)))
  const problem = found.problems[0]
  if (!problem) return
  const error = createProblemsError(problem.place?.file ?? outDir, found.problems, '', context.root)
  // `vitepress build` prints a failure's message and then its stack: the list once, named by its plugin.
  error.message = `[${PLUGIN_NAME}] ${error.message}`
  error.stack = ''
  throw error
}

/**
 * Sign the `head` tags of a VitePress config (and of its locales) in place. VitePress writes
 * them into each page itself, after the bundle, from this very object, and hands them to the
 * browser in its site data: no Vite hook sees them. Attribute values go through the core's
 * attribute table, `<style>` and `<script>` content through its scanners; an entry with a
 * problem is left unchanged. Problems fail a production build at once, located in the config
 * file; in development they are warnings.
 */
export function signVitePressHead(config: { vitepress?: unknown }, context: Context): void {
  const vitepress = config.vitepress as VitePressConfig | undefined
  const site = vitepress?.site
  if (!site || signed.has(site)) return
  signed.add(site)
  const heads = [site.head, ...Object.values(site.locales ?? {}).map((locale) => locale?.head)]
  // URLs only: a `head` tag is no `<img>` (an instance's methods need no `this`).
  const signer: Signer = { url: context.imageboss.url }
  const problems: Array<{ problem: Problem; value: string }> = []
  for (const head of heads) for (const entry of head ?? []) if (Array.isArray(entry)) signEntry(entry, signer, problems)
  if (problems.length === 0) return
  const file = vitepress.configPath
  const located = locate(file, problems)
  if (context.production) throw createProblemsError(file ?? 'vitepress config', located, '', context.root)
  presentProblems(located, { production: false, root: context.root, warn: (line) => context.logger.warn(prefixed(line)) })
}

function signEntry(entry: HeadEntry, signer: Signer, problems: Array<{ problem: Problem; value: string }>): void {
  const [tag, attributes, content] = entry
  const found: Array<{ problem: Problem; value: string }> = []
  const changes: Array<() => void> = []
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (typeof value !== 'string' || !hasLeftover(value)) continue
    const table = urlAttributesOf(tag).find((e) => e.attribute === name && (!e.when || String(attributes?.[e.when.attribute]).toLowerCase() === e.when.value))
    if (!table) {
      found.push({
        problem: {
          ruleId: 'unsupported-position',
          reason: REASONS.unsupportedPosition(`in the attribute \`${name}\` of a \`head\` tag, which is not a URL attribute`),
          start: 0,
          end: 0
        },
        value
      })
      continue
    }
    const result = signDecodedValue(value, table.kind, name, { signer })
    for (const problem of result.problems) found.push({ problem, value })
    changes.push(() => ((attributes as Record<string, unknown>)[name] = result.value))
  }
  if (typeof content === 'string' && hasLeftover(content)) {
    const kind = tag === 'style' ? 'css' : tag === 'script' ? 'script' : undefined
    const result = kind ? scanText(kind, content, { signer }) : undefined
    if (!result)
      found.push({
        problem: { ruleId: 'unsupported-position', reason: REASONS.unsupportedPosition(`in a \`<${tag}>\` of \`head\``), start: 0, end: 0 },
        value: content
      })
    else for (const problem of result.problems) found.push({ problem, value: content })
    if (result) changes.push(() => (entry[2] = applyEdits(content, result.edits)))
  }
  if (found.length > 0) problems.push(...found)
  else for (const change of changes) change()
}

/** Each problem at its value in the config file, where the value is written as it is; else at the file's start. */
function locate(file: string | undefined, problems: ReadonlyArray<{ problem: Problem; value: string }>): Problem[] {
  let text = ''
  try {
    if (file) text = readFileSync(file, 'utf8')
  } catch {
    // Not readable: the file is still named.
  }
  const at = createLocator(text)
  return problems.map(({ problem, value }) => {
    const offset = text.indexOf(value)
    const point = at(offset === -1 ? 0 : offset + problem.start)
    return { ...problem, place: { file, line: point.line, column: point.column } }
  })
}
