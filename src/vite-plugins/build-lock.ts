import { ImageBossError, asConfigError } from '../core/errors.js'

/** The parts of a resolved Vite config that decide which project, and which `.env` files, a build signs for. */
export interface ProjectConfig {
  root: string
  mode: string
  envDir?: string | false | undefined
}

/**
 * One `imageboss()` instance keeps one state (the resolver made from a project's `.env`, the
 * problems found so far): builds may use it one after another (VitePress, Astro, SvelteKit
 * resolve the config again for each of their builds), and builds of the same project at once
 * (VitePress's client and server builds), but never builds of two projects at once, which
 * would sign one site with the other's source and secret. The second is refused with
 * `concurrent-build`, before it changes the state.
 */
export interface BuildLock {
  /** `configResolved`: a build (or dev server) of `config` is about to use the state. */
  configured(config: ProjectConfig, building: boolean): void
  /** `buildStart` of a build: `config` is its own (Vite 6+), or unknown (Vite 5). */
  started(config: ProjectConfig | undefined): void
  /** `closeBundle`, also after a failure (Vite calls it then too, once or twice). */
  ended(config: ProjectConfig | undefined): void
}

/** Which project a config is for: the state made from one serves only builds with the same key. */
export function projectKey(config: ProjectConfig): string {
  return [config.root, config.mode, String(config.envDir)].join('\0')
}

function refuse(other: string | undefined): never {
  const root = other?.split('\0')[0]
  throw asConfigError(
    new ImageBossError(
      'concurrent-build',
      `Unexpected second build at the same time with the same \`imageboss()\` plugin instance${root === undefined ? '' : ` (the other builds \`${root}\`)`}, which would sign each site with the other's source and secret; expected one \`imageboss()\` per build (call \`imageboss()\` in each build's config)`
    )
  )
}

export function createBuildLock(): BuildLock {
  /** The project whose build holds the state, and whether its bundling has begun. */
  let holder: { key: string; started: boolean } | undefined
  /**
   * A build configured while another project's build, configured but not started, held the
   * state: Vite 6+ tells each build's own config at `buildStart`; Vite 5 cannot, so every
   * start is refused until a build is configured with the state free.
   */
  let replaced = false

  return {
    configured(config, building) {
      const key = projectKey(config)
      if (holder && holder.key !== key) {
        if (holder.started) refuse(holder.key)
        if (building) replaced = true
      } else if (!holder) {
        replaced = false
      }
      if (building) holder = { key, started: false }
    },
    started(config) {
      if (config !== undefined) {
        const key = projectKey(config)
        if (holder && holder.key !== key) refuse(holder.key)
        holder = { key, started: true }
      } else {
        if (replaced) refuse(holder?.key)
        if (holder) holder.started = true
      }
    },
    ended(config) {
      if (holder && (config === undefined || holder.key === projectKey(config))) holder = undefined
    }
  }
}

/** The config of the build a hook runs for (Vite 6+ environments), with its command. */
function ownConfig(plugin: unknown): (ProjectConfig & { command?: string }) | undefined {
  return (plugin as { environment?: { config?: ProjectConfig & { command?: string } } }).environment?.config
}

/** The lock as the plugin's hooks use it; `serving` tells a dev server (Vite 5 has no environments). */
export function buildLockHooks(serving: () => boolean) {
  const lock = createBuildLock()
  const isBuild = (config: { command?: string } | undefined) => (config?.command === undefined ? !serving() : config.command === 'build')
  return {
    configResolved(config: ProjectConfig & { command: string }): void {
      lock.configured(config, config.command === 'build')
    },
    buildStart(plugin: unknown): void {
      const config = ownConfig(plugin)
      if (isBuild(config)) lock.started(config)
    },
    closeBundle(plugin: unknown): void {
      const config = ownConfig(plugin)
      if (isBuild(config)) lock.ended(config)
    }
  }
}
