import type { TextKind } from './embedded.js'

// A module of its own, importing no scanner: the CLI lists files by kind without loading the
// parsers, which only a file that needs scanning loads.

/** What each file extension holds: one table for the build-output check and the CLI. */
export const FILE_KINDS: Readonly<Record<string, TextKind>> = {
  '.html': 'html',
  '.htm': 'html',
  '.css': 'css',
  '.js': 'script',
  '.mjs': 'script',
  '.cjs': 'script',
  '.xml': 'xml',
  '.rss': 'xml',
  '.atom': 'xml',
  '.svg': 'xml',
  '.json': 'json',
  '.webmanifest': 'json',
  '.txt': 'text'
}

/** The kind of a file, from its name, or `undefined` for a file that holds no text to scan. */
export function kindOfFile(file: string): TextKind | undefined {
  const dot = file.lastIndexOf('.')
  return dot === -1 ? undefined : FILE_KINDS[file.slice(dot).toLowerCase()]
}
