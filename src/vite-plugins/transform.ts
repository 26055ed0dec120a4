import type { Program } from 'estree'
import MagicString from 'magic-string'
import { applyEdits } from '../core/edits.js'
import { PREFIX, REASONS, type Problem } from '../core/problems.js'
import { scanText, signingImports, type ScanResult, type ScanTextOptions, type TextKind } from '../core/scan/index.js'
import type { Context } from './context.js'
import { createOriginalMapper } from './original-position.js'
import { createProblemsError, locateProblems, type ModulePlace } from './problems.js'
import { svelteKitTemplateOrigin, type ModuleOrigin } from './sveltekit.js'

export interface TransformResult {
  code: string
  map: ReturnType<MagicString['generateMap']> | null
}

/** What a hook can do with problems: warn (dev, dynamic references) and read the incoming map. */
export interface HookContext {
  warn(warning: { message: string; id: string; loc: { file: string; line: number; column: number }; frame: string; pluginCode: string }): void
  getCombinedSourcemap?: (() => unknown) | undefined
}

/** Written in place of a reference that cannot be signed, so the rest of a failing build can run on to report every problem. */
const PLACEHOLDER = 'data:,'

/**
 * Scan one module's text with the core and hand back the edited text. Problems go to the
 * build's list in production (reported together when the build ends, with placeholders in
 * the meantime), or fail the module at once in dev (dynamic references only warn there).
 */
/** A module that is a block of an author's file (a component's `<style>`): the file, and where the block starts in it. */
export interface Within {
  text: string
  at: number
}

export function transformText(
  context: Context,
  hook: HookContext | undefined,
  kind: TextKind,
  code: string,
  place: { id: string; file: string; base?: number; origin?: ModuleOrigin | undefined; within?: Within | undefined },
  options: ScanTextOptions = {},
  more: readonly Problem[] = []
): TransformResult | null {
  const base = place.base ?? 0
  const text = base === 0 ? code : code.slice(base)
  const signer = context.imageboss
  const result = scanText(kind, text, { ...options, signer, placeholder: context.production ? PLACEHOLDER : undefined })
  result.problems.push(...more)
  if (result.problems.length > 0) {
    const shifted = base === 0 ? result.problems : result.problems.map((p) => ({ ...p, start: p.start + base, end: p.end + base }))
    // A module generated from an author's file (SvelteKit's `src/app.html`): its problems are
    // found again where the author wrote them, by the same scan of that file.
    const { origin } = place
    const own = origin && shifted.every((p) => origin.holds(p.start)) ? scanText(origin.kind, origin.text, { signer }).problems : []
    const { within } = place
    if (origin && own.length > 0) handleProblems(context, hook, own, { id: origin.file, file: origin.file, text: origin.text }, false)
    else if (within)
      handleProblems(
        context,
        hook,
        shifted.map((p) => ({ ...p, start: p.start + within.at, end: p.end + within.at })),
        { id: place.id, file: place.file, text: within.text },
        false
      )
    else handleProblems(context, hook, shifted, { id: place.id, file: place.file, text: code }, options.program !== undefined)
  }
  return applyScan(context, code, result, base)
}

function applyScan(context: Context, code: string, result: ScanResult, base: number): TransformResult | null {
  if (result.edits.length === 0) return null
  // No map asked for (a build without `build.sourcemap`): plain string edits, no MagicString.
  if (!context.sourcemap) return { code: code.slice(0, base) + applyEdits(code.slice(base), result.edits), map: null }
  const s = new MagicString(code)
  for (const edit of result.edits) {
    if (edit.start === edit.end) s.appendLeft(base + edit.start, edit.text)
    else s.update(base + edit.start, base + edit.end, edit.text)
  }
  return { code: s.toString(), map: context.sourcemap ? s.generateMap({ hires: 'boundary' }) : null }
}

function handleProblems(context: Context, hook: HookContext | undefined, problems: Problem[], place: ModulePlace, compiled: boolean): void {
  if (compiled && hook?.getCombinedSourcemap) {
    let map: Parameters<typeof createOriginalMapper>[1]
    try {
      map = hook.getCombinedSourcemap() as Parameters<typeof createOriginalMapper>[1]
    } catch {
      map = undefined
    }
    place.original = createOriginalMapper(place.text, map)
  }
  if (context.production) {
    const { located, frame } = locateProblems(place, problems)
    const first = located[0]
    if (first) context.frames.set(first, { id: place.id, frame })
    context.problems.push(...located)
    // A signer in browser code fails bundling next (it imports `node:crypto`): say why first,
    // with every problem found so far.
    if (located.some((p) => p.ruleId === 'client-signing')) {
      const all = context.problems.splice(0)
      throw createProblemsError(place.id, all, all[0] === first ? frame : '', context.root)
    }
    return
  }
  const warnings = problems.filter((p) => p.ruleId === 'dynamic-reference')
  const errors = problems.filter((p) => p.ruleId !== 'dynamic-reference')
  // One warning each: they are independent, and the dev server shows each with its frame.
  for (const warning of warnings) {
    const { located, frame } = locateProblems(place, [warning])
    const error = createProblemsError(place.id, located, frame, context.root)
    // `transformIndexHtml` has no `this.warn`: Vite's logger, then.
    if (hook) hook.warn({ message: error.message, id: place.id, loc: error.loc, frame: error.frame, pluginCode: error.pluginCode })
    else context.logger.warn(`${PREFIX} ${error.message}\n${frame}`)
  }
  if (errors.length > 0) {
    const { located, frame } = locateProblems(place, errors)
    throw createProblemsError(place.id, located, frame, context.root)
  }
}

/** Scan a compiled script, parsed by the host (`this.parse`). */
export function transformScript(
  context: Context,
  hook: HookContext,
  code: string,
  id: string,
  file: string,
  program: Program,
  keepSrcOf: readonly string[] | undefined,
  client: boolean
): TransformResult | null {
  // Code for the browser: this package's signers there would sign nothing (no secret).
  const more: Problem[] = client
    ? signingImports(program).map(({ name, start, end }) => ({ ruleId: 'client-signing', reason: REASONS.clientSigning(name), start, end }))
    : []
  // SvelteKit's generated template module: problems belong to `src/app.html`.
  const origin = svelteKitTemplateOrigin(id, code, context.root)
  return transformText(context, hook, 'script', code, { id, file, origin }, { program, keepSrcOf, viteIgnore: true }, more)
}
