// `docusaurus start` with the plugin, in Chromium, with webpack and with Rspack (Docusaurus
// Faster): a doc page's MDX images are served signed as the build signs them, and the dev
// server signs nothing a request names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BUNDLERS, checkInstalled, copyExample, docusaurusStart, ENV, SECRET, SOURCE, url } from '../docusaurus/run.js'
import { expectedUrl } from '../helpers/expected.js'
import { describeInBrowser, launchBrowser } from './browser.js'

describeInBrowser('docusaurus start in Chromium', () => {
  let browser: Awaited<ReturnType<typeof launchBrowser>>
  beforeAll(async () => {
    checkInstalled()
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  describe.each(BUNDLERS)('with %s', (_, files) => {
    let server: Awaited<ReturnType<typeof docusaurusStart>> | undefined
    beforeAll(async () => {
      server = await docusaurusStart(await copyExample(await files()), ENV)
    }, 180_000)
    afterAll(async () => {
      await server?.stop()
    })

    it('serves the doc page with its images signed, each token the oracle’s', async () => {
      const context = await browser.newContext({ width: 1024, height: 768, dpr: 1 })
      const page = context.pages()[0] ?? (await context.newPage())
      await page.goto(`${server?.url}/docs/intro`, { waitUntil: 'networkidle' })
      const sources = await page.$$eval('article img', (images) => images.map((image) => image.getAttribute('src')))
      expect(sources).toEqual([url('width/800', 'cat.jpg'), url('width/400', 'dog.jpg')])
      // The code samples are shown as written.
      expect(await page.textContent('article')).toContain('imageboss:/photos/code.jpg?w=1')
    }, 120_000)

    it('signs nothing a request names', async () => {
      const forged = expectedUrl(`/${SOURCE}/width/10/format:auto/photos/forged.jpg`, SECRET)
      const token = forged.slice(forged.indexOf('bossToken=') + 'bossToken='.length)
      for (const request of [
        '/imageboss:/photos/forged.jpg?w=10',
        '/docs/intro?src=imageboss:/photos/forged.jpg?w=10',
        '/imageboss%3A/photos/forged.jpg?w=10'
      ]) {
        const response = await fetch(`${server?.url}${request}`)
        const body = await response.text()
        expect(body, request).not.toContain(token)
      }
    })
  })
})
