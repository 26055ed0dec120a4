// A real `vitepress dev` of examples/vitepress on a free port: the modules the browser fetches
// come signed, over HTTP.
import type { ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copyExample, references, SAMPLES, SECRET, SIGNED, SOURCE, startVitePress, url } from './helpers.js'

/** A port that was free a moment ago. */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (!address || typeof address === 'string') throw new Error('Expected a port')
  return address.port
}

/** A page whose front matter holds a bad reference: in dev, a warning with its place and reason. */
const BROKEN = '---\nlayout: home\nhero:\n  image:\n    src: imageboss:/vitepress/hero.png?w=0\n---\n'

describe('vitepress dev (examples/vitepress)', () => {
  let child: ChildProcess
  let origin: string
  let output = ''
  beforeAll(async () => {
    const dir = await copyExample({ 'docs/broken.md': BROKEN })
    const port = await freePort()
    origin = `http://127.0.0.1:${port}`
    child = startVitePress(['dev', 'docs', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], dir)
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Expected the dev server to start:\n${output}`)), 60_000)
      const read = (chunk: Buffer) => {
        output += chunk.toString()
        if (output.includes(origin)) {
          clearTimeout(timer)
          resolve()
        }
      }
      child.stdout?.on('data', read)
      child.stderr?.on('data', read)
      child.on('exit', (code) => reject(new Error(`Expected the dev server to keep running (exit ${code}):\n${output}`)))
    })
  }, 90_000)
  afterAll(async () => {
    if (!child || child.exitCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill()
    await exited
  })

  /** A module as the browser asks for it. */
  async function get(pathname: string): Promise<string> {
    const response = await fetch(origin + pathname)
    expect(response.status, pathname).toBe(200)
    return response.text()
  }

  it('serves the page signed, code samples as text', async () => {
    // As VitePress's client router imports a page in dev (Vite adds `import` to the URL of a dynamic import).
    const page = await get(`/index.md?import&t=${Date.now()}`)
    expect(page).toContain(url(SIGNED.markdownImage))
    expect(page).toContain(url(SIGNED.rawHtml))
    expect(page).toContain(url(SIGNED.scriptSetup))
    for (const reference of references(page)) expect(SAMPLES).toContain(reference)
  })

  it('serves the theme component signed, template and `<style>`', async () => {
    const component = await get('/.vitepress/theme/Banner.vue')
    expect(component).toContain(url(SIGNED.componentTemplate))
    const style = /"(\/\.vitepress\/theme\/Banner\.vue\?vue&type=style[^"]*)"/.exec(component)?.[1]
    expect(style).toBeDefined()
    expect(await get(style as string)).toContain(url(SIGNED.componentStyle))
  })

  it('serves the site data with the `head` meta signed', async () => {
    const siteData = await get('/@siteData')
    expect(siteData).toContain(url(SIGNED.headMeta))
    expect(references(siteData)).toEqual([])
  })

  it('serves the front matter signed, and warns of a bad value with its place and reason, leaving it as written', async () => {
    const hero = await get(`/hero.md?import&t=${Date.now()}`)
    expect(hero).toContain(url(`/${SOURCE}/width/400/format:auto/vitepress/hero.png`))
    const broken = await get(`/broken.md?import&t=${Date.now()}`)
    expect(broken).toContain('imageboss:/vitepress/hero.png?w=0')
    await expect
      .poll(() => output)
      .toContain(
        `[imageboss] docs/broken.md:5:${'    src: imageboss:/vitepress/hero.png?w='.length + 1}: invalid-value: Unexpected value \`0\` for \`w\`, expected an integer from 1 to 8192 (front matter \`hero.image.src\`)`
      )
  })

  it('prints no secret', () => {
    expect(output).not.toContain(SECRET)
  })
})
