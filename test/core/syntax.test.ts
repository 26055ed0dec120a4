// One test (at least) for every row of the normative syntax document. Expected URLs are
// written by hand from the document and signed by the independent oracle in ../helpers.
import { describe, expect, it, vi } from 'vitest'
import { createImageBoss, ImageBossError, parseReference, type ImageBossOptions } from '../../src/index.js'
import { expectedUrl, goPathEscape } from '../helpers/expected.js'

const SECRET = 'syntax-secret'
const base: ImageBossOptions = { source: 'site', secret: SECRET, defaults: {}, env: {}, production: true }

function url(reference: string, options: ImageBossOptions = {}): string {
  return createImageBoss({ ...base, ...options }).url(reference)
}

function rule(reference: string, options: ImageBossOptions = {}): { ruleId: string; reason: string; offset: number | undefined } {
  try {
    createImageBoss({ ...base, ...options }).url(reference)
  } catch (error) {
    expect(error).toBeInstanceOf(ImageBossError)
    const e = error as ImageBossError
    return { ruleId: e.ruleId, reason: e.reason, offset: e.offset }
  }
  throw new Error(`expected ${reference} to be rejected`)
}

describe('shape', () => {
  it('`imageboss:/photos/cat.jpg` is photos/cat.jpg in the default source', () => {
    expect(url('imageboss:/photos/cat.jpg')).toBe(expectedUrl('/site/cdn/photos/cat.jpg', SECRET))
  })
  it('the leading `/` is optional', () => {
    expect(url('imageboss:photos/cat.jpg')).toBe(url('imageboss:/photos/cat.jpg'))
  })
  it('`imageboss://blog-assets/…` names a source', () => {
    const options = { sources: { 'blog-assets': { secret: 'blog' } } }
    expect(url('imageboss://blog-assets/photos/cat.jpg', options)).toBe(expectedUrl('/blog-assets/cdn/photos/cat.jpg', 'blog'))
  })
  it('`?w=400` resizes to 400 px wide', () => {
    expect(url('imageboss:/photos/cat.jpg?w=400')).toBe(expectedUrl('/site/width/400/photos/cat.jpg', SECRET))
  })
  it('the scheme is exactly `imageboss:` (lowercase)', () => {
    expect(rule('IMAGEBOSS:/a.jpg').ruleId).toBe('invalid-reference')
    expect(rule('ImageBoss:/a.jpg').ruleId).toBe('invalid-reference')
  })
  it('a source name matches ^[A-Za-z0-9][A-Za-z0-9_-]*$', () => {
    expect(url('imageboss://A_b-9/x.jpg', { sources: { 'A_b-9': { signed: false } } })).toBe(expectedUrl('/A_b-9/cdn/x.jpg'))
    expect(rule('imageboss://-bad/x.jpg')).toMatchObject({ ruleId: 'invalid-reference', offset: 12 })
    expect(rule('imageboss:///x.jpg').ruleId).toBe('invalid-reference')
  })
  it('the default source comes from `source`, else IMAGEBOSS_SOURCE', () => {
    expect(url('imageboss:/a.jpg', { source: undefined, env: { IMAGEBOSS_SOURCE: 'fromenv' }, secret: 's' })).toBe(expectedUrl('/fromenv/cdn/a.jpg', 's'))
    expect(url('imageboss:/a.jpg', { source: 'opt', env: { IMAGEBOSS_SOURCE: 'fromenv' }, secret: 's' })).toBe(expectedUrl('/opt/cdn/a.jpg', 's'))
  })
  it('a reference to the default source when none is configured is an error', () => {
    expect(rule('imageboss:/a.jpg', { source: undefined }).ruleId).toBe('unknown-source')
  })
  it('a fragment is an error, located at the `#`', () => {
    expect(rule('imageboss:/a.jpg?w=1#x')).toMatchObject({ ruleId: 'invalid-reference', offset: 20 })
  })
})

