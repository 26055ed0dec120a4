// The generated site of the Vite benchmark: `pages` HTML entries, each with 20 image
// references, its own stylesheet with 50 `url()`s and five JS modules, of which one in
// twenty (5%) holds a reference. `sign` turns each reference into its final URL (the
// pre-signed twin of the site, built without the plugin).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export const MODULES_PER_PAGE = 5

export function generateSite(root, pages, sign) {
  rmSync(root, { recursive: true, force: true })
  mkdirSync(join(root, 'src'), { recursive: true })
  const ref = (reference) => (sign ? sign(reference) : reference)
  let modules = 0
  let modulesWithReference = 0
  for (let p = 0; p < pages; p++) {
    const images = Array.from({ length: 20 }, (_, i) => {
      const w = 200 + ((p * 20 + i) % 40) * 20
      return `      <img src="${ref(`imageboss:/pages/${p}/photo ${i}.jpg?w=${w}`)}" alt="Photo ${i}">`
    }).join('\n')
    writeFileSync(
      join(root, `page${p}.html`),
      `<!doctype html>\n<html lang="en">\n  <head>\n    <meta charset="utf-8">\n    <title>Page ${p}</title>\n    <link rel="stylesheet" href="/src/page${p}.css">\n    <script type="module" src="/src/page${p}-0.js"></script>\n  </head>\n  <body>\n    <main>\n      <h1>Page ${p}</h1>\n${images}\n    </main>\n  </body>\n</html>\n`
    )
    const rules = Array.from(
      { length: 50 },
      (_, i) => `.p${p}-${i} { background-image: url(${ref(`imageboss:/backgrounds/${p}/bg-${i}.png?w=${400 + i * 10}&h=300&quality=80`)}); }`
    ).join('\n')
    writeFileSync(join(root, 'src', `page${p}.css`), `:root { --page: ${p}; }\n${rules}\n`)
    for (let m = 0; m < MODULES_PER_PAGE; m++) {
      const index = p * MODULES_PER_PAGE + m
      const next = m + 1 < MODULES_PER_PAGE ? `import { value as next } from './page${p}-${m + 1}.js'\n` : 'const next = 0\n'
      const withReference = index % 20 === 0
      const body = withReference
        ? `export const hero = '${ref(`imageboss:/heroes/${p}/hero.jpg?w=1200&h=500`)}'\n`
        : `export const label = 'Module ${index}: no image here'\n`
      writeFileSync(
        join(root, 'src', `page${p}-${m}.js`),
        `${next}${body}export const value = next + ${index}\nexport function describe(n) {\n  return \`page ${p}, module ${m}: \${n * value}\`\n}\nif (typeof document !== 'undefined') document.title += describe(${m})\n`
      )
      modules++
      if (withReference) modulesWithReference++
    }
  }
  return { modules, modulesWithReference, input: Array.from({ length: pages }, (_, p) => join(root, `page${p}.html`)) }
}
