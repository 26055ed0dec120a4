// Near-miss inputs: what a scanner reads when a text is almost, but not quite, a reference,
// grown to any size. Each family makes a text of about `n` characters from one construct
// repeated or stretched (a run of spaces, glued references, an unclosed quote): the shapes
// that make a backtracking regex, an `indexOf` restarted at every occurrence, or a slice per
// occurrence cost n² rather than n. near-misses.test.ts checks the output (or the rule ids)
// at 1× and 8×; bench/hostile.js times them.

/** `unit` repeated to `n` characters (at least once). */
export const rep = (unit, n) => unit.repeat(Math.max(1, Math.ceil(n / unit.length)))

/** `unit(i)` for i = 0, 1, … until `n` characters. */
export function series(unit, n) {
  const parts = []
  for (let i = 0, size = 0; size < n; i++) {
    const part = unit(i)
    parts.push(part)
    size += part.length
  }
  return parts.join('')
}

const spaces = (n) => ' '.repeat(n)
const GLUED = 'imageboss:/x'
/** Partial prefixes, each followed by a space, then `imageboss:` and `imageboss` at the very end. */
const PARTIAL = 'imagebos imageboss imageboss: imageboss:: imageboss&#58 imageboss\\3a '

/** HTML: attribute values, text, comments, raw text elements, nested documents. */
export const HTML = [
  ['attr-spaces', (n) => `<a href="imageboss:/a.jpg${spaces(n)}x">`],
  ['img-lead-trail-spaces', (n) => `<img src="${spaces(n / 2)}imageboss:/a.jpg${spaces(n / 2)}">`],
  ['img-spaces-error', (n) => `<img src=" imageboss:/a.jpg?w=1${spaces(n)}x">`],
  ['text-glued', (n) => `<p>${rep(GLUED, n)}</p>`],
  ['attr-glued', (n) => `<a href="${rep(GLUED, n)}">x</a>`],
  ['partial-prefixes', (n) => `<p title="${rep(PARTIAL, n / 2)}">${rep(PARTIAL, n / 2)}imageboss:</p>imageboss`],
  ['unclosed-quote', (n) => `<a href="imageboss:/x ${rep(`${GLUED} `, n)}`],
  ['unclosed-comment', (n) => `<!-- ${rep(`${GLUED} `, n)}`],
  ['many-attributes', (n) => `<img ${series((i) => `a${i}="${GLUED}" `, n)}>`],
  ['style-url(', (n) => `<style>${rep('url( url(imageboss: ', n)}</style>`],
  ['style-attribute-url(', (n) => `<div style="${rep('url( /* ', n)}url(imageboss:/x)">`],
  ['srcdoc', (n) => `<iframe srcdoc="${rep('&lt;img src=&quot;imageboss:/x&quot;&gt; ', n)}"></iframe>`],
  ['script-glued', (n) => `<script>x = "${rep(GLUED, n)}"</script>`],
  ['references', (n) => series((i) => `<p class="x">t ${i}</p><img src="imageboss:/a/${i % 5000}.jpg?w=${(i % 800) + 1}" alt="a &amp; b">`, n)],
  ['unterminated-tags', (n) => series((i) => `<img src="imageboss:/u/${i}.jpg <a href='imageboss: <!-- `, n)],
  // What a tree builder reopens at every block (formatting elements left open) or drops (`<img>` in `<option>`).
  [
    'reopened-formatting',
    (n) => `<p>${series((i) => `<b id=b${i}>`, n / 2)}${series((i) => `<div><img src="imageboss:/r/${i % 5000}.jpg?w=${(i % 800) + 1}"></div>`, n / 2)}`
  ],
  ['dropped-elements', (n) => series((i) => `<select><option><img src="imageboss:/d/${i % 5000}.jpg?w=${(i % 800) + 1}"></option></select>`, n)]
]

