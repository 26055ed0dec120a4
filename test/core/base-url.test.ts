// `baseUrl` (and `IMAGEBOSS_BASE_URL`) as the URL parser reads it: every URL is built on it,
// so anything that would send them elsewhere, or carry a secret into every page, is an
// `invalid-option` error naming the problem, without the value's secret parts.
import { describe, expect, it } from 'vitest'
import { createImageBoss, ImageBossError, type ImageBossOptions } from '../../src/index.js'
import { expectedUrl } from '../helpers/expected.js'

const SECRET = 'base-url-secret'
const base: ImageBossOptions = { source: 'site', secret: SECRET, defaults: {}, env: {}, production: true }

function urlWith(options: ImageBossOptions): string {
  return createImageBoss({ ...base, ...options }).url('imageboss:/a.jpg')
}

/** The error `createImageBoss` throws for `options`. */
function errorOf(options: ImageBossOptions): ImageBossError {
  try {
    createImageBoss({ ...base, ...options })
  } catch (error) {
    expect(error).toBeInstanceOf(ImageBossError)
    return error as ImageBossError
  }
  throw new Error(`expected ${JSON.stringify(options)} to be rejected`)
}

describe('good base URLs', () => {
  it('`https:` with or without a path prefix; trailing `/`s removed', () => {
    for (const [given, used] of [
      ['https://img.imageboss.me', 'https://img.imageboss.me'],
      ['https://cdn.example.com/', 'https://cdn.example.com'],
      ['https://cdn.example.com:8443', 'https://cdn.example.com:8443'],
      ['https://cdn.example.com/images', 'https://cdn.example.com/images'],
      ['https://cdn.example.com/images/v2//', 'https://cdn.example.com/images/v2'],
      ['https://cdn.example.com/a%20b/@2x', 'https://cdn.example.com/a%20b/@2x'],
      ['https://localhost:8443', 'https://localhost:8443']
    ]) {
      expect(urlWith({ baseUrl: given })).toBe(expectedUrl('/site/cdn/a.jpg', SECRET, used))
    }
  })

  it('`http:` for this machine only: `localhost`, `127.0.0.1`, `[::1]` (the tests’ stand-in server)', () => {
    for (const host of ['localhost', '127.0.0.1:4173', '[::1]:9000']) {
      expect(urlWith({ baseUrl: `http://${host}` })).toBe(expectedUrl('/site/cdn/a.jpg', SECRET, `http://${host}`))
    }
    expect(urlWith({ env: { IMAGEBOSS_BASE_URL: 'http://127.0.0.1:51234/' } })).toBe(expectedUrl('/site/cdn/a.jpg', SECRET, 'http://127.0.0.1:51234'))
  })

  it('the option wins over the variable, which wins over the default', () => {
    expect(urlWith({ baseUrl: 'https://a.example', env: { IMAGEBOSS_BASE_URL: 'https://b.example' } })).toBe(
      expectedUrl('/site/cdn/a.jpg', SECRET, 'https://a.example')
    )
    expect(urlWith({})).toBe(expectedUrl('/site/cdn/a.jpg', SECRET, 'https://img.imageboss.me'))
  })
})

describe('bad base URLs: `invalid-option`, naming the problem', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['an empty query', 'https://cdn.example/?', /with a query/],
    ['a query', 'https://cdn.example/images?v=2', /with a query/],
    ['a fragment', 'https://cdn.example/#top', /with a fragment/],
    ['an empty fragment', 'https://cdn.example#', /with a fragment/],
    ['a backslash before `@`', 'https://evil.example\\@cdn.example', /with a backslash/],
    ['a backslash as a separator', 'https://cdn.example\\images', /with a backslash/],
    ['a user name and password', 'https://user:pass@cdn.example', /with a user name or password/],
    ['a user name', 'https://user@cdn.example', /with a user name or password/],
    ['an empty user name', 'https://@cdn.example', /with a user name or password/],
    ['`http:` for another host', 'http://cdn.example', /with `http:` for the host `cdn\.example`/],
    ['`http:` for a loopback address spelled another way', 'http://127.1', /written otherwise|`http:` for the host/],
    ['another scheme', 'ftp://cdn.example', /with the scheme `ftp:`/],
    ['a `javascript:` URL', 'javascript:alert(1)', /with the scheme `javascript:`/],
    ['a relative URL', '/images', /not an absolute URL/],
    ['an empty string', '', /not an absolute URL/],
    ['not a string', 42, /not a string/],
    ['dot segments', 'https://cdn.example/a/../b', /written otherwise than the URL parser reads it \(`https:\/\/cdn\.example\/b`\)/],
    ['encoded dot segments', 'https://cdn.example/a/%2e%2e/b', /written otherwise/],
    ['a space in the path', 'https://cdn.example/a b', /written otherwise than the URL parser reads it \(`https:\/\/cdn\.example\/a%20b`\)/],
    ['surrounding spaces', ' https://cdn.example ', /written otherwise/],
    ['a tab inside', 'https://cdn.\texample', /written otherwise/],
    ['an upper-case host', 'https://CDN.example', /written otherwise than the URL parser reads it \(`https:\/\/cdn\.example`\)/],
    ['the default port', 'https://cdn.example:443', /written otherwise/],
    ['no `//`', 'https:cdn.example', /written otherwise/]
  ]
  for (const [what, value, message] of cases) {
    it(`${what}: ${JSON.stringify(value)}`, () => {
      const error = errorOf({ baseUrl: value as string })
      expect(error.ruleId).toBe('invalid-option')
      expect(error.reason).toMatch(/^Unexpected `baseUrl` /)
      expect(error.reason).toMatch(message)
    })
  }

  it('names `IMAGEBOSS_BASE_URL` when the value comes from it', () => {
    const error = errorOf({ env: { IMAGEBOSS_BASE_URL: 'https://cdn.example/?' } })
    expect(error.ruleId).toBe('invalid-option')
    expect(error.reason).toMatch(/^Unexpected `IMAGEBOSS_BASE_URL` with a query/)
  })

  it('never prints the secret parts of the value: credentials, query, fragment', () => {
    for (const baseUrl of [
      'https://admin:hunter2@cdn.example',
      'https://cdn.example/?key=hunter2',
      'https://cdn.example/#hunter2',
      'http://admin:hunter2@evil.example',
      'https://evil.example\\@hunter2'
    ]) {
      const error = errorOf({ baseUrl })
      expect(error.reason).not.toContain('hunter2')
      expect(error.reason).not.toContain('admin')
      expect(error.message).not.toContain('hunter2')
    }
  })
})