describe('path', () => {
  it('is percent-decoded once: `my%20photo.jpg` and `my photo.jpg` are one file', () => {
    const expected = expectedUrl('/site/cdn/my%20photo.jpg', SECRET)
    expect(url('imageboss:/my%20photo.jpg')).toBe(expected)
    expect(url('imageboss:/my photo.jpg')).toBe(expected)
  })
  it('a file literally named `a%20b.jpg` is written `a%2520b.jpg`', () => {
    expect(url('imageboss:/a%2520b.jpg')).toBe(expectedUrl('/site/cdn/a%2520b.jpg', SECRET))
  })
  it('a `%` without two hex digits is an error located at it', () => {
    expect(rule('imageboss:/ab%2.jpg')).toMatchObject({ ruleId: 'invalid-path', offset: 13 })
    expect(rule('imageboss:/ab%.jpg').ruleId).toBe('invalid-path')
  })
  it('bytes that are not UTF-8 are an error', () => {
    expect(rule('imageboss:/a%FF.jpg').ruleId).toBe('invalid-path')
    expect(rule('imageboss:/a%C3.jpg').ruleId).toBe('invalid-path')
  })
  it.each([
    ['empty segment', 'imageboss:/a//b.jpg'],
    ['trailing /', 'imageboss:/a/b/'],
    ['empty path', 'imageboss:/'],
    ['no path', 'imageboss:'],
    ['`.`', 'imageboss:/a/./b.jpg'],
    ['`..`', 'imageboss:/a/../b.jpg'],
    ['encoded `..`', 'imageboss:/a/%2E%2E/b.jpg'],
    ['NUL', 'imageboss:/a%00.jpg'],
    ['U+001F', 'imageboss:/a\u001f.jpg'],
    ['DEL', 'imageboss:/a%7F.jpg']
  ])('%s is an error', (_name, reference) => {
    expect(rule(reference).ruleId).toBe('invalid-path')
  })
  it('each segment is re-encoded with Go PathEscape’s set, uppercase hex', () => {
    const file = 'é ü(1)!*\'[],;?#%^{}|\\"<>`~-_.:@&=+$.jpg'
    const reference = 'imageboss:/dir/' + encodeURIComponent(file)
    expect(url(reference)).toBe(expectedUrl('/site/cdn/dir/' + goPathEscape(file), SECRET))
    expect(goPathEscape(file)).toContain(':@&=+$')
  })
  it('`%2F` decodes to `/` and splits the path', () => {
    expect(url('imageboss:/a%2Fb.jpg')).toBe(expectedUrl('/site/cdn/a/b.jpg', SECRET))
  })
})

describe('parameters', () => {
  it('are parsed like URLSearchParams: `+` is a space, percent-decoded', () => {
    // A space is not a valid format, so the error quotes the decoded value.
    expect(rule('imageboss:/a.jpg?format=we+bp').reason).toContain('`we bp`')
    expect(url('imageboss:/a.jpg?form%61t=webp')).toBe(expectedUrl('/site/cdn/format:webp/a.jpg', SECRET))
  })
  it('an empty pair is ignored', () => {
    expect(url('imageboss:/a.jpg?&w=1&&')).toBe(expectedUrl('/site/width/1/a.jpg', SECRET))
  })
  it('a key given twice (also `w` and `width`) is an error at the second', () => {
    expect(rule('imageboss:/a.jpg?w=1&w=2')).toMatchObject({ ruleId: 'conflicting-parameters', offset: 21 })
    expect(rule('imageboss:/a.jpg?h=1&height=1').ruleId).toBe('conflicting-parameters')
    expect(rule('imageboss:/a.jpg?blur=1&blur=1').ruleId).toBe('conflicting-parameters')
  })
  it('an unknown key suggests the nearest known key', () => {
    const problem = rule('imageboss:/a.jpg?w=1&qualty=80')
    expect(problem).toMatchObject({ ruleId: 'unknown-parameter', offset: 21 })
    expect(problem.reason).toBe('Unexpected unknown parameter `qualty`, expected a known parameter such as `quality`')
  })
})