/** `srcset` values in HTML: candidates, descriptors, separators. */
export const SRCSET = [
  ['spaces', (n) => `<img srcset="imageboss:/a.jpg${spaces(n)}1x">`],
  ['commas', (n) => `<img srcset="imageboss:/a.jpg${','.repeat(n)} 1x">`],
  ['leading-separators', (n) => `<img srcset="${rep(' ,', n)}imageboss:/a.jpg 1x">`],
  ['descriptor-parentheses', (n) => `<img srcset="imageboss:/a.jpg 1x${'('.repeat(n)}">`],
  ['glued', (n) => `<img srcset="${rep(GLUED, n)} 1x">`],
  ['candidates', (n) => `<img srcset="${rep(`${GLUED} 1x,`, n)}">`],
  ['partial-prefixes', (n) => `<img srcset="${rep('imageboss: 1x, imagebos 2x, ', n)}imageboss:">`]
]

/** CSS: `url(` open and closed, strings, comments, function names. */
export const CSS = [
  ['url-spaces', (n) => `a{b:url(imageboss:/a.jpg${spaces(n)}x)}`],
  ['url-lead-spaces', (n) => `a{b:url(${spaces(n)}imageboss:/a.jpg)}`],
  ['open-url(', (n) => rep('url(', n) + 'imageboss:/x'],
  ['unclosed-url', (n) => `a{b:url(${rep(`${GLUED} `, n)}`],
  ['glued', (n) => `a{b:${rep(GLUED, n)}}`],
  ['url-glued', (n) => `a{b:url(${rep(GLUED, n)})}`],
  ['unclosed-comment', (n) => `/*${rep(`${GLUED} `, n)}`],
  ['comments', (n) => rep(`/*${GLUED}*/`, n)],
  ['unclosed-string', (n) => `a{b:url("${rep(`${GLUED} `, n)}`],
  ['image-set-strings', (n) => `a{b:image-set(${rep(`"${GLUED}" 1x,`, n)})}`],
  ['long-name(', (n) => `${rep('a-b', n)}(url(imageboss:/x))`],
  ['nested-parentheses', (n) => rep('a(b(url( "imageboss:x\'(((', n)],
  ['partial-prefixes', (n) => `a{b:${rep(PARTIAL, n)}}`],
  [
    'references',
    (n) => series((i) => `.c${i}{background:url(imageboss:/c/${i % 5000}.jpg) /* url(${GLUED}) */;b:image-set("imageboss:/s/${i % 5000}.jpg" 1x)}`, n)
  ]
]

/** JavaScript: strings, templates, concatenations, comments. */
export const SCRIPT = [
  ['string-spaces', (n) => `x = "imageboss:/a.jpg${spaces(n)}x"`],
  ['string-glued', (n) => `x = "${rep(GLUED, n)}"`],
  ['strings', (n) => rep(`"${GLUED}";`, n)],
  ['concatenation', (n) => `x = ${rep(`"${GLUED}" + `, n)}y`],
  ['concatenation-plain', (n) => `x = ${rep('"a" + ', n)}"imageboss:/x" + y`],
  ['template', (n) => `x = \`${rep(GLUED + '${a}', n)}\``],
  ['comment', (n) => `/*${rep(`${GLUED} `, n)}*/`],
  ['unclosed-string', (n) => `x = "${rep(`${GLUED} `, n)}`],
  ['markup-string', (n) => `x = "${rep(`<img src=${GLUED}>`, n)}"`],
  ['css-string', (n) => `x = "${rep(`url(${GLUED})`, n)}"`],
  ['partial-prefixes', (n) => `x = "${rep(PARTIAL, n)}"`]
]

