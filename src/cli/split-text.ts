/**
 * Where a large file may be cut into pieces that the core's scanners read alone exactly as
 * they read the whole: so that memory follows the size of a piece, not of the file.
 *
 * Each splitter reads the text as the scanner of its kind does (the same tokens, the same
 * state carried from one to the next) and offers a cut only where that state is empty:
 *
 * - CSS (`findCssReferences`): after a `}` outside comments, strings and function
 *   arguments, at no function depth;
 * - JSON (`scanJson`): after a `,` outside strings;
 * - XML (`scanXml`): before the `<` of a tag (not of a comment, CDATA section, processing
 *   instruction or declaration): the tag sets the element its text belongs to;
 * - plain text: after a line break.
 *
 * `test/cli/pieces.test.ts` checks that cutting at every offered place gives the same
 * bytes, problems and places as one scan: on the fixture sites, the hostile corpus, a
 * corpus of traps and generated documents.
 */
export interface Splitter {
  /** What the scanner reads before the first piece (see `Cut.prefix`). */
  readonly first: string
  /** Read the next chunk of the text; returns the places (in the whole text, in order) where it may be cut, found in it. */
  feed(chunk: string): Cut[]
}

/** A place where a text may be cut. */
export interface Cut {
  /** The offset of the first character of the next piece. */
  at: number
  /** What the scanner reads before that piece, to be in the state the whole text leaves it there (nothing but for HTML). */
  prefix: string
}

const LF = 10
const QUOTE = 34
const APOSTROPHE = 39
const LEFT_PAREN = 40
const RIGHT_PAREN = 41
const STAR = 42
const COMMA = 44
const DASH = 45
const SLASH = 47
const COLON = 58
const LESS_THAN = 60
const GREATER_THAN = 62
const QUESTION = 63
const BACKSLASH = 92
const RIGHT_BRACKET = 93
const RIGHT_BRACE = 125

/** `URL_END_RE` of `verify-urls.ts`: what ends a URL that `verify` checks. */
function endsUrl(code: number): boolean {
  if (code < 128) return code === 32 || (code >= 9 && code <= 13) || code === QUOTE || code === APOSTROPHE || code === LESS_THAN || code === GREATER_THAN || code === LEFT_PAREN || code === RIGHT_PAREN || code === BACKSLASH || code === 96
  return /\s/.test(String.fromCharCode(code))
}

/**
 * Whether the current run of characters that a URL may hold contains `://`: a URL that
 * `verify` would read on past a `,` or `}`, which must then not be cut there.
 */
class UrlRun {
  scheme = false
  private matched = 0

  add(code: number): void {
    if (endsUrl(code)) {
      this.scheme = false
      this.matched = 0
    } else if (code === COLON) {
      this.matched = 1
    } else if (code === SLASH && this.matched > 0) {
      if (++this.matched === 3) this.scheme = true
    } else {
      this.matched = 0
    }
  }
}

/** Plain text: nothing is read across a line break. */
class TextSplitter implements Splitter {
  readonly first = ''
  private offset = 0

  feed(chunk: string): Cut[] {
    const cuts: Cut[] = []
    for (let at = chunk.indexOf('\n'); at !== -1; at = chunk.indexOf('\n', at + 1)) cuts.push({ at: this.offset + at + 1, prefix: '' })
    this.offset += chunk.length
    return cuts
  }
}

/** States of the JSON splitter. */
const OUT = 0
const IN_STRING = 1
const AFTER_BACKSLASH = 2

/** JSON as `jsonStrings` tokenises it: strings from `"` to `"`, a backslash skipping one character. */
class JsonSplitter implements Splitter {
  readonly first = ''
  private offset = 0
  private state = OUT
  private readonly urls = new UrlRun()

  feed(chunk: string): Cut[] {
    const cuts: Cut[] = []
    for (let i = 0; i < chunk.length; i++) {
      const code = chunk.charCodeAt(i)
      this.urls.add(code)
      if (this.state === IN_STRING) {
        if (code === BACKSLASH) this.state = AFTER_BACKSLASH
        else if (code === QUOTE) this.state = OUT
      } else if (this.state === AFTER_BACKSLASH) {
        this.state = IN_STRING
      } else if (code === QUOTE) {
        this.state = IN_STRING
      } else if (code === COMMA && !this.urls.scheme) {
        cuts.push({ at: this.offset + i + 1, prefix: '' })
      }
    }
    this.offset += chunk.length
    return cuts
  }
}

/** States of the CSS splitter. */
const CSS = 0
const CSS_SLASH = 1
const CSS_COMMENT = 2
const CSS_STRING = 3
const CSS_STRING_ESCAPE = 4
const CSS_URL_START = 5
const CSS_URL = 6

/** Whether `findCssReferences` counts the character in a function's name (`[\w-]`). */
function isNameChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === DASH
}

/** CSS as `findCssReferences` reads it: comments, strings (ended by their quote or a line break), `(`…`)`, unquoted `url(…)`. */
class CssSplitter implements Splitter {
  readonly first = ''
  private cuts: Cut[] = []
  private offset = 0
  private state = CSS
  private depth = 0
  private quote = 0
  private star = false
  /** The name characters just before the current one: how many, and the last three. */
  private nameLength = 0
  private name = [0, 0, 0]
  private readonly urls = new UrlRun()

  feed(chunk: string): Cut[] {
    for (let i = 0; i < chunk.length; i++) {
      const code = chunk.charCodeAt(i)
      this.urls.add(code)
      this.step(code, this.offset + i)
    }
    this.offset += chunk.length
    return this.cuts.splice(0)
  }

