import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Plugin, Rollup } from 'vite'
import { createLocator } from '../core/location.js'
import type { Problem } from '../core/problems.js'
import type { Context } from './context.js'
import { cleanId, OWN_DIST_RE } from './filters.js'
import { createProblemsError, PLUGIN_NAME } from './problems.js'

/**
 * This package's module that signs: every signer of every entry point (`signPath`,
 * `createImageBoss`, `imagebossUrl`, the plugins) goes through it, and it imports
 * `node:crypto`. The script transform finds a signer imported by name where a module
 * writes `imageboss-build`; this finds the module itself wherever Vite loads it for the
 * browser, however it was reached: `import()`, a re-export in a module of the project, an
 * alias, a namespace.
 */
const SIGN_FILE = fileURLToPath(new URL('../core/sign.js', import.meta.url))
const SIGN_FILE_RE = new RegExp('^' + SIGN_FILE.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&') + '(?:$|\\?)')

/** Specifiers a module imports, re-exports or loads with `import()` (literal ones). */
const SPECIFIER_RE = /\b(?:from|import)\s*\(?\s*(["'])([^"'\n]+)\1/g

/** Whether a module is loaded for the browser (Vite 6+ environments; `ssr` before). */
function isClient(plugin: Rollup.PluginContext, options: { ssr?: boolean | undefined } | undefined): boolean {
  const environment = (plugin as { environment?: { config: { consumer: string } } }).environment
  return environment ? environment.config.consumer === 'client' : options?.ssr !== true
}

/** A bare import of this package, as written or as an alias leaves it (`resolve.alias` resolves its replacement). */
const OWN_PACKAGE_RE = /^imageboss-build(?:\/|$)/

/** Which environment a hook runs for: its name (Vite 6+), else `ssr` or `client`. */
function environmentOf(plugin: unknown, ssr: boolean | undefined): string {
  return (plugin as { environment?: { name: string } }).environment?.name ?? (ssr ? 'ssr' : 'client')
}

/** The project modules that import `importer` (and theirs), the nearest first: the way the browser reaches it. */
function importerChain(plugin: Rollup.PluginContext, importer: string): string[] {
  const chain = [importer]
  const seen = new Set(chain)
  let current = importer
  while (chain.length < 8) {
    const info = plugin.getModuleInfo(current)
    const next = [...(info?.importers ?? []), ...(info?.dynamicImporters ?? [])].find((id) => !seen.has(id))
    if (next === undefined) break
    seen.add(next)
    chain.push(next)
    current = next
  }
  return chain
}

/** Where `importer` writes the specifier that resolves into this package, in its file. */
async function importPlace(plugin: Rollup.PluginContext, importer: string, source: string): Promise<{ line: number; column: number } | undefined> {
  let text: string
  try {
    text = readFileSync(cleanId(importer), 'utf8')
  } catch {
    return undefined
  }
  const locate = createLocator(text)
  for (const quote of ['"', "'", '`']) {
    const at = text.indexOf(quote + source + quote)
    if (source && at !== -1) return locate(at)
  }
  // An alias: the specifier that resolves into this package.
  for (const match of text.matchAll(SPECIFIER_RE)) {
    const specifier = match[2] as string
    const resolved = await plugin.resolve(specifier, importer, { skipSelf: true }).catch(() => null)
    if (!resolved || !OWN_DIST_RE.test(resolved.id)) continue
    const at = (match.index ?? 0) + match[0].indexOf(match[1] as string)
    return locate(at)
  }
  return undefined
}

function shown(id: string, root: string): string {
  const file = cleanId(id)
  const relative = path.relative(root, file)
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : file
}

/** Fails a build (and a dev request) that loads this package's signing module for the browser. */
export function clientSigningPlugin(context: Context): Plugin {
  /** Per environment: the modules outside this package that import it, and how. */
  const importers = new Map<string, Map<string, string>>()
  return {
    name: `${PLUGIN_NAME}:client-signing`,
    // Before Vite's own resolver, which would resolve the package without asking.
    enforce: 'pre',
    buildStart() {
      importers.delete(environmentOf(this, undefined))
    },
    resolveId: {
      filter: { id: OWN_PACKAGE_RE },
      handler(source, importer, options) {
        // Vite before 6.3 ignores `filter`. Only noted here: Vite resolves it as usual.
        if (!importer || !OWN_PACKAGE_RE.test(source) || OWN_DIST_RE.test(importer)) return null
        const environment = environmentOf(this, options?.ssr)
        let found = importers.get(environment)
        if (!found) importers.set(environment, (found = new Map()))
        found.set(importer, source)
        return null
      }
    },
    load: {
      filter: { id: SIGN_FILE_RE },
      async handler(id, options) {
        // Vite before 6.3 ignores `filter`.
        if (!SIGN_FILE_RE.test(id) || !isClient(this, options)) return null
        const found: Array<[string, string]> = [...(importers.get(environmentOf(this, options?.ssr)) ?? [])]
        const problems: Problem[] = []
        for (const [importer, source] of found.length > 0 ? found : [[id, ''] as [string, string]]) {
          const place = importer === id ? undefined : await importPlace(this, importer, source)
          const chain = importer === id ? [] : importerChain(this, importer)
          const through = chain.length > 0 ? `, imported by ${chain.map((m) => `\`${shown(m, context.root)}\``).join(' ← ')}` : ''
          problems.push({
            ruleId: 'client-signing',
            reason: `Unexpected \`${source || 'imageboss-build'}\` in code that runs in the browser${through}: its signers cannot sign there (signing needs the secret, which never reaches the browser); expected this package imported only by code that runs on the server or at build time (an Astro page's frontmatter, an endpoint), or a static \`imageboss:\` reference`,
            start: 0,
            end: 0,
            place: { file: cleanId(importer), line: place?.line ?? 1, column: place?.column ?? 1 }
          })
        }
        const first = problems[0] as Problem
        return this.error(createProblemsError(first.place?.file ?? id, problems, '', context.root))
      }
    }
  }
}
