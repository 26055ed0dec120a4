import { closest } from 'fastest-levenshtein'
import { ImageBossError } from './errors.js'
import { ALIASES, EXTRA_OPTION, IMAGE_OPTIONS, OPERATION_PARAMETERS, type Check } from './parameters.js'
import type { ReferenceParameter } from './reference.js'
import { checkResponsiveKey, RESPONSIVE_KEYS, type ResponsiveKey, type ResponsiveOffsets, type ResponsiveRequest } from './responsive.js'

export type OperationKey = keyof typeof OPERATION_PARAMETERS

/** A set of parameters, validated and written as they go into the URL. */
export interface Transform {
  operation: Partial<Record<OperationKey, string>>
  options: Record<string, string>
  preset?: { name: string; offset: number }
  responsive: ResponsiveRequest
  responsiveOffsets: ResponsiveOffsets
}

/** The parameter names an instance accepts: the built-in ones and its `extraOptions`. */
export interface ParameterNames {
  /** The `extraOptions` names. */
  readonly extra: ReadonlySet<string>
  /** Every name a reference may use, for the “such as” of an unknown one. */
  readonly known: readonly string[]
}

export function parameterNames(extra: ReadonlySet<string>): ParameterNames {
  const known = [...Object.keys(ALIASES), ...Object.keys(OPERATION_PARAMETERS), ...Object.keys(IMAGE_OPTIONS), 'preset', ...RESPONSIVE_KEYS, ...extra]
  return { extra, known }
}

export function emptyTransform(): Transform {
  return { operation: {}, options: {}, responsive: {}, responsiveOffsets: {} }
}

/** Validate a reference's own parameters. */
export function referenceTransform(parameters: readonly ReferenceParameter[], reference: string, names: ParameterNames): Transform {
  const transform = emptyTransform()
  // Names seen so far, beside the key each was written as: a handful, so a list beats a `Map`.
  const seen: string[] = []
  for (const parameter of parameters) {
    const name = ALIASES[parameter.key] ?? parameter.key
    let previous: string | undefined
    for (let index = 0; index < seen.length; index += 2) if (seen[index] === name) previous = seen[index + 1]
    if (previous !== undefined) {
      throw new ImageBossError('conflicting-parameters', `Unexpected \`${parameter.key}\` after \`${previous}\`, expected each parameter once`, {
        offset: parameter.keyOffset,
        reference
      })
    }
    seen.push(name, parameter.key)
    if (name === 'preset') {
      transform.preset = { name: parameter.value, offset: parameter.valueOffset }
      continue
    }
    if ((RESPONSIVE_KEYS as readonly string[]).includes(name)) {
      applyResponsiveKey(transform, name as ResponsiveKey, parameter, reference)
      continue
    }
    const problem = applyParameter(transform, name, parameter.value, names.extra)
    if (problem === 'unknown') {
      throw new ImageBossError(
        'unknown-parameter',
        `Unexpected unknown parameter \`${parameter.key}\`, expected a known parameter such as \`${closest(parameter.key, names.known)}\``,
        { offset: parameter.keyOffset, reference }
      )
    }
    if (problem !== undefined) {
      throw new ImageBossError('invalid-value', `Unexpected value \`${parameter.value}\` for \`${parameter.key}\`, expected ${problem}`, {
        offset: parameter.valueOffset,
        reference
      })
    }
  }
  return transform
}

function applyResponsiveKey(transform: Transform, key: ResponsiveKey, parameter: ReferenceParameter, reference: string): void {
  const checked = checkResponsiveKey(key, parameter.value)
  if (!checked.ok) {
    throw new ImageBossError('invalid-value', `Unexpected value \`${parameter.value}\` for \`${key}\`, expected ${checked.expected}`, {
      offset: parameter.valueOffset,
      reference
    })
  }
  ;(transform.responsive as Record<string, unknown>)[key] = checked.value
  transform.responsiveOffsets[key] = parameter.keyOffset
}

/** Store one parameter in `transform`; returns what was expected when it is not valid. */
export function applyParameter(transform: Transform, name: string, value: string, extra: ReadonlySet<string>): string | undefined {
  const check = checkOf(name, extra)
  if (check === undefined) return 'unknown'
  const written = check.write(value)
  if (written === undefined) return check.expected
  if (Object.hasOwn(OPERATION_PARAMETERS, name)) transform.operation[name as OperationKey] = written
  else transform.options[name] = written
  return undefined
}

/** How the parameter `name` is validated and written; `undefined` for an unknown one. */
export function checkOf(name: string, extra: ReadonlySet<string>): Check | undefined {
  if (Object.hasOwn(OPERATION_PARAMETERS, name)) return OPERATION_PARAMETERS[name as OperationKey]
  if (Object.hasOwn(IMAGE_OPTIONS, name)) return IMAGE_OPTIONS[name]
  return extra.has(name) ? EXTRA_OPTION : undefined
}
