// The floor of `imageboss verify` on a few pages in bench/cli.js (`benchCliStartup`): an ES
// module, as the executable is, that does the least any verify must do: read the folder and
// each file in it, sign one path (HMAC-SHA256, as the first URL checked would) and print a
// summary line. Its start-up above `node -e 0` is what no change to the CLI can go below.
//
//   node bench/startup-floor.js <dir>
import { createHmac } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

const dir = process.argv[2]
let bytes = 0
let files = 0
for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile()) continue
  bytes += readFileSync(path.join(entry.parentPath, entry.name)).length
  files++
}
const signature = createHmac('sha256', process.env.IMAGEBOSS_SECRET ?? 'secret')
  .update('/cover/800x600/x.jpg')
  .digest('hex')
process.stdout.write(`floor: ${files} files, ${bytes} bytes, ${signature.slice(0, 8)}\n`)
