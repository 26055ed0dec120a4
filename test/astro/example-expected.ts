// What a build of examples/astro must contain, written by hand from the reference syntax and
// Astro's conventions. Tokens come from node:crypto (test/helpers/expected.ts), never from src/.
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'
import { expectedUrl } from '../helpers/expected.js'
import { secretForms } from '../helpers/secret-forms.js'
export { secretForms }

export const REPO = fileURLToPath(new URL('../..', import.meta.url))
export const EXAMPLE = path.join(REPO, 'examples/astro')
export const SOURCE = 'demo-images'
export const SECRET = 'astro-example-secret-7d1e'

/** The example's variables: the source and secret it is configured by. */
export const EXAMPLE_ENV = { IMAGEBOSS_SOURCE: SOURCE, IMAGEBOSS_SECRET: SECRET }

export const url = (signedPath: string): string => expectedUrl(signedPath, SECRET)

/** An `<img>` (found by its `alt`) or a `<source>` (by its `type`) and the signed paths it holds. */
interface Element {
  alt?: string
  type?: string
  src?: string
  /** `[signed path, descriptor]` candidates, in order. */
  srcset?: Array<[string, string]>
  /** The signed path of its placeholder (`placeholder`), in its `style`. */
  placeholder?: string
}

const BOATS = '/demo-images/cover/%s/format:auto/photos/boats.jpg'
const nets = (size: string, format: string) => `/demo-images/cover/${size}/format:${format}/photos/nets.jpg`

/** Every ImageBoss image of each page, by the page's file in `dist/`. */
export const PAGES: Record<string, Element[]> = {
  'index.html': [
    // `const hero = 'imageboss:…'` in the frontmatter, used as `<img src={hero}>`.
    { alt: 'The lighthouse at dusk', src: '/demo-images/cover:smart/1200x600/format:auto/photos/lighthouse.jpg' },
    { alt: 'The harbour cat', src: '/demo-images/width/400/format:auto/photos/cat.jpg' },
    // `?w=400&amp;h=300`: the entity was decoded, `h` kept.
    { alt: 'The harbour cat, cropped', src: '/demo-images/cover/400x300/format:auto/photos/cat.jpg' },
    {
      alt: 'The fish market',
      src: '/demo-images/width/800/format:auto/photos/market.jpg',
      srcset: [
        ['/demo-images/width/400/format:auto/photos/market.jpg', '400w'],
        ['/demo-images/width/800/format:auto/photos/market.jpg', '800w']
      ]
    },
    // `?w=600&amp;srcset=auto`: 600, 1200 and the default breakpoints below 1200.
    {
      alt: 'The harbour, responsive',
      src: '/demo-images/width/600/format:auto/photos/harbour.jpg',
      srcset: [600, 640, 750, 828, 960, 1080, 1200].map((w): [string, string] => [`/demo-images/width/${w}/format:auto/photos/harbour.jpg`, `${w}w`])
    },
    // `<Image width={800} height={600} densities={[1.5, 2]}>`: Astro's sizes, cover crop.
    {
      alt: 'Boats at their moorings',
      src: BOATS.replace('%s', '800x600'),
      srcset: [
        [BOATS.replace('%s', '1200x900'), '1.5x'],
        [BOATS.replace('%s', '1600x1200'), '2x']
      ]
    },
    // `<Image src="…?placeholder" width={640} height={320}>`: the crop, and its 16 px placeholder of the same shape.
    {
      alt: 'Sails, a blurred placeholder behind them',
      src: '/demo-images/cover/640x320/format:auto/photos/sails.jpg',
      placeholder: '/demo-images/cover/16x8/blur:2,format:auto/photos/sails.jpg'
    },
    // `<Picture formats={['avif', 'webp']} widths={[320, 640]}>`: one `<source>` per format; the
    // fallback `<img>` keeps the JPEG's family, as Astro does for a local JPEG (`png` for others).
    {
      type: 'image/avif',
      srcset: [
        [nets('320x240', 'avif'), '320w'],
        [nets('640x480', 'avif'), '640w']
      ]
    },
    {
      type: 'image/webp',
      srcset: [
        [nets('320x240', 'webp'), '320w'],
        [nets('640x480', 'webp'), '640w']
      ]
    },
    {
      alt: 'Nets drying on the quay',
      src: nets('640x480', 'jpg'),
      srcset: [
        [nets('320x240', 'jpg'), '320w'],
        [nets('640x480', 'jpg'), '640w']
      ]
    },
    // The `places` data file, through `imagebossImage({ attributes: true })`: `?w=400&h=300&srcset=auto`
    // is 400, 2×400 and the default breakpoints between, each a 4:3 crop (round(w·3/4)).
    {
      alt: 'The quay at noon',
      src: '/demo-images/cover/400x300/format:auto/photos/quay.jpg',
      srcset: [
        ['/demo-images/cover/400x300/format:auto/photos/quay.jpg', '400w'],
        ['/demo-images/cover/640x480/format:auto/photos/quay.jpg', '640w'],
        ['/demo-images/cover/750x563/format:auto/photos/quay.jpg', '750w'],
        ['/demo-images/cover/800x600/format:auto/photos/quay.jpg', '800w']
      ]
    },
    { alt: 'The pier', src: '/demo-images/width/320/format:auto/photos/pier.jpg' }
  ],
  'posts/morning/index.html': [
    // `cover: imageboss:…` in the front matter, through `imagebossImage()`.
    { alt: 'Cover of A morning at the harbour', src: '/demo-images/cover/1200x500/format:auto/photos/harbour.jpg' },
    { alt: 'The harbour at dawn', src: '/demo-images/width/800/format:auto/photos/harbour.jpg' },
    // A reference-style image: `![The lighthouse][lighthouse]`.
    { alt: 'The lighthouse', src: '/demo-images/cover:smart/600x600/format:auto/photos/lighthouse.jpg' },
    // Raw HTML in Markdown, with `&amp;`.
    { alt: 'The harbour cat', src: '/demo-images/cover/400x300/format:auto/photos/cat.jpg' }
  ],
  'posts/nets/index.html': [
    { alt: 'Cover of Nets and floats', src: '/demo-images/cover:center/1200x500/format:auto/photos/nets.jpg' },
    { alt: 'The quay', src: '/demo-images/width/720/format:webp/photos/quay.jpg' },
    // MDX JSX `src="…"` and `src={"…"}`.
    { alt: 'Nets on the quay', src: '/demo-images/width/600/format:auto/photos/nets.jpg' },
    { alt: 'Floats', src: '/demo-images/cover:center/300x300/format:auto/photos/floats.jpg' }
  ]
}

