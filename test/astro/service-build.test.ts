// Real `astro build`s of a small site that uses `imageboss-build/astro/service`: Astro 5 on
// this Node 20, Astro 7 on Node 22. Expected URLs are written by hand and signed here with
// node:crypto (test/helpers/expected.ts), never by the package.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parse, type DefaultTreeAdapterMap } from 'parse5'
import { beforeAll, describe, expect, it } from 'vitest'
import { expectedUrl } from '../helpers/expected.js'
import { scratchDirectories } from '../helpers/scratch.js'
import { buildProject, listFiles, ROOT, SECRET, SOURCE, writeProject, type BuildResult, type Variant } from './service-project.js'

type Element = DefaultTreeAdapterMap['element']
type Node = DefaultTreeAdapterMap['node']

const ASTRO_CURRENT = path.join(ROOT, 'test/astro-current')

interface Case {
  name: string
  major: number
  variant: Variant
  node: string
  astro: string
  /** Where the site is made (a fresh directory inside, removed after the tests), below the `node_modules` to resolve `astro` from. */
  parent: string
}

const cases: Case[] = [
  ...(['shared', 'env', 'integration'] as const).map((variant) => ({
    name: `Astro 5, ${variant}`,
    major: 5,
    variant,
    node: process.execPath,
    astro: path.join(ROOT, 'node_modules/astro/astro.js'),
    parent: path.join(ROOT, '.tmp')
  })),
  ...(['shared', 'integration'] as const).map((variant) => ({
    name: `Astro 7, ${variant}`,
    major: 7,
    variant,
    node: path.join(ASTRO_CURRENT, 'node_modules/.bin/node'),
    astro: path.join(ASTRO_CURRENT, 'node_modules/astro/bin/astro.mjs'),
    parent: path.join(ASTRO_CURRENT, '.tmp')
  }))
]

const { scratchIn } = scratchDirectories()

/** A signed URL of the default source, from a hand-written signed path. */
const signed = (signedPath: string) => expectedUrl(`/${SOURCE}${signedPath}`, SECRET)
const cover = (w: number, h: number, options = 'format:auto', file = 'a.jpg') => signed(`/cover/${w}x${h}/${options}/${file}`)

const CONSTRAINED_WIDTHS = [640, 750, 800, 828, 1080, 1280, 1600]

beforeAll(() => {
  // The builds load this package from its `dist/`. Compiled over the old one, not deleted
  // first (`npm run build`): other test files may be reading it.
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'pipe' })
}, 120_000)

