// Where the Eleventy plugin looks for a bad value given to the `imageboss` filter: the page, its
// layouts and includes, then the data cascade (the global data folder, the input folder's other
// templates and data files), never dependencies, dot folders, the output or binary files.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Problem } from '../../src/core/problems.js'
import { locateValue, type TemplateFiles } from '../../src/eleventy/locate.js'
import { writeFiles } from '../helpers/files.js'
import { scratchDirectories } from '../helpers/scratch.js'

const scratch = scratchDirectories()

const BAD = 'imageboss:/photos/harbour.jpg?w=1200&mode=fcae'
/** Where the value's problem starts in it: at `fcae`. */
const START = BAD.indexOf('fcae')
const PROBLEM: Problem = { ruleId: 'invalid-value', reason: 'Unexpected value `fcae` for `mode`', start: START, end: START + 4, reference: BAD }

/** A project: `src/` (page, layout, data folder, a post) and what must never be searched. */
function project(files: Record<string, string>): { cwd: string; files: TemplateFiles } {
  const cwd = scratch.scratchSync('eleventy-locate-')
  writeFiles(cwd, {
    'src/list.njk': '{% for post in collections.posts %}{{ post.data.image | imageboss }}{% endfor %}\n',
    'src/_includes/layouts/base.njk': '<main>{{ content | safe }}</main>\n',
    ...files
  })
  const src = path.join(cwd, 'src')
  return {
    cwd,
    files: {
      input: path.join(src, 'list.njk'),
      folders: [path.join(src, '_includes')],
      data: [path.join(src, '_data'), src],
      skip: [path.join(src, '_site')]
    }
  }
}

/** The place of `part` in `text`, as a message names it. */
function placeOf(text: string, part: string): { line: number; column: number } {
  const before = text.slice(0, text.indexOf(part)).split('\n')
  return { line: before.length, column: (before.at(-1) ?? '').length + 1 }
}

describe('locateValue in the data cascade', () => {
  it("places a value of another page's front matter at its line there, naming the page that gave it", () => {
    const post = `---\ntitle: The harbour\ntags: posts\nimage: ${BAD}\n---\nText.\n`
    const { cwd, files } = project({ 'src/posts/harbour.md': post })
    const located = locateValue(PROBLEM, BAD, files, cwd)
    expect(located.place).toEqual({ file: path.join(cwd, 'src/posts/harbour.md'), ...placeOf(post, 'fcae') })
    expect(located.reason).toBe('Unexpected value `fcae` for `mode` (given to the `imageboss` filter on the page `src/list.njk`)')
  })

  it('looks in the global data folder before the other files of the input folder', () => {
    const json = JSON.stringify({ image: BAD }, null, 2)
    const { cwd, files } = project({ 'src/_data/site.json': json, 'src/a-post.md': `---\nimage: ${BAD}\n---\n` })
    expect(locateValue(PROBLEM, BAD, files, cwd).place).toEqual({ file: path.join(cwd, 'src/_data/site.json'), ...placeOf(json, 'fcae') })
  })

  it('places a value in the page itself without naming the page twice', () => {
    const page = `<img src="{{ '${BAD}' | imageboss }}">\n`
    const { cwd, files } = project({ 'src/list.njk': page, 'src/_data/site.json': JSON.stringify({ image: BAD }) })
    const located = locateValue(PROBLEM, BAD, files, cwd)
    expect(located.place).toEqual({ file: files.input, ...placeOf(page, 'fcae') })
    expect(located.reason).toBe('Unexpected value `fcae` for `mode` (given to the `imageboss` filter)')
  })

  it('never takes the value from node_modules, a dot folder, the output folder or an image', () => {
    const { cwd, files } = project({
      'src/node_modules/theme/data.json': JSON.stringify({ image: BAD }),
      'src/.cache/data.json': JSON.stringify({ image: BAD }),
      'src/_site/index.html': `<img src="${BAD}">`
    })
    writeFileSync(path.join(cwd, 'src/photo.jpg'), Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(BAD)]))
    const located = locateValue(PROBLEM, BAD, files, cwd)
    expect(located.place).toEqual({ file: files.input, line: 1, column: 1 })
    expect(located.reason).toContain('the line is not known')
  })
})
