// What `imageboss verify` could reach at the least, to set beside it (bench/cli.js): a plain
// loop that reads each file as text, finds each `https://img.imageboss.me/` URL with
// `indexOf`, and verifies its `bossToken` with one HMAC of its path. No escapes undone, no
// other spelling of a URL or a reference looked for, no secret searched, no code sample told:
// a bound, not a check anyone should ship.
//
//   IMAGEBOSS_SECRET=… node bench/prototype-verify.js <dir>
import { createHmac, timingSafeEqual } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

const [dir] = process.argv.slice(2)
const secret = process.env.IMAGEBOSS_SECRET ?? ''
const BASE = 'https://img.imageboss.me'
const END = /[\s"'<>`(){}]/g
let urls = 0
let failed = 0
for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile()) continue
  const text = readFileSync(path.join(entry.parentPath, entry.name), 'utf8')
  for (let at = text.indexOf(BASE); at !== -1; at = text.indexOf(BASE, at + BASE.length)) {
    END.lastIndex = at
    const end = END.exec(text)?.index ?? text.length
    const url = text.slice(at + BASE.length, end)
    const query = url.indexOf('?bossToken=')
    if (query === -1) continue
    urls++
    const expected = createHmac('sha256', secret).update(url.slice(0, query)).digest()
    const given = Buffer.from(url.slice(query + 11, query + 75), 'hex')
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) failed++
  }
}
console.log(`${urls} URLs, ${failed} failed`)