describe('operation and size', () => {
  it.each([
    ['w', 'imageboss:/a.jpg?w=640', '/site/width/640/a.jpg'],
    ['width', 'imageboss:/a.jpg?width=640', '/site/width/640/a.jpg'],
    ['h', 'imageboss:/a.jpg?h=480', '/site/height/480/a.jpg'],
    ['height', 'imageboss:/a.jpg?height=480', '/site/height/480/a.jpg'],
    ['w+h → cover', 'imageboss:/a.jpg?w=640&h=480', '/site/cover/640x480/a.jpg'],
    ['neither → cdn', 'imageboss:/a.jpg', '/site/cdn/a.jpg'],
    ['op=cover', 'imageboss:/a.jpg?op=cover&w=2&h=3', '/site/cover/2x3/a.jpg'],
    ['op=width', 'imageboss:/a.jpg?op=width&w=2', '/site/width/2/a.jpg'],
    ['op=height', 'imageboss:/a.jpg?op=height&h=3', '/site/height/3/a.jpg'],
    ['op=cdn', 'imageboss:/a.jpg?op=cdn', '/site/cdn/a.jpg'],
    ['bounds 1 and 8192', 'imageboss:/a.jpg?w=1&h=8192', '/site/cover/1x8192/a.jpg'],
    ['leading zeros', 'imageboss:/a.jpg?w=0640', '/site/width/640/a.jpg']
  ])('%s', (_name, reference, path) => {
    expect(url(reference)).toBe(expectedUrl(path, SECRET))
  })
  it.each(['0', '8193', '1.5', '-1', 'abc', '', '1e3'])('w=%s is invalid', (value) => {
    expect(rule(`imageboss:/a.jpg?w=${value}`)).toMatchObject({ ruleId: 'invalid-value', offset: 19 })
  })
  it('op must be a known operation', () => {
    expect(rule('imageboss:/a.jpg?op=resize').ruleId).toBe('invalid-value')
  })
  it.each([
    'smart',
    'center',
    'attention',
    'entropy',
    'face',
    'north',
    'northeast',
    'east',
    'southeast',
    'south',
    'southwest',
    'west',
    'northwest',
    'contain',
    'inside'
  ])('mode=%s is written cover:%s', (mode) => {
    expect(url(`imageboss:/a.jpg?w=10&h=20&mode=${mode}`)).toBe(expectedUrl(`/site/cover:${mode}/10x20/a.jpg`, SECRET))
  })
  it('mode must be a known mode, and only with cover', () => {
    expect(rule('imageboss:/a.jpg?w=1&h=1&mode=middle').ruleId).toBe('invalid-value')
    expect(rule('imageboss:/a.jpg?w=1&mode=face').ruleId).toBe('conflicting-parameters')
    expect(rule('imageboss:/a.jpg?mode=face').ruleId).toBe('conflicting-parameters')
  })
  it.each([
    ['cover without h', 'imageboss:/a.jpg?op=cover&w=1'],
    ['cover without sizes', 'imageboss:/a.jpg?op=cover'],
    ['width with h', 'imageboss:/a.jpg?op=width&w=1&h=1'],
    ['width without w', 'imageboss:/a.jpg?op=width&h=1'],
    ['height with w', 'imageboss:/a.jpg?op=height&w=1&h=1'],
    ['cdn with w', 'imageboss:/a.jpg?op=cdn&w=1']
  ])('%s is an error', (_name, reference) => {
    expect(rule(reference).ruleId).toBe('conflicting-parameters')
  })
})

