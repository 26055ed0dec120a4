import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { scratchDirectories } from '../helpers/scratch.js'
import { signedUrl } from './expected.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
// Made when the test runs (not when the file is collected, as by `vitest list`), removed after it.
const { scratch } = scratchDirectories()

const demo = (signedPath: string) => signedUrl(signedPath, 'demo-secret')

describe('examples/unified', () => {
  it('builds HTML with signed URLs (demo source and secret when no variables are set)', async () => {
    expect(existsSync(join(root, 'dist/rehype.js')), 'run `npm run build` first').toBe(true)
    const out = await scratch('imageboss-unified-')
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', EXAMPLE_OUT_DIR: out }
    const { stdout } = await promisify(execFile)(process.execPath, ['examples/unified/build.js'], { cwd: root, env })
    expect(stdout).toContain('using the demo source `demo-images` with secret `demo-secret`')
    expect(stdout).toContain('index.md: no issues')
    expect(stdout).toContain('howto.md: no issues')

    const index = readFileSync(join(out, 'index.html'), 'utf8')
    expect(index).toContain(`<img src="${demo('/demo-images/width/800/format:auto/photos/harbour.jpg')}" alt="Harbour at dawn">`)
    expect(index).toContain(`<img src="${demo('/demo-images/cover:smart/400x400/format:auto/photos/lighthouse.jpg')}" alt="Lighthouse">`)
    expect(index).toContain(
      `<img src="${demo('/demo-images/cover/640x360/format:auto/photos/market.jpg')}" alt="Market street" width="640" height="360">`
    )
    expect(index).not.toContain('imageboss:')

    const howto = readFileSync(join(out, 'howto.html'), 'utf8')
    expect(howto).toContain(`<img src="${demo('/demo-images/width/400/format:webp/photos/cat.jpg')}" alt="A cat">`)
    // The code samples keep their references.
    expect(howto).toContain('![A cat](imageboss:/photos/cat.jpg?w=400)\n&#x3C;img src="imageboss:/photos/cat.jpg?w=400">')
    expect(howto).toContain('<code>imageboss:/photos/cat.jpg?w=400</code>')
  })
})
