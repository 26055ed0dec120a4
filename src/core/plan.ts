import type { PathSigner } from './sign.js'
import { closest } from 'fastest-levenshtein'
import { ImageBossError } from './errors.js'
import { ALIASES, type Operation } from './parameters.js'
import type { CheckedOptions } from './options.js'
import { parseReference, type ReferenceParameter } from './reference.js'
import type { ResponsiveOffsets, ResponsiveRequest } from './responsive.js'
import { sourceKey, type SourceState } from './sources.js'
import { referenceTransform, type OperationKey, type Transform } from './transform.js'

/** A reference, understood: everything needed to write its URL and its variants. */
export interface Plan {
  reference: string
  source: string
  key: PathSigner | undefined
  operation: Operation
  size: Partial<Record<OperationKey, string>>
  options: Record<string, string>
  path: string
  encodedPath: string
  responsive: ResponsiveRequest
  responsiveOffsets: ResponsiveOffsets
}

/** Per operation: whether it takes a width, whether it takes a height, and how to say so. */
const OPERATION_SIZES: Readonly<Record<Operation, readonly [boolean, boolean, string]>> = {
  cover: [true, true, 'both `w` and `h`'],
  width: [true, false, '`w` and no `h`'],
  height: [false, true, '`h` and no `w`'],
  cdn: [false, false, 'neither `w` nor `h`']
}

/**
 * Understand a reference step by step: its syntax (`parseReference`), its own parameters
 * (`referenceTransform`) over its preset's over the defaults, the operation they make, and
 * the key of its source, each step with the error that tells what is wrong and where. This
 * is the explain pass: the reference parser (`readUrl`, `readPlan` in src/core/reader.ts)
 * reads a reference in one pass and only says whether it is valid; a rejected one comes
 * here for its error. Kept step by step, as the syntax document is written, it is also what
 * the tests hold the parser to.
 *
 * @throws {ImageBossError} for an invalid reference, or a source that cannot be used.
 */
export function explainPlan(checked: CheckedOptions, sourceStates: Map<string, SourceState>, reference: string): Plan {
  const parsed = parseReference(reference)
  const own = referenceTransform(parsed.parameters, reference, checked.names)
  const preset = own.preset && findPreset(checked.presets, own.preset, reference)
  const { defaults } = checked

  const size = { ...defaults.operation, ...preset?.operation, ...own.operation }
  const imageOptions: Record<string, string> = { ...defaults.options, ...preset?.options, ...own.options }
  const operation = chooseOperation(size, parsed.parameters, reference)

  const source = parsed.source ?? checked.defaultSource
  if (source === undefined) {
    throw new ImageBossError(
      'unknown-source',
      'Unexpected reference to the default source, expected a default source in the `source` option or the `IMAGEBOSS_SOURCE` variable',
      { offset: 0, reference }
    )
  }
  return {
    reference,
    source,
    key: sourceKey(checked, sourceStates, source, reference),
    operation,
    size,
    options: imageOptions,
    path: parsed.path,
    encodedPath: parsed.encodedPath,
    responsive: own.responsive,
    responsiveOffsets: own.responsiveOffsets
  }
}

function findPreset(presets: ReadonlyMap<string, Transform>, wanted: { name: string; offset: number }, reference: string): Transform {
  const preset = presets.get(wanted.name)
  if (!preset) {
    const names = [...presets.keys()]
    throw new ImageBossError(
      'unknown-preset',
      `Unexpected unknown preset \`${wanted.name}\`, expected ${names.length > 0 ? `a preset such as \`${closest(wanted.name, names)}\`` : 'a preset defined in the `presets` setting'}`,
      { offset: wanted.offset, reference }
    )
  }
  return preset
}

/** The operation asked for (`op`), or the one a size makes: `cover`, `width`, `height`, `cdn`. */
export function operationOf(op: string | undefined, hasWidth: boolean, hasHeight: boolean): Operation {
  return (op as Operation | undefined) ?? (hasWidth ? (hasHeight ? 'cover' : 'width') : hasHeight ? 'height' : 'cdn')
}

/** Whether an operation takes exactly the sides given. */
export function fitsSize(operation: Operation, hasWidth: boolean, hasHeight: boolean): boolean {
  const [width, height] = OPERATION_SIZES[operation]
  return width === hasWidth && height === hasHeight
}

function chooseOperation(size: Partial<Record<OperationKey, string>>, parameters: readonly ReferenceParameter[], reference: string): Operation {
  const hasWidth = size.width !== undefined
  const hasHeight = size.height !== undefined
  const operation = operationOf(size.op, hasWidth, hasHeight)
  const at = (name: string) => {
    const found = parameters.find((p) => (ALIASES[p.key] ?? p.key) === name)
    return { offset: found?.keyOffset ?? reference.indexOf('?') + 1, reference }
  }
  if (size.mode !== undefined && operation !== 'cover') {
    throw new ImageBossError(
      'conflicting-parameters',
      `Unexpected \`mode\` with operation \`${operation}\`, expected \`mode\` only with \`cover\` (both \`w\` and \`h\`)`,
      at('mode')
    )
  }
  if (!fitsSize(operation, hasWidth, hasHeight)) {
    const expected = OPERATION_SIZES[operation][2]
    throw new ImageBossError(
      'conflicting-parameters',
      `Unexpected ${describeSize(hasWidth, hasHeight)} with operation \`${operation}\`, expected ${expected}`,
      at(size.op === undefined ? (hasWidth ? 'width' : 'height') : 'op')
    )
  }
  return operation
}

function describeSize(width: boolean, height: boolean): string {
  return width ? (height ? 'both `w` and `h`' : 'only `w`') : height ? 'only `h`' : 'no size'
}
