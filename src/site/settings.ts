import type { ImageBossError } from '../core/errors.js'
import { loadProject, type Project, type ProjectRequest } from '../core/project.js'

/**
 * What a run over site files loads its project from: plain data (no functions), so that a
 * worker thread loads the same settings. `root` is also the folder file paths are relative to.
 */
export type SettingsInput = Omit<ProjectRequest, 'onWarning' | 'resolver' | 'envFiles'>

/** The settings of a run over site files. */
export interface Settings {
  project: Project
  /** The directory that file paths are relative to. */
  cwd: string
}

/**
 * The project of a run over site files, through the project loader as every entry point
 * loads it.
 *
 * @throws {ImageBossError} as `loadProject`.
 */
export async function loadSettings(input: SettingsInput, onWarning: (warning: ImageBossError) => void): Promise<Settings> {
  return { project: await loadProject({ ...input, onWarning }), cwd: input.root }
}
