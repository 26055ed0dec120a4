// What Chromium should fetch for an `<img>`: `srcset` and `sizes` parsed and evaluated here, from
// the HTML standard's rules, so that the browser's choice is checked against an independent
// prediction (never against itself).

export interface Candidate {
  url: string
  /** `Nw` descriptor. */
  width?: number
  /** `Nx` descriptor (1 when there is no descriptor). */
  density?: number
  /** As written: `800w`, `2x`, or `` for none. */
  descriptor: string
}

export interface Viewport {
  width: number
  height: number
  dpr: number
}

/**
 * The candidates of a `srcset` (HTML "parse a srcset attribute"): a URL runs to the next
 * whitespace, so commas inside it (`dpr:2,format:auto`) belong to it; a trailing comma ends it.
 */
export function parseSrcset(srcset: string): Candidate[] {
  const candidates: Candidate[] = []
  let i = 0
  while (i < srcset.length) {
    while (i < srcset.length && /[\s,]/.test(srcset[i] ?? '')) i++
    if (i >= srcset.length) break
    let end = i
    while (end < srcset.length && !/\s/.test(srcset[end] ?? '')) end++
    let url = srcset.slice(i, end)
    i = end
    let descriptor = ''
    if (url.endsWith(',')) url = url.replace(/,+$/, '')
    else {
      let stop = i
      while (stop < srcset.length && srcset[stop] !== ',') stop++
      descriptor = srcset.slice(i, stop).trim()
      i = stop + 1
    }
    const candidate: Candidate = { url, descriptor }
    const match = /^(\d+(?:\.\d+)?)([wx])$/.exec(descriptor)
    if (descriptor === '') candidate.density = 1
    else if (!match) throw new Error(`Unexpected srcset descriptor \`${descriptor}\` for ${url}`)
    else if (match[2] === 'w') candidate.width = Number(match[1])
    else candidate.density = Number(match[1])
    candidates.push(candidate)
  }
  return candidates
}

/** A CSS length of `sizes`, in CSS pixels: `Npx` or `Nvw`. */
function length(text: string, viewport: Viewport): number {
  const match = /^(\d+(?:\.\d+)?)(px|vw)$/.exec(text.trim())
  if (!match) throw new Error(`Unexpected length \`${text}\` in sizes (this test reads px and vw)`)
  return match[2] === 'px' ? Number(match[1]) : (Number(match[1]) * viewport.width) / 100
}

/** A media condition: `(min-width: Npx)` and `(max-width: Npx)`, joined by `and`. */
export function matchesMedia(condition: string, viewport: Viewport): boolean {
  return condition.split(/\s+and\s+/).every((part) => {
    const match = /^\(\s*(min|max)-width\s*:\s*(\d+(?:\.\d+)?)px\s*\)$/.exec(part.trim())
    if (!match) throw new Error(`Unexpected media condition \`${part}\` (this test reads min-width and max-width)`)
    const value = Number(match[2])
    return match[1] === 'min' ? viewport.width >= value : viewport.width <= value
  })
}

/** The slot width `sizes` gives at `viewport`, in CSS pixels (`100vw` when absent). */
export function slotWidth(sizes: string | undefined, viewport: Viewport): number {
  const entries = (sizes ?? '100vw').split(',').map((s) => s.trim())
  for (const [index, entry] of entries.entries()) {
    const last = index === entries.length - 1
    const split = /^(.*\))\s+(\S+)$/.exec(entry)
    if (!split) {
      if (last) return length(entry, viewport)
      throw new Error(`Unexpected sizes entry \`${entry}\` without a media condition before the last`)
    }
    if (matchesMedia(split[1] ?? '', viewport)) return length(split[2] ?? '', viewport)
  }
  return viewport.width
}

/**
 * The candidate a browser picks at `viewport`: each candidate's density (width ÷ slot width
 * for `w`), then the smallest density at least the device pixel ratio, else the largest.
 */
export function pickCandidate(candidates: Candidate[], sizes: string | undefined, viewport: Viewport): { candidate: Candidate; slot?: number } {
  const slot = candidates.some((c) => c.width !== undefined) ? slotWidth(sizes, viewport) : undefined
  const rated = candidates.map((candidate) => ({
    candidate,
    density: candidate.width !== undefined ? candidate.width / (slot ?? 1) : (candidate.density ?? 1)
  }))
  rated.sort((a, b) => a.density - b.density)
  const chosen = rated.find((r) => r.density >= viewport.dpr) ?? rated[rated.length - 1]
  if (!chosen) throw new Error('No candidate to pick from')
  return slot === undefined ? { candidate: chosen.candidate } : { candidate: chosen.candidate, slot }
}

/** What the page says about one `<img>` (gathered in the browser). */
export interface ImageFacts {
  alt: string
  src: string | null
  srcset: string | null
  sizes: string | null
  currentSrc: string
  complete: boolean
  naturalWidth: number
  naturalHeight: number
  /** The `<source>` elements of its `<picture>`, in order. */
  sources: Array<{ type: string | null; media: string | null; srcset: string | null; sizes: string | null }>
}

const SUPPORTED_TYPES = new Set(['image/avif', 'image/webp', 'image/png', 'image/jpeg', 'image/gif', 'image/svg+xml'])

/**
 * The image a browser selects for an `<img>`: the first `<source>` of its `<picture>` whose
 * type is supported and whose media matches, else the `<img>` itself (its `src` is a 1x
 * candidate when `srcset` has no width descriptors and no 1x). `undefined`: no choice to make.
 */
export function predictImage(image: ImageFacts, viewport: Viewport): { candidate: Candidate; candidates: Candidate[]; slot?: number } | undefined {
  for (const source of image.sources) {
    if (source.type && !SUPPORTED_TYPES.has(source.type)) continue
    if (source.media && !matchesMedia(source.media, viewport)) continue
    if (!source.srcset) continue
    const candidates = parseSrcset(source.srcset)
    return { ...pickCandidate(candidates, source.sizes ?? undefined, viewport), candidates }
  }
  if (!image.srcset) return undefined
  const candidates = parseSrcset(image.srcset)
  if (image.src && !candidates.some((c) => c.width !== undefined || c.density === 1)) candidates.push({ url: image.src, density: 1, descriptor: '' })
  return { ...pickCandidate(candidates, image.sizes ?? undefined, viewport), candidates }
}

/**
 * The URLs a computed `background-image` fetches at `dpr`: each `url()`, and from an
 * `image-set()` the option a browser picks (the smallest resolution at least `dpr`, else the
 * largest). Chromium serialises `1x` as `1dppx`.
 */
export function backgroundUrls(computed: string, dpr: number): Array<{ url: string; density?: number }> {
  const urls: Array<{ url: string; density?: number }> = []
  let rest = computed
  for (;;) {
    const set = /image-set\(((?:[^()]|\([^()]*\))*)\)/.exec(rest)
    if (!set) break
    const options = [...(set[1] ?? '').matchAll(/url\("([^"]*)"\)\s*(\d+(?:\.\d+)?)(?:x|dppx)\b/g)].map((m) => ({ url: m[1] ?? '', density: Number(m[2]) }))
    options.sort((a, b) => a.density - b.density)
    const chosen = options.find((o) => o.density >= dpr) ?? options[options.length - 1]
    if (chosen) urls.push(chosen)
    rest = rest.slice(0, set.index) + rest.slice(set.index + set[0].length)
  }
  for (const match of rest.matchAll(/url\("([^"]*)"\)/g)) urls.push({ url: match[1] ?? '' })
  return urls
}
