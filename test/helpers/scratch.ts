import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll } from 'vitest'

/** Temporary directories for one test file, removed once its tests have run. */
export function scratchDirectories(): { scratch(prefix: string): Promise<string>; track(dir: string): string } {
  const made: string[] = []
  afterAll(async () => {
    for (const dir of made) await rm(dir, { recursive: true, force: true })
  })
  return {
    async scratch(prefix) {
      const dir = await mkdtemp(path.join(os.tmpdir(), prefix))
      made.push(dir)
      return dir
    },
    track(dir) {
      made.push(dir)
      return dir
    }
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