describe.each(cases)('$name', ({ major, variant, node, astro, parent }) => {
  let result: BuildResult
  let html: string
  let document: Node

  beforeAll(async () => {
    const dir = await scratchIn(parent, `service-astro${major}-${variant}-`)
    await writeProject(dir, variant)
    const env: Record<string, string> = variant === 'shared' ? {} : { IMAGEBOSS_SOURCE: SOURCE, IMAGEBOSS_SECRET: SECRET }
    result = await buildProject(dir, node, astro, env)
    html = readFileSync(path.join(result.dist, 'index.html'), 'utf8')
    document = parse(html)
  }, 300_000)

  const img = (id: string) => {
    const element = findElement(document, (e) => e.tagName === 'img' && attribute(e, 'id') === id)
    if (!element) throw new Error(`No <img id="${id}"> in:\n${html}`)
    return element
  }
  const attrs = (id: string) => Object.fromEntries(img(id).attrs.map((a) => [a.name, a.value]))

  it('signs `<Image>` with width and height, with Astro’s attributes', () => {
    expect(attrs('fixed')).toEqual({
      id: 'fixed',
      src: cover(800, 600),
      alt: 'fixed',
      width: '800',
      height: '600',
      loading: 'lazy',
      decoding: 'async',
      // Astro 5 writes its default `fetchpriority`; Astro 7 leaves it out.
      ...(major === 5 ? { fetchpriority: 'auto' } : {})
    })
  })

  it('signs every `widths` candidate, keeping the reference’s own options', () => {
    const a = attrs('widths')
    expect(a.src).toBe(cover(800, 600, 'blur:2,format:auto'))
    expect(a.srcset).toBe(`${cover(400, 300, 'blur:2,format:auto')} 400w, ${cover(800, 600, 'blur:2,format:auto')} 800w`)
    expect(a.sizes).toBe('50vw')
  })

  it('signs `densities` candidates with scaled sizes and `x` descriptors', () => {
    const a = attrs('densities')
    expect(a.src).toBe(cover(400, 300))
    expect(a.srcset).toBe(`${cover(400, 300)} 1x, ${cover(800, 600)} 2x`)
    expect([a.width, a.height]).toEqual(['400', '300'])
  })

  it('signs the widths and sizes of `layout="constrained"`', () => {
    const a = attrs('constrained')
    expect(a.src).toBe(cover(800, 600))
    expect(a.srcset).toBe(CONSTRAINED_WIDTHS.map((w) => `${cover(w, Math.round((w * 3) / 4))} ${w}w`).join(', '))
    expect(a.sizes).toBe('(min-width: 800px) 800px, 100vw')
    expect(a['data-astro-image']).toBe('constrained')
  })

  it('signs `<Picture>` sources per format, with a fallback in the JPEG reference’s own family', () => {
    const image = img('picture')
    const picture = image.parentNode as Element
    expect(picture.tagName).toBe('picture')
    const sources = picture.childNodes.filter((n): n is Element => 'tagName' in n && n.tagName === 'source')
    expect(sources.map((s) => [attribute(s, 'type'), attribute(s, 'srcset')])).toEqual([
      ['image/avif', cover(800, 600, 'format:avif')],
      ['image/webp', cover(800, 600, 'format:webp')]
    ])
    // Astro falls back to `png` for a remote image, to a local JPEG's own format: an ImageBoss
    // reference to a JPEG is a photo too.
    expect(attribute(image, 'src')).toBe(cover(800, 600, 'format:jpg'))
  })

  it('keeps Astro’s `png` fallback for a PNG reference or one with its own `format`, and a given `fallbackFormat`', () => {
    const sourcesOf = (id: string) =>
      (img(id).parentNode as Element).childNodes.filter((n): n is Element => 'tagName' in n && n.tagName === 'source').map((s) => attribute(s, 'srcset'))
    expect(attrs('picture-png').src).toBe(cover(200, 100, 'format:png', 'e.png'))
    expect(sourcesOf('picture-png')).toEqual([cover(200, 100, 'format:webp', 'e.png')])
    expect(attrs('picture-own-format').src).toBe(cover(200, 100, 'format:png'))
    expect(sourcesOf('picture-own-format')).toEqual([cover(200, 100, 'format:webp')])
    expect(attrs('picture-fallback-format').src).toBe(cover(200, 100, 'format:webp'))
    expect(sourcesOf('picture-fallback-format')).toEqual([cover(200, 100, 'format:avif')])
  })

  it('takes width and height from the reference when no prop gives them', () => {
    const a = attrs('from-reference')
    expect([a.src, a.width, a.height]).toEqual([cover(640, 480, 'format:auto', 'b.jpg'), '640', '480'])
  })

  it('resizes by width alone when only `width` is known', () => {
    const a = attrs('width-only')
    expect([a.src, a.width, a.height]).toEqual([signed('/width/500/format:auto/c.jpg'), '500', undefined])
  })

  it('writes an explicit `format` and a `quality` preset', () => {
    expect(attrs('format').src).toBe(cover(300, 200, 'format:png,quality:80'))
  })

  it('maps `fit` to a cover mode, unless the reference has its own `mode`', () => {
    expect(attrs('contain').src).toBe(signed('/cover:contain/400x400/format:auto/a.jpg'))
    expect(attrs('own-mode').src).toBe(signed('/cover:face/400x400/format:auto/a.jpg'))
  })

  it('merges the reference’s `w` with a `height` prop: one 400×300 crop for `src` and every candidate', () => {
    const boats = (w: number, h: number, format = 'auto') => cover(w, h, `format:${format}`, 'photos/boats.jpg')
    const byAlt = (alt: string) => {
      const element = findElement(document, (e) => e.tagName === 'img' && attribute(e, 'alt') === alt)
      if (!element) throw new Error(`No <img alt="${alt}"> in:\n${html}`)
      return element
    }
    const attributes = (alt: string) => ['src', 'srcset', 'width', 'height'].map((name) => attribute(byAlt(alt), name))
    expect(attributes('Boats')).toEqual([boats(400, 300), undefined, '400', '300'])
    expect(attributes('Boats, responsive')).toEqual([boats(400, 300), `${boats(400, 300)} 400w, ${boats(800, 600)} 800w`, '400', '300'])
    // `?w=400&h=300` and `width={200}`: the same 4:3 crop, 200 wide, in every format.
    const picture = byAlt('Boats, small').parentNode as Element
    const sources = picture.childNodes.filter((n): n is Element => 'tagName' in n && n.tagName === 'source')
    expect(sources.map((s) => [attribute(s, 'type'), attribute(s, 'srcset')])).toEqual([
      ['image/webp', `${boats(200, 150, 'webp')} 200w, ${boats(400, 300, 'webp')} 400w`]
    ])
    expect(attributes('Boats, small')).toEqual([boats(200, 150, 'jpg'), `${boats(200, 150, 'jpg')} 200w, ${boats(400, 300, 'jpg')} 400w`, '200', '150'])
  })

  it('leaves a source marked `signed: false` unsigned', () => {
    expect(attrs('named-source').src).toBe(expectedUrl('/other/cover/200x100/format:auto/d.png'))
  })

  it('still optimises local images with Astro’s sharp service', () => {
    const src = attrs('local').src ?? ''
    expect(src).toMatch(/^\/_astro\/local\.[\w-]+\.webp$/)
    expect(existsSync(path.join(result.dist, src))).toBe(true)
    expect(attrs('local').width).toBe('100')
    expect(attrs('local').height).toBe('75')
  })

  if (variant !== 'integration') {
    it('completes a reference that needs the size the props bring (`?mode=face`)', () => {
      expect(attrs('mode-only').src).toBe(signed('/cover:face/400x400/format:auto/a.jpg'))
    })
  }

  if (variant === 'integration') {
    it('works from a URL the integration signed earlier (`import url from "imageboss:…"`)', () => {
      const a = attrs('imported')
      expect([a.src, a.width, a.height]).toEqual([cover(600, 400, 'format:auto', 'hero.jpg'), '600', '400'])
    })
  }

  it('leaves no reference and no secret in `dist/`, and fetched nothing', () => {
    const files = listFiles(result.dist)
    expect(files.length).toBeGreaterThan(1)
    for (const file of files) {
      const content = readFileSync(path.join(result.dist, file)).toString('latin1')
      expect(content.includes('imageboss:'), file).toBe(false)
      expect(content.includes(SECRET), file).toBe(false)
    }
    expect(result.fetched).toEqual([])
  })
})

function attribute(element: Element, name: string): string | undefined {
  return element.attrs.find((a) => a.name === name)?.value
}

function findElement(node: Node, test: (element: Element) => boolean): Element | undefined {
  if ('tagName' in node && test(node)) return node
  const children = 'childNodes' in node ? node.childNodes : []
  for (const child of children) {
    const found = findElement(child, test)
    if (found) return found
  }
  const content = 'content' in node ? (node as { content?: Node }).content : undefined
  return content ? findElement(content, test) : undefined
}
