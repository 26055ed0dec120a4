import type { ChildProcess } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'

/** Every file under `dir` (those whose name `only` matches, when given), as text, by its path relative to `dir` with `/`. */
export async function readTree(dir: string, only?: RegExp): Promise<Map<string, string>> {
  const files = new Map<string, string>()
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || (only && !only.test(entry.name))) continue
    const file = path.join(entry.parentPath, entry.name)
    files.set(path.relative(dir, file).split(path.sep).join('/'), await readFile(file, 'utf8'))
  }
  return files
}

/** `files` (path → text) written under `dir`, folders made as needed. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
    writeFileSync(path.join(dir, name), text)
  }
}

/** Stop a child process (SIGTERM, then SIGKILL after 5 s) and wait until it is gone. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    child.on('close', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })
}
