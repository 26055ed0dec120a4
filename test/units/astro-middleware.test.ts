// The page check of `astro build`'s middleware, called as Astro calls it: each prerendered
// HTML response is read as it renders, an unsigned reference fails the page.
import type { APIContext, MiddlewareNext } from 'astro'
import { afterEach, describe, expect, it } from 'vitest'
import { onRequest } from '../../src/astro/middleware.js'
import { newInstanceKey, setSharedState } from '../../src/astro/shared.js'
import { createImageBoss } from '../../src/core/imageboss.js'

const PAGE = [
  '<html><body>',
  '<h1>Morning</h1>',
  '<img src="imageboss:/photos/harbour.jpg?w=1200" alt="Cover">',
  '<pre><code>![x](imageboss:/shown/as/text.jpg?w=1)</code></pre>',
  '</body></html>'
].join('\n')

let instance: string | undefined

/** A build's shared state (`pages` set only by `astro build`). */
function share(pages: Map<string, string> | undefined): void {
  instance = newInstanceKey()
  setSharedState(instance, { imageboss: createImageBoss({ source: 's', secret: 'middleware-Secret_0a1b', env: {} }), pages })
}

afterEach(() => {
  if (instance !== undefined) setSharedState(instance, undefined)
  instance = undefined
})

function run(html: string, { type = 'text/html', prerendered = true } = {}) {
  const context = { isPrerendered: prerendered, url: new URL('http://localhost/posts/morning/'), routePattern: '/posts/[...slug]' } as unknown as APIContext
  const response = new Response(html, { headers: { 'content-type': type } })
  return onRequest(context, (() => Promise.resolve(response)) as MiddlewareNext) as Promise<Response>
}

async function failure(html: string): Promise<Error> {
  try {
    await run(html)
  } catch (error) {
    return error as Error
  }
  throw new Error('Expected the page to fail')
}

describe('the page check of `astro build`', () => {
  it('fails a page with an unsigned reference: one located line naming the page, then the way out', async () => {
    share(new Map([['/posts/[...slug]', 'src/pages/posts/[...slug].astro']]))
    const error = await failure(PAGE)
    const lines = error.message.split('\n')
    // Line 3 of the page, column 11 (`imageboss:` after `<img src="`); the code sample is text.
    expect(lines[0]).toBe(
      '[imageboss] /posts/morning/ (rendered by src/pages/posts/[...slug].astro):3:11: leftover-reference: Unexpected `imageboss:` reference left in the output in `src`, expected it signed; it reached the output without passing through imageboss-build: imageboss:/photos/harbour.jpg?w=1200'
    )
    expect(lines).toHaveLength(2)
    expect(lines[1]).toContain('`imagebossUrl(…)` from `imageboss-build/astro/runtime`')
    expect(lines[1]).toContain('`imagebossImage()` from `imageboss-build/astro/content`')
    expect(error.message).not.toContain('shown/as/text')
    // No stack: Astro prints the message alone.
    expect(error.stack).toBe('')
  })

  it('hands a clean page on unchanged, and leaves what it does not check alone', async () => {
    share(new Map())
    const clean = await run('<html><body><pre>imageboss:/a.jpg?w=1</pre></body></html>')
    expect(await clean.text()).toBe('<html><body><pre>imageboss:/a.jpg?w=1</pre></body></html>')
    // Not HTML, or rendered on demand: not a page of `dist/`.
    expect(await (await run(PAGE, { type: 'application/json' })).text()).toBe(PAGE)
    expect(await (await run(PAGE, { prerendered: false })).text()).toBe(PAGE)
  })

  it('checks nothing outside `astro build` (no `pages` shared: `astro dev`, a deployed server)', async () => {
    share(undefined)
    expect(await (await run(PAGE)).text()).toBe(PAGE)
    setSharedState(instance as string, undefined)
    expect(await (await run(PAGE)).text()).toBe(PAGE)
  })

  it('names the page by its path alone when no component is known for its route', async () => {
    share(new Map())
    expect((await failure(PAGE)).message).toMatch(/^\[imageboss\] \/posts\/morning\/:3:11: leftover-reference: /)
  })
})
