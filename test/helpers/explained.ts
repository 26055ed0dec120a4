// The explain pass on its own (src/core/plan.ts `explainPlan`: the reference taken apart step
// by step, as the syntax document is written), then the URL and `<img>` attributes written
// from its plan. The reference parser (src/core/reader.ts) answers `url()`, `resolve()` and
// `image()` for every valid reference; these give what the other pass gives, to hold it to.
import { ImageBossError, type ImageBossOptions } from '../../src/index.js'
import { imageAttributes } from '../../src/core/image-attributes.js'
import { checkOptions } from '../../src/core/options.js'
import { explainPlan, type Plan } from '../../src/core/plan.js'
import type { SourceState } from '../../src/core/sources.js'
import { writeUrl } from '../../src/core/url.js'

/** An error as compared: its rule, reason and offset. */
export interface Failure {
  rule: string
  reason: string
  offset: number | undefined
}

/** What a call gave: its value, or the `ImageBossError` it threw. */
export function outcomeOf<T>(run: () => T): T | Failure {
  try {
    return run()
  } catch (error) {
    if (!(error instanceof ImageBossError)) throw error
    return { rule: error.ruleId, reason: error.reason, offset: error.offset }
  }
}

/**
 * An instance's explain pass: `url`, `resolve` and `image` through `explainPlan` only, over
 * source states of their own. `warm` puts sources in use first, as an instance that has
 * signed a URL of each.
 */
export function explainer(options: ImageBossOptions, warm: readonly string[] = []) {
  const checked = checkOptions(options)
  const states = new Map<string, SourceState>()
  for (const reference of warm) outcomeOf(() => explainPlan(checked, states, reference))
  const plan = (reference: string): Plan => explainPlan(checked, states, reference)
  /** `resolve()`: a responsive key has no place there (compared by rule and offset: the reason is the instance's). */
  const resolved = (reference: string) => {
    const planned = plan(reference)
    const key = Object.keys(planned.responsiveOffsets)[0] as keyof Plan['responsiveOffsets'] | undefined
    if (key !== undefined)
      throw new ImageBossError('misplaced-parameter', '(as the instance says)', { offset: planned.responsiveOffsets[key] as number, reference })
    return writeUrl(checked.baseUrl, planned, planned)
  }
  return {
    url: (reference: string) => outcomeOf(() => resolved(reference).url),
    resolve: (reference: string) => outcomeOf(() => resolved(reference)),
    image: (reference: string) => outcomeOf(() => imageAttributes(checked, plan(reference)))
  }
}

/** An outcome as `explainer().url` words it: a `misplaced-parameter` reason left out. */
export function asExplained<T>(outcome: T | Failure): T | Failure {
  if (typeof outcome === 'object' && outcome !== null && 'rule' in outcome && outcome.rule === 'misplaced-parameter') {
    return { ...outcome, reason: '(as the instance says)' }
  }
  return outcome
}
