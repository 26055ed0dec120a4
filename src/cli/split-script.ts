import { Parser, tokenizer, tokTypes, type Options } from 'acorn'
import type { Program } from 'estree'
import type { Problem } from '../core/problems.js'
import { ACORN_OPTIONS, hasLeftover, parseWithAcorn, syntaxProblem } from '../core/scan/index.js'

const OPTIONS: Options = { ...ACORN_OPTIONS, sourceType: 'module' }

const OPENING = new Set([tokTypes.braceL, tokTypes.parenL, tokTypes.bracketL, tokTypes.dollarBraceL])
const CLOSING = new Set([tokTypes.braceR, tokTypes.parenR, tokTypes.bracketR])

/**
 * Where a large script may be cut so that each piece is parsed and scanned on its own, as
 * the whole would be: after a `;` outside every bracket, which ends a top-level statement,
 * at least `pieceSize` characters after the previous cut. Acorn's tokenizer reads the text
 * once and keeps nothing but its state, where a parse of the whole keeps a tree of about ten
 * times its size.
 *
 * `undefined` when the script is read whole: it holds no reference (the scanner does not
 * parse it), it names this package (`imageboss-build`: whether a call signs at run time is
 * traced from its import, which may sit in another statement), or it does not tokenize
 * (the whole is parsed, and its error reported as for any script).
 */
export function scriptCuts(text: string, pieceSize: number): number[] | undefined {
  if (!hasLeftover(text) || text.includes('imageboss-build')) return undefined
  const cuts: number[] = []
  let depth = 0
  let last = 0
  try {
    for (const token of tokenizer(text, OPTIONS)) {
      if (OPENING.has(token.type)) depth++
      else if (CLOSING.has(token.type)) depth--
      else if (token.type === tokTypes.semi && depth === 0 && token.end - last >= pieceSize) {
        cuts.push(token.end)
        last = token.end
      }
    }
  } catch {
    return undefined
  }
  return cuts
}

/** Acorn's message for `export { name }` of a name the module does not declare. */
const UNDEFINED_EXPORT_RE = /^Export '.*' is not defined$/

/**
 * Acorn that lets a piece export what another piece declares (`export { a as b }` at the
 * end of a bundle names declarations of earlier pieces). The hook is acorn's own for errors
 * it can recover from; every other error stands.
 */
const PieceParser = Parser.extend(
  (Base) =>
    class extends (Base as unknown as new (...args: unknown[]) => { raiseRecoverable(pos: number, message: string): void }) {
      override raiseRecoverable(pos: number, message: string): void {
        if (!UNDEFINED_EXPORT_RE.test(message)) super.raiseRecoverable(pos, message)
      }
    } as unknown as typeof Parser
)

/** Parse a piece of a script cut by `scriptCuts`: as a module, then as a classic script, as `parseWithAcorn`. */
export function parseScriptPiece(code: string): Program {
  try {
    return PieceParser.parse(code, OPTIONS) as unknown as Program
  } catch {
    return parseWithAcorn(code)
  }
}

/**
 * The syntax error of a piece that the scanner does not parse, since it holds no reference:
 * a script that does not parse fails read in pieces as it fails read whole. (What a parse
 * of the whole alone sees, a top-level name declared in two pieces, is not seen; the
 * problems listed for a script that does not parse may differ, but it fails either way.)
 */
export function pieceSyntaxError(code: string): Problem | undefined {
  if (hasLeftover(code)) return undefined
  try {
    parseScriptPiece(code)
    return undefined
  } catch (error) {
    return syntaxProblem(error)
  }
}
