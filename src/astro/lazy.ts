import type { ImageBossOptions } from '../core/imageboss.js'

/** An Astro integration as Astro reads it: a name and its hooks (structural, so the core's types need no `astro`). */
export interface LazyAstroIntegration {
  name: string
  hooks: Record<string, (...args: never[]) => Promise<void>>
}

/** The hooks the integration (`imageboss-build/astro`) defines: each is handed on once it is loaded. */
const HOOKS = ['astro:config:setup', 'astro:routes:resolved', 'astro:build:start', 'astro:build:done'] as const

/**
 * The Astro integration, from the package's root: what `astro add imageboss-build` writes
 * (`import imagebossBuild from 'imageboss-build'`, `integrations: [imagebossBuild()]`). The
 * integration itself (`imageboss-build/astro`, which imports Vite) is loaded by its first hook,
 * so the core, which the root exports, stays free of any framework for every other user.
 *
 * @param options The options of `imageboss-build/astro` (optional).
 */
export default function imagebossBuild(options?: ImageBossOptions | null): LazyAstroIntegration {
  let loaded: Promise<{ hooks: Record<string, ((...args: unknown[]) => unknown) | undefined> }> | undefined
  // Resolved when a hook runs, from this module's own place: a bundler that reads the root
  // (a server bundle of `createImageBoss` users) never follows it into Astro's layer.
  const integration = () => {
    const specifier = new URL('../astro.js', import.meta.url).href
    return (loaded ??= import(/* @vite-ignore */ /* webpackIgnore: true */ specifier).then(
      (module: { default: (options?: ImageBossOptions | null) => never }) => module.default(options)
    ))
  }
  const hooks: LazyAstroIntegration['hooks'] = {}
  for (const name of HOOKS) {
    hooks[name] = async (...args: never[]) => {
      await (await integration()).hooks[name]?.(...args)
    }
  }
  return { name: 'imageboss-build', hooks }
}
