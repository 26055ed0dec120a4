import type { Node, Program } from 'estree'
import { walk } from './walk.js'

/** Modules of this package whose exports sign at run time. */
const OWN_MODULE_RE = /^imageboss-build(?:\/|$)/
/** Exports that sign their first argument when called. */
const SIGNING_FUNCTIONS = new Set(['imagebossUrl', 'imagebossResolve'])
/** Exports that make an instance whose methods sign. */
const FACTORIES = new Set(['createImageBoss'])
/** Instance methods that sign their first argument. */
const SIGNING_METHODS = new Set(['url', 'resolve', 'image'])

export interface RuntimeSigners {
  /** Whether a call to `callee` signs its first argument when the code runs. */
  isSigner(callee: Node): boolean
}

/**
 * This package's runtime signers as a module uses them, traced from its imports:
 * `imagebossUrl(…)` imported from `imageboss-build/astro/runtime`, and `boss.url(…)` where
 * `boss = createImageBoss(…)` imported from `imageboss-build`. Any other `.url()` is code
 * like any other, and its string argument a reference to sign.
 */
export function runtimeSigners(program: Program): RuntimeSigners {
  const functions = new Set<string>()
  const factories = new Set<string>()
  const namespaces = new Set<string>()
  for (const statement of program.body) {
    if (statement.type !== 'ImportDeclaration' || typeof statement.source.value !== 'string' || !OWN_MODULE_RE.test(statement.source.value)) continue
    for (const specifier of statement.specifiers) {
      if (specifier.type === 'ImportNamespaceSpecifier') namespaces.add(specifier.local.name)
      else if (specifier.type === 'ImportSpecifier' && specifier.imported.type === 'Identifier') {
        if (SIGNING_FUNCTIONS.has(specifier.imported.name)) functions.add(specifier.local.name)
        if (FACTORIES.has(specifier.imported.name)) factories.add(specifier.local.name)
      }
    }
  }
  const none: RuntimeSigners = { isSigner: () => false }
  if (functions.size === 0 && factories.size === 0 && namespaces.size === 0) return none

  const isExport = (callee: Node, names: Set<string>, exported: Set<string>) =>
    (callee.type === 'Identifier' && names.has(callee.name)) ||
    (callee.type === 'MemberExpression' &&
      !callee.computed &&
      callee.object.type === 'Identifier' &&
      namespaces.has(callee.object.name) &&
      callee.property.type === 'Identifier' &&
      exported.has(callee.property.name))

  // Instances: `const boss = createImageBoss(…)` (also `await`ed).
  const instances = new Set<string>()
  walk(program as Node, (node) => {
    if (node.type !== 'VariableDeclarator' || node.id.type !== 'Identifier' || !node.init) return
    const init = node.init.type === 'AwaitExpression' ? node.init.argument : node.init
    if (init.type === 'CallExpression' && isExport(init.callee as Node, factories, FACTORIES)) instances.add(node.id.name)
  })

  return {
    isSigner(callee) {
      if (isExport(callee, functions, SIGNING_FUNCTIONS)) return true
      return (
        callee.type === 'MemberExpression' &&
        !callee.computed &&
        callee.object.type === 'Identifier' &&
        instances.has(callee.object.name) &&
        callee.property.type === 'Identifier' &&
        SIGNING_METHODS.has(callee.property.name)
      )
    }
  }
}

/** Exports of this package that sign when called, and need the secret to. */
const SIGNING_EXPORTS = new Set([...SIGNING_FUNCTIONS, ...FACTORIES, 'getImageBoss'])

/**
 * The imports of this package's signing exports in a module (`imagebossUrl` from
 * `imageboss-build/astro/runtime`, `createImageBoss` from `imageboss-build`), with where each
 * name is written: code that runs in a browser must not have them.
 */
export function signingImports(program: Program): Array<{ name: string; start: number; end: number }> {
  const found: Array<{ name: string; start: number; end: number }> = []
  for (const statement of program.body) {
    if (statement.type !== 'ImportDeclaration' || typeof statement.source.value !== 'string' || !OWN_MODULE_RE.test(statement.source.value)) continue
    for (const specifier of statement.specifiers) {
      const name = specifier.type === 'ImportSpecifier' && specifier.imported.type === 'Identifier' ? specifier.imported.name : undefined
      const located = specifier as typeof specifier & { start: number; end: number }
      if (specifier.type === 'ImportNamespaceSpecifier' || (name !== undefined && SIGNING_EXPORTS.has(name))) {
        found.push({ name: name ?? specifier.local.name, start: located.start, end: located.end })
      }
    }
  }
  return found
}
