// The order in which the browser tests find a Chromium, on machines made up in a temp dir.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { chooseBrowser, type Machine } from './find-browser.js'

const root = mkdtempSync(path.join(os.tmpdir(), 'imageboss-find-browser-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

/** An executable file at `relative` under the temp dir. */
function executable(relative: string): string {
  const file = path.join(root, relative)
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(file, '#!/bin/sh\n')
  chmodSync(file, 0o755)
  return file
}

const system = executable('usr/bin/chromium')
const onPath = executable('bin-a/chromium-browser')
const nowhere = path.join(root, 'nowhere/chromium')
const linux = (env: NodeJS.ProcessEnv, systemPath = nowhere): Machine => ({ env, platform: 'linux', arch: 'x64', systemPath })

describe('chooseBrowser', () => {
  it('takes IMAGEBOSS_CHROMIUM first, a path or `packaged`', () => {
    const own = executable('opt/own-chrome')
    expect(chooseBrowser(linux({ IMAGEBOSS_CHROMIUM: own, PATH: path.dirname(onPath) }, system))).toEqual({
      kind: 'path',
      path: own,
      why: 'IMAGEBOSS_CHROMIUM'
    })
    expect(chooseBrowser(linux({ IMAGEBOSS_CHROMIUM: 'packaged' }, system))).toEqual({ kind: 'packaged', why: 'IMAGEBOSS_CHROMIUM=packaged' })
  })

  it('says why a IMAGEBOSS_CHROMIUM that is not an executable cannot be used, rather than choosing another', () => {
    expect(chooseBrowser(linux({ IMAGEBOSS_CHROMIUM: nowhere }, system))).toEqual({
      kind: 'missing',
      why: `IMAGEBOSS_CHROMIUM is ${nowhere}, which is not an executable file`
    })
  })

  it('then the system Chromium, then one on the PATH', () => {
    expect(chooseBrowser(linux({ PATH: path.dirname(onPath) }, system))).toMatchObject({ kind: 'path', path: system })
    expect(chooseBrowser(linux({ PATH: `${path.join(root, 'empty')}${path.delimiter}${path.dirname(onPath)}` }))).toMatchObject({ kind: 'path', path: onPath })
  })

  it('then the packaged Chromium, on Linux x64', () => {
    const choice = chooseBrowser(linux({ PATH: path.join(root, 'empty') }))
    expect(choice.kind).toBe('packaged')
    expect(choice.why).toContain('no system Chromium')
  })

  it('reports clearly where no browser can be had', () => {
    const choice = chooseBrowser({ env: { PATH: '' }, platform: 'darwin', arch: 'arm64', systemPath: nowhere })
    expect(choice).toEqual({ kind: 'missing', why: expect.stringContaining('ships a Chromium for Linux x64 only (this is darwin arm64)') as string })
  })
})