describe('ImageBoss options', () => {
  const cases: Array<[string, string, string]> = [
    ['format', 'avif', 'format:avif'],
    ['format', 'jpeg', 'format:jpeg'],
    ['quality', '080', 'quality:80'],
    ['quality', '100', 'quality:100'],
    ['blur', '2.0', 'blur:2'],
    ['blur', '.5', 'blur:0.5'],
    ['blur', '0', 'blur:0'],
    ['sharpen', '2.50', 'sharpen:2.5'],
    ['gamma', '1.2', 'gamma:1.2'],
    ['threshold', '010', 'threshold:10'],
    ['fp-z', '1.5', 'fp-z:1.5'],
    ['dpr', '2.0', 'dpr:2'],
    ['dpr', '5', 'dpr:5'],
    ['dpr', '.25', 'dpr:0.25'],
    ['fp-x', '0', 'fp-x:0'],
    ['fp-y', '1.0', 'fp-y:1'],
    ['face-index', '0', 'face-index:0'],
    ['wmk-pad', '007', 'wmk-pad:7'],
    ['wmk-width', '1', 'wmk-width:1'],
    ['wmk-opacity', '0', 'wmk-opacity:0'],
    ['wmk-opacity', '100', 'wmk-opacity:100'],
    ['grayscale', 'true', 'grayscale:true'],
    ['progressive', 'false', 'progressive:false'],
    ['compression', 'true', 'compression:true'],
    ['autorotate', 'true', 'autorotate:true'],
    ['animation', 'false', 'animation:false'],
    ['withoutEnlargement', 'true', 'withoutEnlargement:true'],
    ['ignoreAspectRatio', 'true', 'ignoreAspectRatio:true'],
    ['linear', 'true', 'linear:true'],
    ['fill-color', '%23FFF', 'fill-color:ffffff'],
    ['fill-color', 'A1B2C3', 'fill-color:a1b2c3'],
    ['fill-color', 'abc', 'fill-color:aabbcc'],
    ['wmk-position', 'center', 'wmk-position:center'],
    ['wmk-position', 'southwest', 'wmk-position:southwest'],
    ['wmk-path', '/logo.png', 'wmk-path:%2Flogo.png'],
    ['wmk-path', 'marks/logo%20b.png', 'wmk-path:marks%2Flogo%20b.png'],
    ['download', 'cat-1.jpg', 'download:cat-1.jpg'],
    ['trim', '10', 'trim:10'],
    ['extract', '0.0.100.100', 'extract:0.0.100.100'],
    ['privacy', 'strip_all', 'privacy:strip_all']
  ]
  it.each(cases)('%s=%s is written %s', (key, value, written) => {
    expect(url(`imageboss:/a.jpg?${key}=${value}`)).toBe(expectedUrl(`/site/cdn/${written}/a.jpg`, SECRET))
  })

  const invalid: Array<[string, string]> = [
    ['format', 'tiff'],
    ['format', 'WEBP'],
    ['quality', '0'],
    ['quality', '101'],
    ['quality', '50.5'],
    ['blur', '-1'],
    ['blur', '1e2'],
    ['blur', 'x'],
    ['dpr', '0'],
    ['dpr', '5.01'],
    ['fp-x', '1.1'],
    ['face-index', '1.5'],
    ['wmk-width', '0'],
    ['wmk-opacity', '101'],
    ['grayscale', 'yes'],
    ['grayscale', 'TRUE'],
    ['grayscale', ''],
    ['fill-color', 'ffff'],
    ['fill-color', 'zzz'],
    ['wmk-position', 'top'],
    ['wmk-path', '/a/../b.png'],
    ['wmk-path', ''],
    ['download', 'a b'],
    ['trim', 'a/b']
  ]
  it.each(invalid)('%s=%s is invalid', (key, value) => {
    expect(rule(`imageboss:/a.jpg?${key}=${encodeURIComponent(value)}`).ruleId).toBe('invalid-value')
  })

  it('options are sorted by key (code-unit order) and joined with commas', () => {
    expect(url('imageboss:/a.jpg?w=5&quality=9&blur=1&fill-color=000&fp-x=0.5&dpr=2&Z=1', { extraOptions: ['Z'] })).toBe(
      expectedUrl('/site/width/5/Z:1,blur:1,dpr:2,fill-color:000000,fp-x:0.5,quality:9/a.jpg', SECRET)
    )
  })

  it('`extraOptions` admits new option names with token values', () => {
    const options = { extraOptions: ['new-thing'] }
    expect(url('imageboss:/a.jpg?new-thing=on_1', options)).toBe(expectedUrl('/site/cdn/new-thing:on_1/a.jpg', SECRET))
    expect(rule('imageboss:/a.jpg?new-thing=a,b', options).ruleId).toBe('invalid-value')
    expect(rule('imageboss:/a.jpg?new-thing=1').ruleId).toBe('unknown-parameter')
  })
})

