import { html, InsertionMode, Parser, type Token, type TreeAdapter, type TreeAdapterTypeMap } from 'parse5'
import type { Cut, Splitter } from './split-text.js'

/**
 * Where a large HTML file may be cut, found by parse5 itself (the parser the HTML scanner
 * uses), streamed, over a tree that keeps almost nothing: so that finding the cuts takes
 * memory for the open elements only, where a full tree takes about 25 times the file.
 *
 * A cut goes before a start tag met in the body when every open element is a plain block
 * (`div`, `section`, `li`, `p`, …), no formatting element, form or template is pending, and the
 * body can no longer turn into a frameset.
 * The parser's state there is then nothing but the names of the open elements and the
 * document's mode, which a prefix rebuilds: `<!DOCTYPE html><body><div><p>` before the piece
 * puts the parser where the whole file left it, and it builds the same elements, with the
 * same source locations, from the piece alone. Tables, `<picture>`, `<select>`, SVG, code
 * samples and the like are never cut, since what they hold depends on more than that.
 *
 * The state is read from parse5's parser (fields its types declare, some marked internal;
 * parse5 is pinned), and `test/cli/pieces.test.ts` checks the promise on every cut.
 */
const PLAIN_BLOCKS: ReadonlySet<string> = new Set([
  'html',
  'body',
  'div',
  'main',
  'section',
  'article',
  'aside',
  'header',
  'footer',
  'nav',
  'address',
  'blockquote',
  'center',
  'details',
  'summary',
  'dialog',
  'figure',
  'figcaption',
  'hgroup',
  'menu',
  'search',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6'
])

/**
 * Before every piece: the HTML scanner skips a text without `imageboss` before it decodes
 * entities (`&#105;mageboss:`), as the whole file, which holds one, is not skipped. A
 * comment, so never a reference.
 */
const MARKER = '<!--imageboss-->'

/** A doctype that puts the parser in each document mode (the mode changes how `<table>` closes `<p>`). */
const DOCTYPES: Readonly<Record<html.DOCUMENT_MODE, string>> = {
  [html.DOCUMENT_MODE.NO_QUIRKS]: '<!DOCTYPE html>',
  [html.DOCUMENT_MODE.LIMITED_QUIRKS]: '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">',
  [html.DOCUMENT_MODE.QUIRKS]: ''
}

/** A node of the light tree: its name, its parent, its last child, nothing else (no text, no attributes kept past the parse). */
interface LightNode {
  tagName: string
  namespaceURI: html.NS
  attrs: Token.Attribute[]
  kind: 'document' | 'fragment' | 'element' | 'comment' | 'text'
  parent: LightNode | null
  last: LightNode | null
  content: LightNode | null
  location: Token.ElementLocation | null
  mode: html.DOCUMENT_MODE
}

type LightMap = TreeAdapterTypeMap<LightNode, LightNode, LightNode, LightNode, LightNode, LightNode, LightNode, LightNode, LightNode, LightNode>

function lightNode(kind: LightNode['kind'], tagName = '', namespaceURI: html.NS = html.NS.HTML, attrs: Token.Attribute[] = []): LightNode {
  return { tagName, namespaceURI, attrs, kind, parent: null, last: null, content: null, location: null, mode: html.DOCUMENT_MODE.NO_QUIRKS }
}

function append(parent: LightNode, node: LightNode): void {
  node.parent = parent
  parent.last = node
}

/**
 * The tree adapter of the light tree. The parser's decisions depend on its own state (open
 * elements, formatting elements, insertion mode), never on what the tree holds, so a child
 * list of one (the last child, where text is merged) is enough for it.
 */
const lightAdapter: TreeAdapter<LightMap> = {
  createDocument: () => lightNode('document'),
  createDocumentFragment: () => lightNode('fragment'),
  createElement: (tagName, namespaceURI, attrs) => lightNode('element', tagName, namespaceURI, attrs),
  createCommentNode: () => lightNode('comment'),
  createTextNode: () => lightNode('text'),
  appendChild: append,
  insertBefore: (parent, node) => {
    node.parent = parent
  },
  setTemplateContent: (template, content) => {
    template.content = content
  },
  getTemplateContent: (template) => template.content ?? lightNode('fragment'),
  setDocumentType: () => undefined,
  setDocumentMode: (document, mode) => {
    document.mode = mode
  },
  getDocumentMode: (document) => document.mode,
  detachNode: (node) => {
    if (node.parent?.last === node) node.parent.last = null
    node.parent = null
  },
  insertText: (parent) => {
    if (parent.last?.kind !== 'text') append(parent, lightNode('text'))
  },
  insertTextBefore: () => undefined,
  adoptAttributes: () => undefined,
  getFirstChild: (node) => node.last,
  getChildNodes: (node) => (node.last ? [node.last] : []),
  getParentNode: (node) => node.parent,
  getAttrList: (element) => element.attrs,
  getTagName: (element) => element.tagName,
  getNamespaceURI: (element) => element.namespaceURI,
  getTextNodeContent: () => '',
  getCommentNodeContent: () => '',
  getDocumentTypeNodeName: () => '',
  getDocumentTypeNodePublicId: () => '',
  getDocumentTypeNodeSystemId: () => '',
  isTextNode: (node): node is LightNode => node?.kind === 'text',
  isCommentNode: (node): node is LightNode => node?.kind === 'comment',
  isDocumentTypeNode: (_node): _node is LightNode => false,
  isElementNode: (node): node is LightNode => node?.kind === 'element',
  // The parser asks for the location of a missing sibling when text goes before a node.
  setNodeSourceCodeLocation: (node, location) => {
    if (node) node.location = location
  },
  getNodeSourceCodeLocation: (node) => node?.location ?? null,
  updateNodeSourceCodeLocation: (node, location) => {
    if (node?.location) node.location = { ...node.location, ...location }
  }
}

/** parse5's parser, told to note where a start tag finds it in a state a piece can start from. */
class CutFinder extends Parser<LightMap> {
  cuts: Cut[] = []

  override onStartTag(token: Token.TagToken): void {
    if (token.location) {
      const prefix = this.prefixHere()
      if (prefix !== undefined) this.cuts.push({ at: token.location.startOffset, prefix })
    }
    super.onStartTag(token)
  }

  /** The prefix that rebuilds the parser's state here, or `undefined` if no prefix can. */
  private prefixHere(): string | undefined {
    if (this.insertionMode !== InsertionMode.IN_BODY || this.activeFormattingElements.newest !== null || this.formElement !== null || this.framesetOk) return undefined
    const open = this.openElements
    const names: string[] = []
    for (let slot = open.stackTop; slot >= 0; slot = open.slotBelow(slot)) {
      const element = open.items[slot]
      if (!element || element.namespaceURI !== html.NS.HTML || !PLAIN_BLOCKS.has(element.tagName)) return undefined
      names.push(element.tagName)
    }
    // From the bottom: `html`, `body`, then the blocks.
    names.reverse()
    if (names[0] !== 'html' || names[1] !== 'body') return undefined
    return MARKER + DOCTYPES[this.document.mode] + names.slice(1).map((name) => `<${name}>`).join('')
  }
}

/** Cuts of an HTML document (not a fragment), as its scanner parses it. */
export class HtmlSplitter implements Splitter {
  readonly first = MARKER
  private readonly parser = new CutFinder({ treeAdapter: lightAdapter, sourceCodeLocationInfo: true, scriptingEnabled: false })

  feed(chunk: string): Cut[] {
    this.parser.tokenizer.write(chunk, false)
    return this.parser.cuts.splice(0)
  }
}