  private step(code: number, at: number): void {
    switch (this.state) {
      case CSS_SLASH:
        this.state = code === STAR ? CSS_COMMENT : CSS
        this.star = false
        if (this.state === CSS) this.normal(code, at)
        return
      case CSS_COMMENT:
        if (this.star && code === SLASH) this.state = CSS
        this.star = code === STAR
        return
      case CSS_STRING:
        if (code === BACKSLASH) this.state = CSS_STRING_ESCAPE
        else if (code === this.quote || code === LF) this.state = CSS
        return
      case CSS_STRING_ESCAPE:
        this.state = CSS_STRING
        return
      case CSS_URL_START:
        // `url(` then spaces: a quote starts a string as anywhere else; anything else an unquoted URL.
        if (/\s/.test(String.fromCharCode(code))) return
        this.state = code === QUOTE || code === APOSTROPHE ? CSS : CSS_URL
        return this.step(code, at)
      case CSS_URL:
        if (code === RIGHT_PAREN) this.close()
        return
      default:
        this.normal(code, at)
    }
  }

  private normal(code: number, at: number): void {
    const isUrl = code === LEFT_PAREN && this.nameLength === 3 && this.name.map((c) => String.fromCharCode(c | 32)).join('') === 'url'
    if (isNameChar(code)) {
      this.nameLength++
      this.name.shift()
      this.name.push(code)
      return
    }
    this.nameLength = 0
    if (code === SLASH) {
      this.state = CSS_SLASH
    } else if (code === QUOTE || code === APOSTROPHE) {
      this.quote = code
      this.state = CSS_STRING
    } else if (code === LEFT_PAREN) {
      this.depth++
      if (isUrl) this.state = CSS_URL_START
    } else if (code === RIGHT_PAREN) {
      this.depth = Math.max(0, this.depth - 1)
    } else if (code === RIGHT_BRACE && this.depth === 0 && !this.urls.scheme) {
      this.cuts.push({ at: at + 1, prefix: '' })
    }
  }

  private close(): void {
    this.depth = Math.max(0, this.depth - 1)
    this.state = CSS
  }
}

/** States of the XML splitter. */
const XML_TEXT = 0
const XML_LESS_THAN = 1
const XML_TAG = 2
const XML_COMMENT = 3
const XML_CDATA = 4
const XML_INSTRUCTION = 5
const XML_DECLARATION = 6

/** XML as `scanXml` reads it: text, then `<!--`, `<![CDATA[`, `<?`, `<!` or a tag, each to its end. */
class XmlSplitter implements Splitter {
  readonly first = ''
  private cuts: Cut[] = []
  private offset = 0
  private state = XML_TEXT
  /** Where the current `<` is, and what follows it while its kind is not known yet. */
  private start = 0
  private look = ''
  private quote = 0
  /** `-`, `]` or `?` just before, for the end of a comment, a CDATA section or an instruction. */
  private repeated = 0

  feed(chunk: string): Cut[] {
    for (let i = 0; i < chunk.length; i++) this.step(chunk.charCodeAt(i), this.offset + i)
    this.offset += chunk.length
    return this.cuts.splice(0)
  }

  private step(code: number, at: number): void {
    switch (this.state) {
      case XML_TEXT:
        if (code === LESS_THAN) {
          this.state = XML_LESS_THAN
          this.start = at
          this.look = ''
        }
        return
      case XML_LESS_THAN:
        return this.classify(code, at)
      case XML_TAG:
        if (this.quote !== 0) {
          if (code === this.quote) this.quote = 0
        } else if (code === QUOTE || code === APOSTROPHE) {
          this.quote = code
        } else if (code === GREATER_THAN) {
          this.state = XML_TEXT
        }
        return
      case XML_COMMENT:
        return this.closeAfter(code, DASH, 2)
      case XML_CDATA:
        return this.closeAfter(code, RIGHT_BRACKET, 2)
      case XML_INSTRUCTION:
        return this.closeAfter(code, QUESTION, 1)
      default:
        if (code === GREATER_THAN) this.state = XML_TEXT
    }
  }

  /** What a `<` starts, from the characters after it (`scanXml`'s order of tests). */
  private classify(code: number, at: number): void {
    this.look += String.fromCharCode(code)
    this.repeated = 0
    if (this.look === '?') {
      this.state = XML_INSTRUCTION
    } else if (this.look === '!--') {
      this.state = XML_COMMENT
    } else if (this.look === '![CDATA[') {
      this.state = XML_CDATA
    } else if (this.look.startsWith('!')) {
      if ('!--'.startsWith(this.look) || '![CDATA['.startsWith(this.look)) return
      // A declaration (`<!DOCTYPE …>`): its end is searched from after `<!`.
      this.state = XML_DECLARATION
      for (const c of this.look.slice(1)) this.step(c.charCodeAt(0), at)
    } else {
      this.state = XML_TAG
      this.quote = 0
      this.cuts.push({ at: this.start, prefix: '' })
      this.step(code, at)
    }
  }

  /** The end of a comment (`-->`), CDATA section (`]]>`) or instruction (`?>`): `>` after `count` of `char`. */
  private closeAfter(code: number, char: number, count: number): void {
    if (code === GREATER_THAN && this.repeated >= count) this.state = XML_TEXT
    this.repeated = code === char ? this.repeated + 1 : 0
  }
}

export function createTextSplitter(kind: 'css' | 'json' | 'xml' | 'text'): Splitter {
  switch (kind) {
    case 'css':
      return new CssSplitter()
    case 'json':
      return new JsonSplitter()
    case 'xml':
      return new XmlSplitter()
    default:
      return new TextSplitter()
  }
}