describe('defaults, presets and precedence', () => {
  const presets = { hero: { w: 1600, h: 900, mode: 'entropy', quality: 70 }, thumb: { width: 200, grayscale: true } }
  it('`defaults` is `{format: "auto"}` when not set', () => {
    expect(url('imageboss:/a.jpg', { defaults: undefined })).toBe(expectedUrl('/site/cdn/format:auto/a.jpg', SECRET))
  })
  it('a preset applies under the reference’s own keys, over defaults', () => {
    const options = { presets, defaults: { quality: 50, format: 'auto' } }
    expect(url('imageboss:/a.jpg?preset=hero', options)).toBe(expectedUrl('/site/cover:entropy/1600x900/format:auto,quality:70/a.jpg', SECRET))
    expect(url('imageboss:/a.jpg?preset=hero&quality=90&w=800', options)).toBe(expectedUrl('/site/cover:entropy/800x900/format:auto,quality:90/a.jpg', SECRET))
    expect(url('imageboss:/a.jpg?preset=thumb&format=png', options)).toBe(expectedUrl('/site/width/200/format:png,grayscale:true,quality:50/a.jpg', SECRET))
  })
  it('setting values may be strings, numbers or booleans, written like reference values', () => {
    expect(url('imageboss:/a.jpg', { defaults: { blur: 2.0, 'fill-color': '#FFF', progressive: false } })).toBe(
      expectedUrl('/site/cdn/blur:2,fill-color:ffffff,progressive:false/a.jpg', SECRET)
    )
  })
  it('an unknown preset is an error located at its name, suggesting the nearest', () => {
    const problem = rule('imageboss:/a.jpg?preset=heor', { presets })
    expect(problem).toMatchObject({ ruleId: 'unknown-preset', offset: 24 })
    expect(problem.reason).toContain('`hero`')
    expect(rule('imageboss:/a.jpg?preset=__proto__', { presets }).ruleId).toBe('unknown-preset')
    expect(rule('imageboss:/a.jpg?preset=toString', { presets }).ruleId).toBe('unknown-preset')
  })
  it('invalid settings throw at creation, naming the setting', () => {
    expect(() => createImageBoss({ ...base, defaults: { quality: 0 } })).toThrow(/`defaults`/)
    expect(() => createImageBoss({ ...base, presets: { p: { qualty: 5 } } })).toThrow(/`presets\.p`.*`quality`/)
    expect(() => createImageBoss({ ...base, presets: { p: { w: 1, width: 2 } } })).toThrow(ImageBossError)
  })
})

