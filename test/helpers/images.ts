import { parseFragment, type DefaultTreeAdapterTypes as P5 } from 'parse5'
import { expect } from 'vitest'
import { applyEdits } from '../../src/core/edits.js'
import { scanText, type Signer } from '../../src/core/scan/index.js'

/** The attributes of every `<img>` in some HTML, as a browser reads them. */
export function images(html: string): Array<Record<string, string>> {
  const found: Array<Record<string, string>> = []
  const walk = (node: P5.ParentNode) => {
    for (const child of node.childNodes) {
      if (!('tagName' in child)) continue
      if (child.tagName === 'img') found.push(Object.fromEntries(child.attrs.map((a) => [a.name, a.value])))
      walk(child)
    }
  }
  walk(parseFragment(html))
  return found
}

/** `markup` as the core's HTML scanner signs it with `signer`, which must find no problem. */
export function signedHtml(markup: string, signer: Signer): string {
  const result = scanText('html', markup, { signer })
  expect(result.problems).toEqual([])
  return applyEdits(markup, result.edits)
}
