/** Escape a value for an HTML attribute quoted with `quote`. */
export function escapeAttribute(value: string, quote: '"' | "'"): string {
  let out = value.replaceAll('&', '&amp;')
  out = quote === '"' ? out.replaceAll('"', '&quot;') : out.replaceAll("'", '&#39;')
  return out
}
