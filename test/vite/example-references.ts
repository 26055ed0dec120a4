/**
 * The references of `examples/vite`, as written in each file, beside the signed path
 * ImageBoss expects, written out by hand from the URL grammar (source `demo-images`,
 * default options `format:auto`).
 */
export const EXAMPLE_SOURCE = 'demo-images'

export const HTML_REFERENCES: Record<string, Record<string, string>> = {
  'index.html': {
    'imageboss:/photos/cat.jpg?w=1200&amp;h=630': '/demo-images/cover/1200x630/format:auto/photos/cat.jpg',
    'imageboss:/photos/cat.jpg?w=800': '/demo-images/width/800/format:auto/photos/cat.jpg',
    'imageboss:/photos/banner.jpg?w=1600&h=400&mode=smart': '/demo-images/cover:smart/1600x400/format:auto/photos/banner.jpg',
    'imageboss:/photos/sky.jpg?w=1200': '/demo-images/width/1200/format:auto/photos/sky.jpg',
    'imageboss:/photos/cat.jpg?w=400': '/demo-images/width/400/format:auto/photos/cat.jpg',
    'imageboss:/photos/cat.jpg?w=400&amp;h=300': '/demo-images/cover/400x300/format:auto/photos/cat.jpg',
    'imageboss:/photos/harbour.jpg?w=800&amp;srcset=auto': '/demo-images/width/800/format:auto/photos/harbour.jpg',
    'imageboss:/photos/dog.jpg?w=600&amp;format=avif': '/demo-images/width/600/format:avif/photos/dog.jpg',
    'imageboss:/photos/dog.jpg?op=cdn': '/demo-images/cdn/format:auto/photos/dog.jpg'
  },
  'about.html': {
    'imageboss:/photos/cat.jpg?w=1200&amp;h=630': '/demo-images/cover/1200x630/format:auto/photos/cat.jpg',
    'imageboss:/photos/cat.jpg?h=300&amp;quality=80': '/demo-images/height/300/format:auto,quality:80/photos/cat.jpg',
    'imageboss:/photos/my%20dog.jpg?w=300': '/demo-images/width/300/format:auto/photos/my%20dog.jpg',
    'imageboss:/logos/boss.png?w=160&amp;densities=auto': '/demo-images/width/160/format:auto/logos/boss.png'
  }
}

/**
 * The `<img>` references above with responsive keys, and what the build writes right after
 * their `src` (README "Responsive images"): `[signed path, descriptor]` candidates, `sizes`.
 */
export const RESPONSIVE_REFERENCES: Record<string, { srcset: Array<[string, string]>; sizes?: string }> = {
  // `w=800&srcset=auto`: 800, 1600 and the default breakpoints below 1600.
  'imageboss:/photos/harbour.jpg?w=800&amp;srcset=auto': {
    srcset: [640, 750, 800, 828, 960, 1080, 1280, 1600].map((w) => [`/demo-images/width/${w}/format:auto/photos/harbour.jpg`, `${w}w`]),
    sizes: '(min-width: 800px) 800px, 100vw'
  },
  // `densities=auto` is 1 and 2: the same URL, with `dpr:2` for 2x.
  'imageboss:/logos/boss.png?w=160&amp;densities=auto': {
    srcset: [
      ['/demo-images/width/160/format:auto/logos/boss.png', '1x'],
      ['/demo-images/width/160/dpr:2,format:auto/logos/boss.png', '2x']
    ]
  }
}

export const CSS_REFERENCES: Record<string, string> = {
  'imageboss:/textures/paper.png?w=400&format=webp': '/demo-images/width/400/format:webp/textures/paper.png',
  'imageboss:/photos/hero.jpg?w=1200': '/demo-images/width/1200/format:auto/photos/hero.jpg',
  'imageboss:/photos/hero.jpg?w=2400': '/demo-images/width/2400/format:auto/photos/hero.jpg'
}

export const SCRIPT_REFERENCES: Record<string, string> = {
  // The import: `import hero from 'imageboss:/photos/hero.jpg?w=1200'`.
  'imageboss:/photos/hero.jpg?w=1200': '/demo-images/width/1200/format:auto/photos/hero.jpg',
  'imageboss:/photos/cat.jpg?w=200&h=200&mode=face': '/demo-images/cover:face/200x200/format:auto/photos/cat.jpg',
  'imageboss:/photos/cat.jpg?w=800': '/demo-images/width/800/format:auto/photos/cat.jpg'
}

/**
 * `reference → URL` replaced in `html`, outside `<pre>` (code samples stay); a responsive
 * `src="reference"` also gets its `srcset`, `sizes` and lazy defaults right after it.
 */
export function replaceReferences(html: string, table: Record<string, string>, url: (path: string) => string): string {
  return html
    .split(/(<pre>[\s\S]*?<\/pre>)/)
    .map((part) =>
      part.startsWith('<pre>')
        ? part
        : part.replace(/imageboss:[^"'\s)]+("?)/g, (match, quote: string) => {
            const reference = match.slice(0, match.length - quote.length)
            const signedPath = table[reference]
            if (signedPath === undefined) throw new Error(`No expected URL for \`${reference}\``)
            const responsive = RESPONSIVE_REFERENCES[reference]
            if (!responsive) return url(signedPath) + quote
            const srcset = responsive.srcset.map(([p, descriptor]) => `${url(p)} ${descriptor}`).join(', ')
            const sizes = responsive.sizes === undefined ? '' : ` sizes="${responsive.sizes}"`
            return `${url(signedPath)}${quote} srcset="${srcset}"${sizes} loading="lazy" decoding="async"`
          })
    )
    .join('')
}
