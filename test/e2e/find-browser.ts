// Which Chromium the browser tests drive, in this order: `IMAGEBOSS_CHROMIUM` (a path, or
// `packaged`), a system Chromium (`/usr/bin/chromium`, then `chromium`, `chromium-browser`,
// `google-chrome` on the PATH), then the Chromium that `npm install` brings
// (`@sparticuz/chromium`, a dev dependency, Linux x64 only). Nothing to install by hand.
import { accessSync, constants, existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

const SYSTEM_PATH = '/usr/bin/chromium'
const SYSTEM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']
const PACKAGED = '@sparticuz/chromium'

/** The browser chosen, found without starting anything (the packaged one unpacks at launch). */
export type BrowserChoice = { kind: 'path'; path: string; why: string } | { kind: 'packaged'; why: string } | { kind: 'missing'; why: string }

/** A browser ready to launch: its executable, the arguments it needs, and a line for the test output. */
export interface FoundBrowser {
  executablePath: string
  args: string[]
  description: string
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** The first of `names` in a directory of `PATH`. */
function onPath(names: readonly string[], searchPath: string | undefined): string | undefined {
  for (const dir of (searchPath ?? '').split(path.delimiter).filter(Boolean)) {
    for (const name of names) {
      const file = path.join(dir, name)
      if (isExecutable(file)) return file
    }
  }
  return undefined
}

/** Why the packaged Chromium cannot run here, or `undefined` when it can. */
function packagedProblem(platform: string, arch: string): string | undefined {
  if (platform !== 'linux' || arch !== 'x64') return `${PACKAGED} ships a Chromium for Linux x64 only (this is ${platform} ${arch})`
  try {
    createRequire(import.meta.url).resolve(PACKAGED)
  } catch {
    return `${PACKAGED} is not installed (run \`npm install\`)`
  }
  return undefined
}

/** The machine as the choice sees it; tests give their own. */
export interface Machine {
  env: NodeJS.ProcessEnv
  platform: string
  arch: string
  systemPath: string
}

const THIS_MACHINE: Machine = { env: process.env, platform: process.platform, arch: process.arch, systemPath: SYSTEM_PATH }

export function chooseBrowser(machine: Machine = THIS_MACHINE): BrowserChoice {
  const { env, platform, arch, systemPath } = machine
  const chosen = env.IMAGEBOSS_CHROMIUM
  if (chosen === 'packaged') {
    const problem = packagedProblem(platform, arch)
    return problem ? { kind: 'missing', why: `IMAGEBOSS_CHROMIUM=packaged, but ${problem}` } : { kind: 'packaged', why: 'IMAGEBOSS_CHROMIUM=packaged' }
  }
  if (chosen) {
    return isExecutable(chosen)
      ? { kind: 'path', path: chosen, why: 'IMAGEBOSS_CHROMIUM' }
      : { kind: 'missing', why: `IMAGEBOSS_CHROMIUM is ${chosen}, which is not an executable file` }
  }
  if (isExecutable(systemPath)) return { kind: 'path', path: systemPath, why: 'the system Chromium' }
  const found = onPath(SYSTEM_NAMES, env.PATH)
  if (found) return { kind: 'path', path: found, why: 'a system Chromium on the PATH' }
  const problem = packagedProblem(platform, arch)
  const none = `no system Chromium (${systemPath}, or ${SYSTEM_NAMES.join(', ')} on the PATH)`
  return problem ? { kind: 'missing', why: `${none}, and ${problem}` } : { kind: 'packaged', why: none }
}

/** The chosen browser, ready to launch: the packaged one is unpacked (once, into the temp dir). */
export async function resolveBrowser(choice: BrowserChoice): Promise<FoundBrowser> {
  if (choice.kind === 'missing') throw new Error(`No Chromium for the browser tests: ${choice.why}`)
  if (choice.kind === 'path') return { executablePath: choice.path, args: [], description: `${choice.path} (${choice.why})` }
  const { default: chromium } = (await import(PACKAGED)) as { default: { args: string[]; executablePath(): Promise<string>; setGraphicsMode: boolean } }
  chromium.setGraphicsMode = false
  const executablePath = await chromium.executablePath()
  if (!existsSync(executablePath)) throw new Error(`${PACKAGED} gave ${executablePath}, which does not exist`)
  // Its `exports` hide its package.json: read it beside the entry (`build/index.js`).
  const manifest = path.join(path.dirname(createRequire(import.meta.url).resolve(PACKAGED)), '..', 'package.json')
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }
  return { executablePath, args: chromium.args, description: `${PACKAGED} ${version}, unpacked at ${executablePath} (${choice.why})` }
}
