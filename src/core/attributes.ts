/** How the value of a URL-bearing attribute holds references. */
export type AttributeKind = 'url' | 'srcset' | 'css' | 'html'

export interface UrlAttribute {
  /** Element name (`*` for every element). */
  tagName: string
  /** HTML attribute name. */
  attribute: string
  /** hast property name (as `property-information` spells it). */
  property: string
  kind: AttributeKind
  /** Only when the element has this attribute value (`input type=image`). */
  when?: { attribute: string; property: string; value: string }
}

/**
 * Every attribute in which a reference is rewritten: the one table shared by the HTML
 * scanner (Vite, CLI) and the rehype plugin. The README's “Where references are found” lists it.
 */
export const URL_ATTRIBUTES: readonly UrlAttribute[] = [
  { tagName: 'img', attribute: 'src', property: 'src', kind: 'url' },
  { tagName: 'img', attribute: 'srcset', property: 'srcSet', kind: 'srcset' },
  { tagName: 'img', attribute: 'data-src', property: 'dataSrc', kind: 'url' },
  { tagName: 'img', attribute: 'data-srcset', property: 'dataSrcset', kind: 'srcset' },
  { tagName: 'source', attribute: 'src', property: 'src', kind: 'url' },
  { tagName: 'source', attribute: 'srcset', property: 'srcSet', kind: 'srcset' },
  { tagName: 'source', attribute: 'data-srcset', property: 'dataSrcset', kind: 'srcset' },
  { tagName: 'link', attribute: 'href', property: 'href', kind: 'url' },
  { tagName: 'link', attribute: 'imagesrcset', property: 'imageSrcSet', kind: 'srcset' },
  { tagName: 'meta', attribute: 'content', property: 'content', kind: 'url' },
  { tagName: 'video', attribute: 'poster', property: 'poster', kind: 'url' },
  { tagName: 'a', attribute: 'href', property: 'href', kind: 'url' },
  { tagName: 'image', attribute: 'href', property: 'href', kind: 'url' },
  { tagName: 'image', attribute: 'xlink:href', property: 'xLinkHref', kind: 'url' },
  { tagName: 'feImage', attribute: 'href', property: 'href', kind: 'url' },
  {
    tagName: 'input',
    attribute: 'src',
    property: 'src',
    kind: 'url',
    when: { attribute: 'type', property: 'type', value: 'image' }
  },
  { tagName: 'iframe', attribute: 'srcdoc', property: 'srcDoc', kind: 'html' },
  { tagName: '*', attribute: 'style', property: 'style', kind: 'css' }
]

const anyTag = URL_ATTRIBUTES.filter((entry) => entry.tagName === '*')
/** Per element (lowercase name): its own entries, then those of every element. Built once. */
const byTag = new Map<string, readonly UrlAttribute[]>()
for (const entry of URL_ATTRIBUTES) {
  if (entry.tagName === '*') continue
  const key = entry.tagName.toLowerCase()
  byTag.set(key, [...(byTag.get(key) ?? []).filter((e) => e.tagName !== '*'), entry, ...anyTag])
}

/** The URL-bearing attributes of an element (names compared case-insensitively). */
export function urlAttributesOf(tagName: string): readonly UrlAttribute[] {
  return byTag.get(tagName) ?? byTag.get(tagName.toLowerCase()) ?? anyTag
}

/** Elements whose content is a code sample: references inside are left alone. */
export const CODE_ELEMENTS: ReadonlySet<string> = new Set(['code', 'pre', 'kbd', 'samp', 'xmp', 'plaintext', 'listing'])
