/** Replace `[start, end)` of a text by `text` (an insertion when `start === end`). */
export interface Edit {
  start: number
  end: number
  text: string
}

/** Apply edits (not overlapping) to a string. */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  if (edits.length === 0) return text
  let out = ''
  let last = 0
  for (const edit of [...edits].sort((a, b) => a.start - b.start || a.end - b.end)) {
    out += text.slice(last, edit.start) + edit.text
    last = edit.end
  }
  return out + text.slice(last)
}