/** The layout's `<style>`: `background: url(imageboss:…)`. */
export const LAYOUT_CSS = ['/demo-images/cover/1600x400/format:auto/photos/harbour.jpg']

/** The code sample of the Markdown post, which keeps its reference. */
export const CODE_SAMPLE_REFERENCE = 'imageboss:/photos/harbour.jpg?w=800'

// A comma ends a URL only as a srcset separator (before a space): the options segment holds commas.
const IMAGEBOSS_URL_RE = /https:\/\/img\.imageboss\.me\/(?:[^"'\s)<>,]|,(?!\s))+/g

/** Every ImageBoss URL in a text. */
export function imagebossUrls(text: string): string[] {
  return text.match(IMAGEBOSS_URL_RE) ?? []
}

/** The full URLs a page is expected to hold, each once. */
export function pageUrls(page: string): Set<string> {
  const set = new Set<string>()
  for (const element of PAGES[page] ?? []) {
    if (element.src) set.add(url(element.src))
    for (const [signedPath] of element.srcset ?? []) set.add(url(signedPath))
    if (element.placeholder) set.add(url(element.placeholder))
  }
  return set
}

/** `<img>` and `<source>` tags with their attributes (values entity-decoded for `&amp;` only). */
export function imageTags(html: string): Array<{ tag: string; attributes: Record<string, string> }> {
  const tags = []
  for (const match of html.matchAll(/<(img|source)\b([^>]*)>/g)) {
    const attributes: Record<string, string> = {}
    for (const attribute of (match[2] ?? '').matchAll(/([\w-]+)="([^"]*)"/g)) attributes[attribute[1] ?? ''] = (attribute[2] ?? '').replaceAll('&amp;', '&')
    tags.push({ tag: match[1] ?? '', attributes })
  }
  return tags
}

/** Every file under `dir`, relative, with `/` separators. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
}

/**
 * The checks every build of the example passes, whichever Astro made it. `dist()` gives the
 * output directory once the build ran (in a `beforeAll`).
 */
export function exampleBuildTests(dist: () => string): void {
  const read = (name: string) => readFile(path.join(dist(), name), 'utf8')

  it('builds the pages and the layout stylesheet', async () => {
    const files = await listFiles(dist())
    for (const page of Object.keys(PAGES)) expect(files).toContain(page)
    expect(files.filter((f) => /^_astro\/.*\.css$/.test(f))).toHaveLength(1)
  })

  for (const [page, elements] of Object.entries(PAGES)) {
    it(`signs every image of ${page}, with the right token`, async () => {
      const html = await read(page)
      const tags = imageTags(html)
      for (const element of elements) {
        const found = tags.filter((t) =>
          element.type === undefined ? t.tag === 'img' && t.attributes.alt === element.alt : t.tag === 'source' && t.attributes.type === element.type
        )
        expect(found, JSON.stringify(element)).toHaveLength(1)
        const attributes = found[0]?.attributes ?? {}
        if (element.src) expect(attributes.src).toBe(url(element.src))
        else expect(attributes.src).toBeUndefined()
        if (element.srcset) expect(attributes.srcset).toBe(element.srcset.map(([p, d]) => `${url(p)} ${d}`).join(', '))
        else expect(attributes.srcset).toBeUndefined()
        if (element.placeholder)
          expect(attributes.style).toBe(`background-image:url(${url(element.placeholder)});background-size:cover;background-position:center`)
      }
      // And no other ImageBoss URL: each one on the page is one of those above.
      expect(new Set(imagebossUrls(html))).toEqual(pageUrls(page))
    })
  }

  it('gives a data file’s `imagebossImage({ attributes: true })` the whole `<img>`: `sizes`, `width`, `height`, loading hints', async () => {
    const quay = imageTags(await read('index.html')).find((t) => t.attributes.alt === 'The quay at noon')
    expect(quay?.attributes).toMatchObject({ sizes: '(min-width: 400px) 400px, 100vw', width: '400', height: '300', loading: 'lazy', decoding: 'async' })
    const pier = imageTags(await read('index.html')).find((t) => t.attributes.alt === 'The pier')
    expect(Object.keys(pier?.attributes ?? {}).sort()).toEqual(['alt', 'src'])
  })

  it('signs the layout `<style>` into the stylesheet', async () => {
    const files = await listFiles(dist())
    const css = await read(files.find((f) => /^_astro\/.*\.css$/.test(f)) ?? '')
    expect(css).toMatch(/\.banner\[data-astro-cid-\w+\]\{/)
    expect(imagebossUrls(css)).toEqual(LAYOUT_CSS.map(url))
    expect(css).toContain(`url(${url(LAYOUT_CSS[0] ?? '')})`)
    // Every page links it.
    for (const page of Object.keys(PAGES)) expect(await read(page)).toContain(`href="/${files.find((f) => f.endsWith('.css'))}"`)
  })

  it('leaves no `imageboss:` in dist but the code sample, which keeps its reference', async () => {
    for (const file of await listFiles(dist())) {
      if (!/\.(?:html|css|js|mjs|json|xml|txt)$/.test(file)) continue
      const text = (await read(file)).replace(/<pre\b[^>]*>[\s\S]*?<\/pre>/g, '')
      expect(text, file).not.toContain('imageboss:')
    }
    const samples = (await read('posts/morning/index.html')).match(/<pre\b[^>]*>[\s\S]*?<\/pre>/g) ?? []
    expect(samples).toHaveLength(1)
    expect((samples[0] ?? '').replace(/<[^>]+>/g, '')).toBe(`![The harbour](${CODE_SAMPLE_REFERENCE})`)
  })

  it('still optimises the local image with Astro', async () => {
    const files = await listFiles(dist())
    const webp = files.filter((f) => /^_astro\/local\.[\w-]+\.webp$/.test(f))
    expect(webp).toHaveLength(1)
    const local = imageTags(await read('index.html')).find((t) => t.attributes.alt === 'A drawing of the bay')
    expect(local?.attributes.src).toBe('/' + webp[0])
    expect(local?.attributes.width).toBe('120')
    expect(local?.attributes.height).toBe('75')
    const bytes = await readFile(path.join(dist(), webp[0] ?? ''))
    expect(bytes.subarray(8, 12).toString('latin1')).toBe('WEBP')
  })

  it('never writes the secret, in any form, in any file', async () => {
    const forms = secretForms(SECRET)
    for (const file of await listFiles(dist())) {
      const bytes = await readFile(path.join(dist(), file))
      for (const form of forms) expect(bytes.includes(form), `${form} in ${file}`).toBe(false)
    }
  })
}
