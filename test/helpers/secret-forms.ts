/**
 * Forms of a secret that must never show up in what a build writes or prints: as written,
 * JSON-escaped, percent-encoded, hex in either case, and base64 and base64url. Base64 depends on
 * where the bytes fall in a 3-byte group, so each of the three alignments gives its own run of
 * characters fixed by the secret alone (a secret inside a longer encoded text shows one of them).
 */
export function secretForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8')
  const forms = new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), bytes.toString('hex'), bytes.toString('hex').toUpperCase()])
  for (let pad = 0; pad < 3; pad++) {
    const padded = Buffer.concat([Buffer.alloc(pad), bytes])
    const from = Math.ceil((pad * 8) / 6)
    const to = Math.floor((padded.length * 8) / 6)
    forms.add(padded.toString('base64').slice(from, to))
    forms.add(padded.toString('base64url').slice(from, to))
  }
  return [...forms]
}