describe('the URL', () => {
  it('BASE: `baseUrl`, else IMAGEBOSS_BASE_URL, else https://img.imageboss.me; trailing `/` removed', () => {
    expect(url('imageboss:/a.jpg', { baseUrl: 'https://cdn.example.com/' })).toBe(expectedUrl('/site/cdn/a.jpg', SECRET, 'https://cdn.example.com'))
    expect(url('imageboss:/a.jpg', { env: { IMAGEBOSS_BASE_URL: 'http://127.0.0.1:9000//' } })).toBe(
      expectedUrl('/site/cdn/a.jpg', SECRET, 'http://127.0.0.1:9000')
    )
    expect(() => createImageBoss({ ...base, baseUrl: 'ftp://x' })).toThrow(ImageBossError)
  })
  it('TOKEN: the secret’s UTF-8 bytes are the key, never hex-decoded', () => {
    for (const secret of ['abcdef0123456789', 'päss"<wörd>', '🔑']) {
      expect(url('imageboss:/a.jpg', { secret })).toBe(expectedUrl('/site/cdn/a.jpg', secret))
    }
  })
  it('resolve() describes the URL', () => {
    const boss = createImageBoss({ ...base, defaults: { format: 'auto' } })
    expect(boss.resolve('imageboss:/my%20dir/cat.jpg?w=300&h=200&mode=face&quality=80')).toEqual({
      url: expectedUrl('/site/cover:face/300x200/format:auto,quality:80/my%20dir/cat.jpg', SECRET),
      source: 'site',
      operation: 'cover',
      width: 300,
      height: 200,
      mode: 'face',
      options: { format: 'auto', quality: '80' },
      path: '/my dir/cat.jpg',
      signedPath: '/site/cover:face/300x200/format:auto,quality:80/my%20dir/cat.jpg',
      signed: true
    })
  })
})

describe('secrets', () => {
  it('the default source: `secret`, else IMAGEBOSS_SECRET', () => {
    expect(url('imageboss:/a.jpg', { secret: undefined, env: { IMAGEBOSS_SECRET: 'env-secret' } })).toBe(expectedUrl('/site/cdn/a.jpg', 'env-secret'))
    expect(url('imageboss:/a.jpg', { secret: 'opt', env: { IMAGEBOSS_SECRET: 'env-secret' } })).toBe(expectedUrl('/site/cdn/a.jpg', 'opt'))
  })
  it('a named source: `sources[name].secret`, else IMAGEBOSS_SECRET_<NAME> (upper case, `-` → `_`)', () => {
    expect(url('imageboss://blog-assets/a.jpg', { env: { IMAGEBOSS_SECRET_BLOG_ASSETS: 'b' } })).toBe(expectedUrl('/blog-assets/cdn/a.jpg', 'b'))
    expect(url('imageboss://blog-assets/a.jpg', { sources: { 'blog-assets': { secret: 'o' } }, env: { IMAGEBOSS_SECRET_BLOG_ASSETS: 'b' } })).toBe(
      expectedUrl('/blog-assets/cdn/a.jpg', 'o')
    )
  })
  it('a source marked `signed: false` is never signed', () => {
    expect(url('imageboss://open/a.jpg', { sources: { open: { signed: false, secret: 'ignored' } } })).toBe(expectedUrl('/open/cdn/a.jpg'))
    const resolved = createImageBoss({ ...base, sources: { site: { signed: false } } }).resolve('imageboss:/a.jpg')
    expect(resolved).toMatchObject({ url: expectedUrl('/site/cdn/a.jpg'), signed: false })
  })
  it('a missing secret is an error in production, naming the variable', () => {
    const problem = rule('imageboss:/a.jpg', { secret: undefined })
    expect(problem.ruleId).toBe('missing-secret')
    expect(problem.reason).toContain('IMAGEBOSS_SECRET')
    const named = rule('imageboss://blog-assets/a.jpg', { sources: { 'blog-assets': {} } })
    expect(named.ruleId).toBe('missing-secret')
    expect(named.reason).toContain('IMAGEBOSS_SECRET_BLOG_ASSETS')
  })
  it('a missing secret in development is a single warning plus unsigned URLs', () => {
    const onWarning = vi.fn()
    const boss = createImageBoss({ ...base, secret: undefined, production: false, onWarning })
    expect(boss.url('imageboss:/a.jpg')).toBe(expectedUrl('/site/cdn/a.jpg'))
    expect(boss.url('imageboss:/b.jpg?w=2')).toBe(expectedUrl('/site/width/2/b.jpg'))
    expect(boss.resolve('imageboss:/b.jpg?w=2').signed).toBe(false)
    expect(onWarning).toHaveBeenCalledTimes(1)
    expect(onWarning.mock.calls[0]?.[0]).toMatchObject({ ruleId: 'missing-secret' })
  })
  it('production is the default; NODE_ENV === "development" in `env`, or `production: false`, asks for development', () => {
    expect(createImageBoss({ env: { NODE_ENV: 'production' } }).production).toBe(true)
    expect(createImageBoss({ env: {} }).production).toBe(true)
    expect(createImageBoss({ env: { NODE_ENV: 'test' } }).production).toBe(true)
    expect(createImageBoss({ env: { NODE_ENV: 'development' } }).production).toBe(false)
    expect(createImageBoss({ env: { NODE_ENV: 'development' }, production: true }).production).toBe(true)
    expect(createImageBoss({ env: {}, production: false }).production).toBe(false)
  })
  it('an unknown named source is an error that suggests a configured one', () => {
    const problem = rule('imageboss://brnad/a.jpg', { sources: { brand: { secret: 'x' } } })
    expect(problem).toMatchObject({ ruleId: 'unknown-source', offset: 12 })
    expect(problem.reason).toContain('`brand`')
    expect(rule('imageboss://constructor/a.jpg', { sources: { brand: {} } }).ruleId).toBe('unknown-source')
    expect(rule('imageboss://__proto__/a.jpg').ruleId).toBe('invalid-reference')
  })
  it('a secret in a variable exposed to client code is a configuration error', () => {
    for (const name of ['VITE_IMAGEBOSS_SECRET', 'PUBLIC_IMAGEBOSS_SECRET_BRAND']) {
      expect(() => createImageBoss({ ...base, env: { [name]: 'leaked-value' } })).toThrow(
        expect.objectContaining({ ruleId: 'exposed-secret', message: expect.not.stringContaining('leaked-value') })
      )
    }
  })
  it('no error message ever contains the secret', () => {
    const secret = 'super-secret-value'
    const boss = createImageBoss({ ...base, secret, production: true })
    for (const reference of ['imageboss:/a.jpg?qualty=1', 'imageboss:/a//b', 'imageboss:/a.jpg#x', 'imageboss://x/a.jpg']) {
      expect(() => boss.url(reference)).toThrow(expect.objectContaining({ message: expect.not.stringContaining(secret) }))
    }
  })
})

