import { parse, type DefaultTreeAdapterTypes as P5 } from 'parse5'
import { CODE_ELEMENTS } from '../core/attributes.js'
import { rewriteHtml } from '../core/html.js'
import type { ImageBoss } from '../core/imageboss.js'
import { rewriteValue, type RewriteResult } from '../core/slots.js'
import { rewriteScript } from './js.js'
import { rewriteJson } from './json.js'
import { rewriteXml } from './xml.js'

/** The kinds of file the CLI reads, by extension. */
export type FileKind = 'html' | 'css' | 'js' | 'xml' | 'json'

const KINDS: Readonly<Record<string, FileKind>> = {
  '.html': 'html',
  '.htm': 'html',
  '.css': 'css',
  '.js': 'js',
  '.mjs': 'js',
  '.xml': 'xml',
  '.rss': 'xml',
  '.atom': 'xml',
  '.json': 'json',
  '.webmanifest': 'json'
}

/** The kind of a file, from its extension, or `undefined` for a file the CLI leaves alone. */
export function kindOf(file: string): FileKind | undefined {
  const dot = file.lastIndexOf('.')
  return dot === -1 ? undefined : KINDS[file.slice(dot).toLowerCase()]
}

/** Script types whose text is JavaScript. */
const JS_TYPES = new Set(['', 'module', 'text/javascript', 'application/javascript', 'text/ecmascript', 'application/ecmascript'])
/** Script types whose text is JSON (structured data, import maps, framework state). */
const JSON_TYPES = new Set(['application/ld+json', 'application/json', 'importmap', 'speculationrules'])

/**
 * The edits a file of `kind` needs: references rewritten in place, with problems located by
 * offset. Nothing is re-serialised.
 *
 * @throws {import('./js.js').ScriptSyntaxError} For JavaScript that cannot be parsed.
 */
export function rewriteText(kind: FileKind, text: string, boss: ImageBoss): RewriteResult {
  const result: RewriteResult = { edits: [], problems: [], count: 0 }
  if (!text.includes('imageboss')) return result
  switch (kind) {
    case 'html': {
      // The same located rewriting as the Vite plugin's HTML entries, responsive keys included.
      const html = rewriteHtml(text, (reference) => boss.url(reference), { image: (reference) => boss.image(reference) })
      const scripts = rewriteInlineScripts(text, boss)
      return {
        edits: [...html.edits, ...scripts.edits],
        problems: [...html.problems, ...scripts.problems],
        count: html.count + scripts.count
      }
    }
    case 'css':
      rewriteValue(text, 'css', (reference) => boss.url(reference), 0, (url) => url, result)
      return result
    case 'js':
      return rewriteScript(text, boss)
    case 'xml':
      return rewriteXml(text, boss)
    case 'json':
      return rewriteJson(text, boss)
  }
}

/**
 * `<script>` text in HTML: classic and module scripts as JavaScript, JSON-LD and other JSON
 * scripts as JSON. Script text is raw (no entities), so offsets map one to one. Scripts
 * inside code samples are left alone, as the HTML rewriting leaves them.
 */
function rewriteInlineScripts(html: string, boss: ImageBoss): RewriteResult {
  const result: RewriteResult = { edits: [], problems: [], count: 0 }
  for (const { type, text, start } of inlineScripts(html)) {
    const part = JS_TYPES.has(type) ? rewriteScript(text, boss, start) : JSON_TYPES.has(type) ? rewriteJson(text, boss, start) : undefined
    if (!part) continue
    result.edits.push(...part.edits)
    result.problems.push(...part.problems)
    result.count += part.count
  }
  return result
}

/** Inline scripts that mention `imageboss:`: their lowercased `type`, text, and its offset. */
export function inlineScripts(html: string): { type: string; text: string; start: number }[] {
  const found: { type: string; text: string; start: number }[] = []
  if (!/<script/i.test(html)) return found
  const root = parse(html, { sourceCodeLocationInfo: true, scriptingEnabled: false })
  const stack: P5.ParentNode[] = [root]
  while (stack.length > 0) {
    const parent = stack.pop() as P5.ParentNode
    for (const node of parent.childNodes) {
      if (!('tagName' in node) || CODE_ELEMENTS.has(node.tagName)) continue
      if (node.tagName === 'script') {
        const child = node.childNodes[0]
        if (child && 'value' in child && child.sourceCodeLocation && child.value.includes('imageboss:')) {
          const type = (node.attrs.find((a) => a.name === 'type')?.value ?? '').trim().toLowerCase()
          // The source text, not the parsed value: parse5 turns CRLF into LF.
          const { startOffset, endOffset } = child.sourceCodeLocation
          found.push({ type, text: html.slice(startOffset, endOffset), start: startOffset })
        }
        continue
      }
      stack.push(node.tagName === 'template' ? (node as P5.Template).content : node)
    }
  }
  return found
}
