/**
 * Rule ids: public API. Each one has a heading under “Messages” in the README.
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
  | 'invalid-option'

export const RULE_IDS: readonly RuleId[] = [
  'invalid-reference',
  'invalid-path',
  'unknown-parameter',
  'invalid-value',
  'conflicting-parameters',
  'unknown-source',
  'unknown-preset',
  'missing-secret',
  'exposed-secret',
  'dynamic-reference',
  'misplaced-parameter',
  'invalid-option'
]

/** Where the README explains a rule. */
export function ruleUrl(ruleId: RuleId): string {
  return `https://github.com/imageboss-build/imageboss-build#${ruleId}`
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

export function isImageBossError(value: unknown): value is ImageBossError {
  return value instanceof ImageBossError
}
