import { parse, type Options } from 'acorn'
import type { Node } from 'estree'
import { ImageBossError } from '../core/errors.js'
import { rewriteHtml } from '../core/html.js'
import type { ImageBoss } from '../core/imageboss.js'
import { isReference, scanScript, type Located } from '../core/script.js'
import { applyEdits, toProblem, type RewriteResult } from '../core/slots.js'


const DYNAMIC_REASON =
  'Unexpected dynamic reference, built at run time so it cannot be signed after the build; expected a whole reference in one string'

const ACORN_OPTIONS: Options = {
  ecmaVersion: 'latest',
  allowHashBang: true,
  allowReturnOutsideFunction: true,
  allowAwaitOutsideFunction: true,
  allowImportExportEverywhere: true
}

/** A JavaScript file that could not be parsed, with where. */
export class ScriptSyntaxError extends Error {
  readonly offset: number
  constructor(message: string, offset: number) {
    super(message)
    this.offset = offset
  }
}

/**
 * Rewrite string literals (and template literals without expressions) whose whole value is a
 * reference, in built JavaScript, as the Vite plugin does for modules: import specifiers and
 * object keys are left alone, markup strings get their attributes signed, and references
 * assembled at run time are `dynamic-reference` problems.
 *
 * @throws {ScriptSyntaxError} When the code is neither a module nor a script.
 */
export function rewriteScript(code: string, boss: ImageBoss, base = 0): RewriteResult {
  const result: RewriteResult = { edits: [], problems: [], count: 0 }
  if (!code.includes('imageboss:')) return result
  let program: Node
  try {
    program = parse(code, { ...ACORN_OPTIONS, sourceType: 'module' }) as unknown as Node
  } catch {
    try {
      program = parse(code, { ...ACORN_OPTIONS, sourceType: 'script' }) as unknown as Node
    } catch (error) {
      const pos = (error as { pos?: number }).pos ?? 0
      throw new ScriptSyntaxError(`Unexpected JavaScript syntax error: ${(error as Error).message.replace(/ \(\d+:\d+\)$/, '')}`, base + pos)
    }
  }

  const rewrite = (node: Located<Node>, value: string) => {
    if (!isReference(value)) {
      if (value.includes('<') && value.includes('imageboss:')) rewriteMarkup(node, value)
      return
    }
    try {
      // Core URLs are percent-encoded: no quote, backslash, backtick or `${` to escape.
      result.edits.push({ start: base + node.start + 1, end: base + node.end - 1, text: boss.url(value) })
      result.count++
    } catch (error) {
      const exact = code.slice(node.start + 1, node.end - 1) === value
      result.problems.push(toProblem(error, base + node.start + 1, base + node.end - 1, exact))
    }
  }

  const rewriteMarkup = (node: Located<Node>, value: string) => {
    const found = rewriteHtml(value, (reference) => boss.url(reference), { fragment: true, image: (reference) => boss.image(reference) })
    const raw = code.slice(node.start + 1, node.end - 1)
    const exact = raw === value
    for (const problem of found.problems) {
      const at = base + node.start + 1 + (exact ? problem.start : 0)
      result.problems.push({ ...problem, start: at, end: at })
    }
    if (found.edits.length === 0 || found.problems.length > 0) return
    result.count += found.count
    if (exact) {
      for (const edit of found.edits) result.edits.push({ ...edit, start: base + node.start + 1 + edit.start, end: base + node.start + 1 + edit.end })
    } else {
      const quote = code.charAt(node.start)
      const text = applyEdits(value, found.edits)
      const literal = quote === '`' ? '`' + text.replace(/[`\\]|\$\{/g, '\\$&') + '`' : quote === "'" ? quoteSingle(text) : JSON.stringify(text)
      result.edits.push({ start: base + node.start, end: base + node.end, text: literal })
    }
  }

  const dynamic = (node: Located<Node>) => {
    result.problems.push(toProblem(new ImageBossError('dynamic-reference', DYNAMIC_REASON), base + node.start, base + node.end))
  }

  const scan = scanScript(program)
  for (const string of scan.strings) rewrite(string.node, string.value)
  for (const node of scan.dynamic) dynamic(node)
  return result
}

function quoteSingle(text: string): string {
  return "'" + JSON.stringify(text).slice(1, -1).replaceAll('\\"', '"').replaceAll("'", "\\'") + "'"
}
