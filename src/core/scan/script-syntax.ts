import { Parser } from 'acorn'
import { tsPlugin } from '@sveltejs/acorn-typescript'
import type { Program } from 'estree'

/**
 * How a module is written: compiled JavaScript (what bundlers hand to plugins after their
 * own transforms), or the author's file as written, TypeScript and JSX included (what a
 * Turbopack loader receives).
 */
export type ScriptSyntax = 'js' | 'jsx' | 'ts' | 'tsx'

/** The syntax of an author's module, from its file name (`.js` may hold JSX, as Next.js and Vite allow). */
export function scriptSyntaxOf(file: string): ScriptSyntax {
  const extension = /\.([cm]?[jt]sx?)$/i.exec(file.replace(/[?#].*$/s, ''))?.[1]?.toLowerCase() ?? 'js'
  if (extension.endsWith('tsx')) return 'tsx'
  if (extension.endsWith('ts')) return 'ts'
  // `.mjs` and `.cjs` are plain JavaScript; `.js` and `.jsx` may hold JSX.
  return extension === 'mjs' || extension === 'cjs' ? 'js' : 'jsx'
}

// TypeScript's parser for acorn, with or without JSX (`<T>(x) => x` is a generic arrow in
// `.ts`, an element in `.tsx`). Made when first needed.
let typescript: typeof Parser | undefined
let typescriptJsx: typeof Parser | undefined

/**
 * Parse a module as written (`ts`, `tsx`, `jsx`): ESTree nodes with offsets, as acorn gives
 * them for JavaScript, plus TypeScript's and JSX's own. Throws acorn's `SyntaxError` (with `pos`).
 */
export function parseAuthored(code: string, syntax: Exclude<ScriptSyntax, 'js'>): Program {
  const parser = syntax === 'ts' ? (typescript ??= Parser.extend(tsPlugin({ jsx: false }))) : (typescriptJsx ??= Parser.extend(tsPlugin({ jsx: true })))
  // The plugin needs `locations`; the scanner reads only offsets.
  return parser.parse(code, {
    ecmaVersion: 'latest',
    sourceType: 'module',
    locations: true,
    allowHashBang: true,
    allowImportExportEverywhere: true,
    allowAwaitOutsideFunction: true
  }) as unknown as Program
}
