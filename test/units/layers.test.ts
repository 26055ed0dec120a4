// The layout of src/ as CONTRIBUTING.md draws it: adapters translate and never import one
// another; layers import no adapter; the environment is read in one place, the project loader's.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const SRC = fileURLToPath(new URL('../../src/', import.meta.url))
const ADAPTERS = ['astro', 'cli', 'docusaurus', 'eleventy', 'markdown-it', 'next', 'nuxt', 'rehype', 'rspack', 'vite', 'webpack']
const LAYERS = ['core', 'hast', 'markdown', 'site', 'vite-plugins', 'webpack-plugins']

/** Every TypeScript file of src/, relative to it with `/`. */
function sourceFiles(): string[] {
  return readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => file.split(path.sep).join('/'))
}

/** The top folder of src/ that each relative import of `file` reaches (`.` for an entry point). */
function importedFolders(file: string): string[] {
  const text = readFileSync(path.join(SRC, file), 'utf8')
  const folders: string[] = []
  for (const match of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), match[1] as string))
    folders.push(target.includes('/') ? (target.split('/')[0] as string) : '.')
  }
  return folders
}

const folderOf = (file: string) => (file.includes('/') ? (file.split('/')[0] as string) : '.')

describe('the layers of src/', () => {
  it('has every folder in a known kind', () => {
    const folders = new Set(sourceFiles().map(folderOf))
    folders.delete('.')
    expect([...folders].sort()).toEqual([...ADAPTERS, ...LAYERS].sort())
  })

  it('has no adapter that imports another adapter', () => {
    const crossings = sourceFiles().flatMap((file) => {
      const own = folderOf(file)
      if (!ADAPTERS.includes(own)) return []
      return importedFolders(file)
        .filter((folder) => folder !== own && ADAPTERS.includes(folder))
        .map((folder) => `${file} → ${folder}/`)
    })
    expect(crossings).toEqual([])
  })

  it('has no layer that imports an adapter or an entry point', () => {
    const upward = sourceFiles().flatMap((file) => {
      if (!LAYERS.includes(folderOf(file))) return []
      return importedFolders(file)
        .filter((folder) => ADAPTERS.includes(folder) || folder === '.')
        .map((folder) => `${file} → ${folder}`)
    })
    expect(upward).toEqual([])
  })

  it('has a core that imports nothing above it', () => {
    const upward = sourceFiles().flatMap((file) =>
      folderOf(file) === 'core'
        ? importedFolders(file)
            .filter((folder) => folder !== 'core')
            .map((folder) => `${file} → ${folder}`)
        : []
    )
    expect(upward).toEqual([])
  })

  it('reads `process.env` only in the project loader’s modules', () => {
    const readers = sourceFiles().filter((file) => {
      // Strings first (a URL's `//` is no comment), then comments.
      const code = readFileSync(path.join(SRC, file), 'utf8')
        .replace(/`(?:\\.|[^`\\])*`|'(?:\\.|[^'\\\n])*'/g, "''")
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '')
      return /\bprocess\.env\b/.test(code)
    })
    expect(readers.sort()).toEqual(['core/env-files.ts', 'core/environment.ts'])
  })
})
