// The environment: with env-files.ts, the only modules of the package that read `process.env`,
// for the project loader (project.ts) and `createImageBoss()`'s default. No imports: code that
// signs when a page renders (on any server runtime) loads nothing more with it.

/** Variables by name. */
export type Env = Readonly<Record<string, string | undefined>>

/** The variables of this process, as they are now: a copy, so that later changes do not reach a run under way. */
export function processEnvironment(): Record<string, string | undefined> {
  return { ...process.env }
}

/** The variables of this process, live: `createImageBoss()`'s default, read as each option is. */
export function liveEnvironment(): Env {
  return process.env
}

/**
 * Whether a run is a production build when neither its options nor its host say: yes,
 * unless `NODE_ENV` is `development`. Strict unless told otherwise: a plain script must not
 * leave unsigned URLs in its output with exit code 0.
 */
export function productionByDefault(env: Env): boolean {
  return env.NODE_ENV !== 'development'
}
