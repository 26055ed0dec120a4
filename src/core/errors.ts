/**
 * Rule ids: public API. Each one has a heading in docs/messages.md, and an entry in `RULES`
 * below.
 */
export type RuleId =
  | 'invalid-reference'
  | 'invalid-path'
  | 'unknown-parameter'
  | 'invalid-value'
  | 'conflicting-parameters'
  | 'unknown-source'
  | 'unknown-preset'
  | 'missing-secret'
  | 'exposed-secret'
  | 'dynamic-reference'
  | 'misplaced-parameter'
  | 'unsupported-position'
  | 'leftover-reference'
  | 'unsigned-url'
  | 'invalid-token'
  | 'secret-in-output'
  | 'short-secret'
  | 'signing-disabled'
  | 'syntax-error'
  | 'expanded-variable'
  | 'changed-variable'
  | 'client-signing'
  | 'concurrent-build'
  | 'file-too-large'
  | 'unsupported-encoding'
  | 'symbolic-link'
  | 'special-file'
  | 'temporary-file'
  | 'read-error'
  | 'write-error'
  | 'internal-error'
  | 'invalid-option'

/** What each rule is about, in a few words: the catalogue every message is built from. */
export const RULES: Readonly<Record<RuleId, { summary: string }>> = {
  'invalid-reference': { summary: 'not a reference' },
  'invalid-path': { summary: 'invalid image path' },
  'unknown-parameter': { summary: 'unknown parameter' },
  'invalid-value': { summary: 'invalid parameter value' },
  'conflicting-parameters': { summary: 'conflicting parameters' },
  'unknown-source': { summary: 'unknown source' },
  'unknown-preset': { summary: 'unknown preset' },
  'missing-secret': { summary: 'no secret for a signed source' },
  'exposed-secret': { summary: 'secret exposed to client code' },
  'dynamic-reference': { summary: 'reference built at run time' },
  'misplaced-parameter': { summary: 'responsive key where no image element is written' },
  'unsupported-position': { summary: 'reference where nothing signs it' },
  'leftover-reference': { summary: 'reference left in the output' },
  'unsigned-url': { summary: 'URL without `bossToken`' },
  'invalid-token': { summary: '`bossToken` that does not verify' },
  'secret-in-output': { summary: 'a secret, in some encoding, in a file the build wrote' },
  'short-secret': { summary: 'a secret too short for the output check to vouch for' },
  'signing-disabled': { summary: 'signing turned off (`enabled: false`): every URL unsigned' },
  'syntax-error': { summary: 'script that cannot be parsed' },
  'expanded-variable': { summary: '`$` in an `IMAGEBOSS_*` value of a `.env` file' },
  'changed-variable': { summary: '`.env` syntax that would cut or change an `IMAGEBOSS_*` value' },
  'client-signing': { summary: 'a signer imported into code that runs in the browser' },
  'concurrent-build': { summary: 'one plugin instance used by two builds at once' },
  'file-too-large': { summary: 'file above `--max-file-size`' },
  'unsupported-encoding': { summary: 'file in an encoding the CLI does not read' },
  'symbolic-link': { summary: 'symbolic link the CLI does not follow' },
  'special-file': { summary: 'FIFO, socket or device the CLI does not open' },
  'temporary-file': { summary: 'temporary file left by a stopped rewrite' },
  'read-error': { summary: 'file the CLI could not read' },
  'write-error': { summary: 'file the CLI could not write' },
  'internal-error': { summary: 'a bug of imageboss-build, the file left as it was' },
  'invalid-option': { summary: 'invalid option' }
}

export const RULE_IDS: readonly RuleId[] = Object.keys(RULES) as RuleId[]

/** A section of a page of docs/, by its file name and heading anchor: `docsUrl('sveltekit.md', 'images-in-data')`. */
export function docsUrl(page: string, anchor: string): string {
  return `https://github.com/imageboss-build/imageboss-build/blob/main/docs/${page}#${anchor}`
}

/** Where docs/messages.md explains a rule: its heading `` ### `rule-id` `` has the anchor `#rule-id`. */
export function ruleUrl(ruleId: RuleId): string {
  return docsUrl('messages.md', ruleId)
}

export interface ImageBossErrorOptions {
  /** Offset of the problem inside the reference, in UTF-16 code units (optional). */
  offset?: number | undefined
  /** The reference the problem was found in (optional). */
  reference?: string | undefined
}

/**
 * The one error class of this package. `reason` never contains a secret.
 */
export class ImageBossError extends Error {
  readonly ruleId: RuleId
  readonly reason: string
  readonly offset: number | undefined
  readonly reference: string | undefined
  readonly url: string
  readonly source = 'imageboss-build'

  constructor(ruleId: RuleId, reason: string, options: ImageBossErrorOptions = {}) {
    super(reason)
    this.name = 'ImageBossError'
    this.ruleId = ruleId
    this.reason = reason
    this.offset = options.offset
    this.reference = options.reference
    this.url = ruleUrl(ruleId)
  }
}

/** The prefix of every line this package prints and of every error it throws. */
export const PREFIX = '[imageboss]'

/**
 * A configuration mistake as a host shows it (Vite, Eleventy): the rule id in front and no
 * stack of this package's frames, since the mistake is in the configuration, not here. Any
 * other error is returned as it is.
 */
export function asConfigError(error: unknown): unknown {
  if (error instanceof ImageBossError) {
    error.message = `${PREFIX} ${error.ruleId}: ${error.reason}`
    withoutFrames(error)
  }
  return error
}

/**
 * A problem in the author's files or configuration, not a crash: the error's stack is its
 * message alone, so hosts that print stacks show the problems, not this package's frames. The
 * line break ends the message as Vite expects of a stack, so its report does not repeat it.
 */
export function withoutFrames<E extends Error>(error: E): E {
  error.stack = `${error.name}: ${error.message}\n`
  return error
}