/** JSON: strings, keys, what lies between. */
export const JSON_INPUTS = [
  ['string-spaces', (n) => `{"a": "imageboss:/a.jpg${spaces(n)}"}`],
  ['string-glued', (n) => `{"a": "${rep(GLUED, n)}"}`],
  ['strings', (n) => `[${rep(`"${GLUED}",`, n)}1]`],
  ['keys-and-spaces', (n) => `{${rep(`"${GLUED}"${spaces(40)}`, n)}}`],
  ['unclosed-string', (n) => `["${rep(`${GLUED} `, n)}`],
  ['outside-strings', (n) => rep(`${GLUED} `, n)],
  ['escaped-colons', (n) => `["${rep('imageboss\\u003a/x', n)}"]`],
  ['quotes', (n) => `${'"'.repeat(n)}imageboss:/x`],
  ['partial-prefixes', (n) => `["${rep(PARTIAL.replaceAll('\\', '\\\\'), n)}"]`]
]

/** XML: tags, attributes, text, comments, CDATA. */
export const XML = [
  ['many-attributes', (n) => `<a ${series((i) => `h${i}="${GLUED}" `, n)}/>`],
  ['broken-tag', (n) => `<a ${rep(`${GLUED} `, n)}>`],
  ['long-attribute-name', (n) => `<a imageboss:/x ${rep('x', n)}>`],
  ['attribute-spaces', (n) => `<a b${spaces(n)}c="imageboss:/x"/>`],
  ['unclosed-quote', (n) => `<a h="${rep(`${GLUED} `, n)}`],
  ['unclosed-comment', (n) => `<!--${rep(`${GLUED} `, n)}`],
  ['unclosed-tags', (n) => rep(`<${GLUED} `, n)],
  ['text-glued', (n) => `<a>${rep(GLUED, n)}</a>`],
  ['text-spaces', (n) => `<a>${spaces(n / 2)}imageboss:/a.jpg${spaces(n / 2)}</a>`],
  ['text-lead-spaces-long', (n) => `<a>${spaces(n / 2)}imageboss:/${rep('a', n / 2)}</a>`],
  ['elements', (n) => rep(`<a>${GLUED}</a>`, n)],
  ['style', (n) => `<style>${rep('url( url(imageboss: ', n)}</style>`],
  ['cdata', (n) => `<d><![CDATA[${rep(`<img src="${GLUED}">`, n)}]]></d>`],
  ['entities', (n) => `<a>${rep('imageboss&#58;/x', n)}</a>`],
  ['partial-prefixes', (n) => `<a t="${rep(PARTIAL, n / 2)}">${rep(PARTIAL, n / 2)}</a>`]
]

/** Plain text (`.txt`), as `imageboss verify` reads it; with URLs on the base URL glued too. */
export const TEXT = [
  ['glued', (n) => rep(GLUED, n)],
  ['partial-prefixes', (n) => rep(PARTIAL, n) + 'imageboss:'],
  // Glued URLs are one URL (nothing ends the first before the next begins), read once.
  ['glued-urls', (n) => rep('https://img.imageboss.me/s/cdn/x.jpg', n)]
]

/** Markdown, through remark-parse → remark-rehype (raw HTML kept) → the rehype plugin. */
export const MARKDOWN = [
  ['image-spaces', (n) => `![a](imageboss:/a.jpg${spaces(n)}x)\n`],
  ['text-glued', (n) => `${rep(GLUED, n)}\n`],
  ['partial-prefixes', (n) => `${rep(PARTIAL, n)}imageboss:\n`],
  ['images', (n) => `${rep(`![a](${GLUED}) `, n)}\n`],
  ['raw-img-spaces', (n) => `<img src="imageboss:/a.jpg${spaces(n)}x">\n`],
  ['raw-open-code-tags', (n) => `<div>\n${rep('<code ', n)}\n`],
  ['raw-inline-code-tags', (n) => `a ${rep(`<code>${GLUED}</code> <kbd> `, n)}\n`],
  ['raw-unclosed-comment', (n) => `<!--\n${rep(`${GLUED} `, n)}\n`],
  ['raw-unclosed-quote', (n) => `<div>\n<a href="imageboss:/x ${rep(`${GLUED} `, n)}\n`],
  ['raw-style-url(', (n) => `<style>\n${rep('url( url(imageboss: ', n)}\n</style>\n`]
]
