// `eleventy --serve`: the dev server serves signed pages and passthrough copies, reports
// problems without stopping, and signs nothing that a request asks for.
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectedUrl, hmac } from '../helpers/expected.js'
import { copyExample, EXAMPLE, listFiles, outputDir, read, SECRET, serve, SOURCE, type DevServer } from './helpers.js'

const servers: DevServer[] = []
afterAll(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()))
})

async function start(cwd: string, args: string[] = [], vars?: Record<string, string>): Promise<DevServer> {
  const server = await serve(cwd, args, vars)
  servers.push(server)
  return server
}

async function fetchText(url: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url)
  return { status: response.status, text: await response.text() }
}

/** Poll `url` until `test` holds (a rebuild after a change), or give up after 20 s. */
async function eventually(url: string, test: (text: string) => boolean): Promise<string> {
  let text = ''
  for (const deadline = Date.now() + 20_000; Date.now() < deadline;) {
    text = (await fetchText(url)).text
    if (test(text)) return text
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  return text
}

const cat = expectedUrl(`/${SOURCE}/width/800/format:auto/photos/cat.jpg`, SECRET)
const hero = expectedUrl(`/${SOURCE}/cover:entropy/1600x600/format:auto/photos/hero.jpg`, SECRET)
const logo = expectedUrl(`/${SOURCE}/width/120/format:png/brand/logo.png`, SECRET)
const mountain = expectedUrl(`/${SOURCE}/width/600/format:auto/photos/mountain.jpg`, SECRET)

describe('eleventy --serve of examples/eleventy', () => {
  let server: DevServer
  let site: string

  beforeAll(async () => {
    site = path.join(await outputDir(), '_site')
    server = await start(EXAMPLE, [`--output=${site}`])
  })

  it('serves signed pages, with the layout and the filter signed', async () => {
    const page = await fetchText(server.url + '/')
    expect(page.status).toBe(200)
    expect(page.text).toContain(cat)
    expect(page.text).toContain(expectedUrl(`/${SOURCE}/cover/1200x630/format:auto/brand/cover.jpg`, SECRET))
    expect((await fetchText(server.url + '/gallery/')).text).toContain(mountain)
  })

  it('serves the passthrough CSS and SVG signed', async () => {
    expect((await fetchText(server.url + '/css/site.css')).text).toContain(`url(${hero})`)
    expect((await fetchText(server.url + '/img/badge.svg')).text).toContain(`href="${logo}"`)
  })

  it('does not sign a path that a crafted request asks for', async () => {
    const asked = 'imageboss:/private/plans.jpg?w=100'
    const requests = [
      '/' + asked,
      '/' + encodeURIComponent(asked),
      '/%69mageboss:/private/plans.jpg?w=100',
      '/css/site.css?' + asked,
      '/?src=' + encodeURIComponent(asked),
      '/@id/__x00__' + asked,
      '/.11ty/reload?' + asked,
      '/img/badge.svg#' + asked
    ]
    const token = hmac(SECRET, `/${SOURCE}/width/100/format:auto/private/plans.jpg`)
    for (const request of requests) {
      const { text } = await fetchText(server.url + request)
      expect(text, request).not.toContain(token)
      expect(text, request).not.toMatch(/img\.imageboss\.me\/[^"'\s]*private/)
    }
    // Nor did any request make the server write such a file or URL.
    for (const file of await listFiles(site)) {
      const text = await read(site, file)
      expect(text, file).not.toContain(token)
      expect(text, file).not.toContain('private/plans')
    }
    expect(server.log()).not.toContain(SECRET)
  })
})

describe('eleventy --serve with problems and changes', () => {
  it('reports a bad reference at its input line and keeps serving; a changed stylesheet is signed again', async () => {
    const dir = await copyExample()
    await writeFile(
      path.join(dir, 'src/broken.md'),
      '---\nlayout: layouts/base.njk\ntitle: Broken\n---\n\n![Broken](imageboss:/photos/cat.jpg?w=800&quality=900)\n'
    )
    const server = await start(dir)
    expect(server.log()).toMatch(/\[imageboss\] src\/broken\.md:6:11: invalid-value: Unexpected value `900` for `quality`/)
    expect((await fetchText(server.url + '/')).text).toContain(cat)
    // The page is served, the bad reference left as it was (development: nothing is signed wrongly).
    expect((await fetchText(server.url + '/broken/')).text).toContain('src="imageboss:/photos/cat.jpg?w=800&amp;quality=900"')

    const css = path.join(dir, 'src/css/site.css')
    await writeFile(css, (await readFile(css, 'utf8')) + '.footer { background: url("imageboss:/photos/footer.jpg?w=1200"); }\n')
    const footer = expectedUrl(`/${SOURCE}/width/1200/format:auto/photos/footer.jpg`, SECRET)
    // Eleventy copies the file, then the plugin signs the copy in place: a request between the
    // two sees the copy (the browser reloads after the build, when it is signed). Wait for both.
    const served = await eventually(server.url + '/css/site.css', (text) => text.includes('footer') && !text.includes('imageboss:'))
    expect(served).toContain(`url("${footer}")`)
    expect(served).toContain(`url(${hero})`)
    expect(served).not.toContain('imageboss:')
    expect(server.log()).not.toContain(SECRET)
  })

  it('serves signed copies when the project asked for emulated passthrough copy, and says so', async () => {
    const dir = await copyExample()
    const config = path.join(dir, 'eleventy.config.js')
    await writeFile(
      config,
      (await readFile(config, 'utf8')).replace(
        'eleventyConfig.addPlugin(imageboss)',
        "eleventyConfig.setServerPassthroughCopyBehavior('passthrough')\n  eleventyConfig.addPlugin(imageboss)"
      )
    )
    const server = await start(dir)
    expect((await fetchText(server.url + '/css/site.css')).text).toContain(`url(${hero})`)
    expect((await fetchText(server.url + '/img/badge.svg')).text).toContain(`href="${logo}"`)
    expect(server.log()).toContain("`setServerPassthroughCopyBehavior('passthrough')` replaced by `'copy'`")
    // The input file is left as it was.
    expect(await readFile(path.join(dir, 'src/css/site.css'), 'utf8')).toContain('imageboss:/photos/hero.jpg')
  })

  it('warns once about a missing secret and serves unsigned URLs, without stopping', async () => {
    const dir = await copyExample()
    const server = await start(dir, [], { IMAGEBOSS_SOURCE: SOURCE })
    expect((await fetchText(server.url + '/')).text).toContain(expectedUrl(`/${SOURCE}/width/800/format:auto/photos/cat.jpg`) + '"')
    expect(server.log().match(/missing-secret/g)?.length).toBe(1)
  })
})

describe('eleventy --serve with emulated passthrough copy set after the plugin', () => {
  it('says that the passthrough files are served unsigned, and where the setting must go', async () => {
    const dir = await copyExample()
    const config = path.join(dir, 'eleventy.config.js')
    await writeFile(
      config,
      (await readFile(config, 'utf8')).replace(
        'eleventyConfig.addPlugin(imageboss)',
        "eleventyConfig.addPlugin(imageboss)\n  eleventyConfig.addPlugin((late) => late.setServerPassthroughCopyBehavior('passthrough'))"
      )
    )
    const server = await start(dir)
    // Eleventy serves the input file itself: what the plugin cannot sign, it says.
    expect((await fetchText(server.url + '/css/site.css')).text).toContain('url(imageboss:/photos/hero.jpg')
    expect(server.log()).toContain("Unexpected `setServerPassthroughCopyBehavior('passthrough')` after `addPlugin(imageboss)`")
    expect(server.log().match(/Unexpected `setServerPassthroughCopyBehavior/g)?.length).toBe(1)
  })
})
