import { afterEach, beforeEach, vi } from 'vitest'

/** Each test of the file starts without the variables `names` and leaves them as it found them. */
export function withoutEnv(names: readonly string[]): void {
  beforeEach(() => {
    for (const name of names) vi.stubEnv(name, undefined)
  })
  afterEach(() => {
    vi.unstubAllEnvs()
  })
}
