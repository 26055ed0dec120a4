import type MagicString from 'magic-string'
import type { Edit } from '../core/slots.js'

/**
 * Apply the core's edits to a MagicString: replacements with `update`, insertions (empty
 * ranges, such as attributes written after `src`) with `appendLeft`. `base` is added to
 * every offset.
 */
export function applyEditsTo(s: MagicString, edits: readonly Edit[], base = 0): void {
  for (const edit of edits) {
    if (edit.start === edit.end) s.appendLeft(base + edit.start, edit.text)
    else s.update(base + edit.start, base + edit.end, edit.text)
  }
}
