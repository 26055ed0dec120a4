// The root default export, as `astro add imageboss-build` uses it: the integration's name and
// hooks, the integration itself loaded only when a hook runs.
import { describe, expect, it } from 'vitest'
import imagebossBuild from '../../src/index.js'
import imageboss from '../../src/astro.js'

describe('imagebossBuild(), the default export of the package root', () => {
  it('has the name and every hook of `imageboss-build/astro`', () => {
    const lazy = imagebossBuild()
    const real = imageboss()
    expect(lazy.name).toBe(real.name)
    expect(Object.keys(lazy.hooks).sort()).toEqual(Object.keys(real.hooks).sort())
  })

  it('checks its options when the config is set up, as `imageboss-build/astro` does', () => {
    expect(() => imageboss({ sorce: 'x' } as never)).not.toThrow()
    expect(() => imagebossBuild({ sorce: 'x' } as never)).not.toThrow()
  })
})
