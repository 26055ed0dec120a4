// webpack's and Rspack's persistent caches keep the modules this package signs from one build to
// the next: a changed secret or config file must rebuild them, an unchanged build must not.
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { expectedUrl } from '../helpers/expected.js'
import { withImageBossEnv } from '../helpers/scratch.js'
import { build, BUNDLERS, project, projectConfig, type Bundler } from './run.js'

const SOURCE = 'cache-source'
const FIRST = 'first-secret-of-the-cache-test'
const SECOND = 'second-secret-of-the-cache-test'

/** The project's config with the bundler's persistent cache in `.cache` of the project. */
function cachedConfig(bundler: Bundler, root: string, outDir: string): Record<string, unknown> {
  const directory = path.join(root, '.cache')
  const cache = bundler === 'webpack' ? { type: 'filesystem', cacheDirectory: directory } : { type: 'persistent', storage: { type: 'filesystem', directory } }
  return { ...projectConfig(bundler, root, outDir, {}), cache, ...(bundler === 'webpack' ? { infrastructureLogging: { level: 'error' } } : {}) }
}

describe.each(BUNDLERS)('%s with a persistent cache', (bundler) => {
  it('rebuilds signed modules when the secret or the config file changes, and gives the same output when nothing did', async () => {
    const { root, outDir } = await project({
      'src/main.js': "import './style.css'\nconsole.log('imageboss:/photos/cat.jpg?w=200')\n",
      'src/style.css': '.hero { background: url(imageboss:/photos/hero.jpg?w=1200); }\n',
      'imageboss.config.json': '{ "defaults": { "quality": 80 } }\n'
    })
    const run = async (secret: string) => {
      const result = await withImageBossEnv({ IMAGEBOSS_SOURCE: SOURCE, IMAGEBOSS_SECRET: secret }, () => build(bundler, cachedConfig(bundler, root, outDir)))
      expect(result.errors).toEqual([])
      const script = await readFile(path.join(outDir, 'main.js'), 'utf8')
      const css = bundler === 'webpack' ? script : await readFile(path.join(outDir, 'main.css'), 'utf8')
      return { script, css }
    }
    const url = (signedPath: string, secret: string) => expectedUrl(`/${SOURCE}${signedPath}`, secret)

    const first = await run(FIRST)
    expect(first.script).toContain(url('/width/200/quality:80/photos/cat.jpg', FIRST))
    expect(first.css).toContain(url('/width/1200/quality:80/photos/hero.jpg', FIRST))
    // Unchanged: what the cache gives is what the first build wrote.
    expect(await run(FIRST)).toEqual(first)
    // Another default in the config file.
    await writeFile(path.join(root, 'imageboss.config.json'), '{ "defaults": { "quality": 50 } }\n')
    const changed = await run(FIRST)
    expect(changed.script).toContain(url('/width/200/quality:50/photos/cat.jpg', FIRST))
    expect(changed.css).toContain(url('/width/1200/quality:50/photos/hero.jpg', FIRST))
    // A rotated secret: every token made with the new one, none left of the old.
    const rotated = await run(SECOND)
    expect(rotated.script).toContain(url('/width/200/quality:50/photos/cat.jpg', SECOND))
    expect(rotated.css).toContain(url('/width/1200/quality:50/photos/hero.jpg', SECOND))
    expect(rotated.script + rotated.css).not.toContain(url('/width/200/quality:50/photos/cat.jpg', FIRST))
  })
})
