import type { Problem } from './problems.js'
import { createScan } from './scan/context.js'
import { scanByKind } from './scan/dispatch.js'
import { hasLeftover } from './scan/leftovers.js'
import type { TextKind } from './scan/embedded.js'
import { verifyUrls, type VerifyKeys } from './verify-urls.js'

export interface CheckResult {
  /** Leftover references (`leftover-reference`, `dynamic-reference`), and with keys `unsigned-url` and `invalid-token`, in text order. */
  problems: Problem[]
  /** ImageBoss URLs checked. */
  urls: number
}

/**
 * A text as the scanners read it, in check mode: every reference they would find, as a
 * leftover, and, given `keys`, every ImageBoss URL whose token is missing or does not verify
 * (code samples and comments aside). The check that ends a build is another one, which shares
 * nothing with the scanners (`src/core/output/`).
 */
export function checkText(kind: TextKind, text: string, keys?: VerifyKeys): CheckResult {
  const mayHaveUrls = keys !== undefined && text.includes(keys.baseUrl + '/')
  if (!text.includes('imageboss') && !mayHaveUrls) return { problems: [], urls: 0 }
  const decodeEntities = kind === 'html' || kind === 'xml'
  // A text without a reference in any form needs its scan only to tell code samples and
  // comments, whose URLs are not checked: when every URL verifies, there is nothing to tell
  // (a signed site's pages: most of `imageboss verify`'s work would otherwise be a parse).
  if (mayHaveUrls && keys && !hasLeftover(text)) {
    const verified = verifyUrls(text, keys, decodeEntities, [])
    if (verified.problems.length === 0) return { problems: [], urls: verified.urls }
  }
  const scan = createScan({ mode: 'check', samples: mayHaveUrls })
  scanByKind(scan, kind, text)
  const problems = scan.result.problems
  let urls = 0
  if (mayHaveUrls && keys) {
    const verified = verifyUrls(text, keys, decodeEntities, scan.samples)
    for (const problem of verified.problems) problems.push(problem)
    urls = verified.urls
  }
  problems.sort((a, b) => a.start - b.start)
  return { problems, urls }
}
