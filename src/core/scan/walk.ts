import type { Node } from 'estree'

/**
 * Called for each node before its children, with its parent and the parent's key that holds
 * it; returning `false` skips the node's children.
 */
export type Enter = (node: Node, parent: Node | null, key: string | null) => boolean | void

function isNode(value: unknown): value is Node {
  return value !== null && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string'
}

/**
 * Visit every ESTree node under `root`, parents first, children in source order (as
 * `estree-walker` does). A loop with a stack of its own: recursion overflows the call stack
 * on a deep tree, such as a chain of a few thousand `+`, which acorn and host parsers build
 * without complaint.
 */
export function walk(root: Node, enter: Enter): void {
  const pending: Array<{ node: Node; parent: Node | null; key: string | null }> = [{ node: root, parent: null, key: null }]
  const children: Array<{ node: Node; parent: Node | null; key: string | null }> = []
  while (pending.length > 0) {
    const { node, parent, key } = pending.pop() as (typeof pending)[number]
    if (enter(node, parent, key) === false) continue
    for (const name in node) {
      const value = (node as unknown as Record<string, unknown>)[name]
      if (Array.isArray(value)) {
        for (const item of value) if (isNode(item)) children.push({ node: item, parent: node, key: name })
      } else if (isNode(value)) {
        children.push({ node: value, parent: node, key: name })
      }
    }
    // Pushed last first, so that they come off the stack in order.
    while (children.length > 0) pending.push(children.pop() as (typeof children)[number])
  }
}