describe('parseReference', () => {
  it('takes a reference apart with offsets', () => {
    const reference = 'imageboss://brand/a%20b/c.jpg?w=1&fill-color=%23fff&grayscale'
    const parsed = parseReference(reference)
    expect(parsed.source).toBe('brand')
    expect(parsed.path).toBe('/a b/c.jpg')
    expect(parsed.encodedPath).toBe('/a%20b/c.jpg')
    expect(parsed.parameters.map((p) => [p.key, p.value, reference.slice(p.keyOffset, p.keyOffset + p.key.length)])).toEqual([
      ['w', '1', 'w'],
      ['fill-color', '#fff', 'fill-color'],
      ['grayscale', '', 'grayscale']
    ])
    expect(reference.slice(parsed.parameters[1]?.valueOffset)).toBe('%23fff&grayscale')
  })
})

describe('referenceOf', () => {
  it('gives back the reference a URL came from', () => {
    const boss = createImageBoss(base)
    const made = boss.url('imageboss:/a.jpg?w=10')
    expect(boss.referenceOf(made)).toBe('imageboss:/a.jpg?w=10')
    expect(boss.referenceOf(expectedUrl('/site/width/11/a.jpg', SECRET))).toBeUndefined()
  })
})

describe('referenceOf after image()', () => {
  it('knows the src of image() too', () => {
    const boss = createImageBoss(base)
    const { src } = boss.image('imageboss:/b.jpg?w=10&srcset=10')
    expect(boss.referenceOf(src)).toBe('imageboss:/b.jpg?w=10&srcset=10')
  })
})
