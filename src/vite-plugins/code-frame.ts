const LINE_RE = /\r\n|\r|\n/

/**
 * A code frame around a 1-based `line` and `column`, in the shape Vite prints and its
 * overlay shows. Vite exports no frame builder of its own in all of 6, 7 and 8.
 */
export function buildCodeFrame(source: string, line: number, column: number, range = 2): string {
  const lines = source.split(LINE_RE)
  const first = Math.max(1, line - range)
  const last = Math.min(lines.length, line + range)
  const width = String(last).length
  const out: string[] = []
  for (let number = first; number <= last; number++) {
    const text = (lines[number - 1] ?? '').replaceAll('\t', ' ')
    const gutter = String(number).padStart(width)
    out.push(`${number === line ? '>' : ' '} ${gutter} | ${text}`)
    if (number === line) out.push(`  ${' '.repeat(width)} | ${' '.repeat(Math.max(0, column - 1))}^`)
  }
  return out.join('\n')
}
