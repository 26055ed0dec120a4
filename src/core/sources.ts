import { closest } from 'fastest-levenshtein'
import { ImageBossError } from './errors.js'
import type { CheckedOptions } from './options.js'
import { REASONS } from './problems.js'
import { createPathSigner, type PathSigner } from './sign.js'

/** The options whose `signing-disabled` warning was given: once per configuration, however many resolvers it makes. */
const announced = new WeakSet<object>()

/** What an instance knows of a source once it has been used. */
export interface SourceState {
  key: PathSigner | undefined
  warned: boolean
}

/** The variable that holds the secret of a named source: `blog-assets` → `IMAGEBOSS_SECRET_BLOG_ASSETS`. */
export function secretVariable(source: string): string {
  return 'IMAGEBOSS_SECRET_' + source.toUpperCase().replaceAll('-', '_')
}

/**
 * The HMAC key of a source, or `undefined` for an unsigned one. Worked out when a source is
 * first used, and kept in `states`; a source that fails is tried again next time.
 */
export function sourceKey(checked: CheckedOptions, states: Map<string, SourceState>, source: string, reference: string): PathSigner | undefined {
  let state = states.get(source)
  if (state === undefined) {
    const { sources, defaultSource, env, production, onWarning } = checked
    state = { key: undefined, warned: false }
    const entry = Object.hasOwn(sources, source) ? sources[source] : undefined
    const isDefault = source === defaultSource
    const variable = isDefault ? 'IMAGEBOSS_SECRET' : secretVariable(source)
    if (entry === undefined && !isDefault && !env[variable]) {
      const names = [...(defaultSource === undefined ? [] : [defaultSource]), ...Object.keys(sources)]
      throw new ImageBossError(
        'unknown-source',
        `Unexpected unknown source \`${source}\`, expected ${names.length > 0 ? `a configured source such as \`${closest(source, names)}\`` : 'a source in the `sources` setting'} or a \`${variable}\` variable`,
        { offset: 'imageboss://'.length, reference }
      )
    }
    if (!checked.signing) {
      // Signing off: no secret is read, every URL is unsigned, and the build says so once.
      if (!announced.has(checked.options)) {
        announced.add(checked.options)
        onWarning(
          new ImageBossError(
            'signing-disabled',
            'Signing is off (`enabled: false` or `IMAGEBOSS_ENABLED=false`): every ImageBoss URL of this build is unsigned, and a source that demands signed URLs refuses them; never deploy this build where people look',
            { reference }
          )
        )
      }
    } else if (entry?.signed !== false) {
      const secret = (isDefault ? checked.options.secret : undefined) ?? entry?.secret ?? env[variable]
      if (secret) {
        state.key = createPathSigner(secret)
      } else {
        const option = !checked.secretOption ? undefined : isDefault ? '`secret`' : `\`sources['${source}'].secret\``
        const warning = new ImageBossError('missing-secret', REASONS.missingSecret(source, variable, option), { reference })
        if (production) throw warning
        onWarning(warning)
        state.warned = true
      }
    }
    states.set(source, state)
  }
  return state.key
}
