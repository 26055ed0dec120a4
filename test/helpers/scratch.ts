import { mkdtempSync } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll } from 'vitest'

export interface ScratchDirectories {
  /** A fresh directory in the system's temporary directory. */
  scratch(prefix: string): Promise<string>
  /** The same, for synchronous code. */
  scratchSync(prefix: string): string
  /** A fresh directory inside `parent` (made if missing), e.g. git-ignored `.tmp` in the repository. */
  scratchIn(parent: string, prefix: string): Promise<string>
  /** Remove `dir` with the others (a directory made some other way); returns it. */
  track(dir: string): string
}

/**
 * Remove a directory and what it holds, retried: a dev server's dependency optimizer or a
 * bundler's cache writer may still be finishing a file as the tests end (ENOTEMPTY, EBUSY).
 */
export async function removeDirectory(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 })
}

/**
 * Temporary directories for one test file, removed once its tests have run. Call it at the top
 * level of a test file, or of a helper module the test file imports (each test file loads its
 * own copy of the helper: the `integration` and `e2e` projects isolate files).
 */
export function scratchDirectories(): ScratchDirectories {
  const made: string[] = []
  afterAll(async () => {
    for (const dir of made.splice(0)) await removeDirectory(dir)
  })
  const track = (dir: string) => {
    made.push(dir)
    return dir
  }
  return {
    async scratch(prefix) {
      return track(await mkdtemp(path.join(os.tmpdir(), prefix)))
    },
    scratchSync(prefix) {
      return track(mkdtempSync(path.join(os.tmpdir(), prefix)))
    },
    async scratchIn(parent, prefix) {
      await mkdir(parent, { recursive: true })
      return track(await mkdtemp(path.join(parent, prefix)))
    },
    track
  }
}

/** Run with `IMAGEBOSS_*` set to exactly `vars` (every other one unset), then restore `process.env`. */
export async function withImageBossEnv<T>(vars: Record<string, string>, run: () => Promise<T>): Promise<T> {
  const saved = { ...process.env }
  for (const name of Object.keys(process.env)) if (name.includes('IMAGEBOSS_')) delete process.env[name]
  Object.assign(process.env, vars)
  try {
    return await run()
  } finally {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name]
    Object.assign(process.env, saved)
  }
}
