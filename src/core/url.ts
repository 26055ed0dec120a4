import type { Operation } from './parameters.js'
import type { Plan } from './plan.js'
import type { OperationKey } from './transform.js'

/** What a reference resolves to. */
export interface ResolvedImage {
  /** The ImageBoss URL. */
  url: string
  /** Source name. */
  source: string
  /** ImageBoss operation. */
  operation: Operation
  /** Output width (`width` and `cover`). */
  width?: number
  /** Output height (`height` and `cover`). */
  height?: number
  /** Cover mode, when one was asked for. */
  mode?: string
  /** Options as written into the URL, sorted by name. */
  options: Record<string, string>
  /** Decoded path of the image, with a leading `/`. */
  path: string
  /** The signed part of the URL: `/SOURCE/…/PATH`, encoded. */
  signedPath: string
  /** Whether the URL carries a `bossToken`. */
  signed: boolean
}

/** A variant of a plan: another size, or another option. */
interface Variant {
  operation: Operation
  size: Partial<Record<OperationKey, string>>
  options: Record<string, string>
}

/** `/SOURCE/OPERATION[:MODE][/SIZE]`: the start of a signed path. */
export function operationPath(source: string, operation: Operation, mode: string | undefined, width: string | undefined, height: string | undefined): string {
  let path = '/' + source + '/' + operation
  if (mode !== undefined) path += ':' + mode
  if (operation === 'cover') path += '/' + width + 'x' + height
  else if (operation === 'width') path += '/' + width
  else if (operation === 'height') path += '/' + height
  return path
}

/** The URL of a plan, or of a variant of it. */
export function writeUrl(baseUrl: string, planned: Plan, variant: Variant): ResolvedImage {
  const { operation, size } = variant
  let signedPath = operationPath(planned.source, operation, size.mode, size.width, size.height)
  const names = Object.keys(variant.options).sort()
  const sorted: Record<string, string> = {}
  for (let index = 0; index < names.length; index++) {
    const name = names[index] as string
    const value = variant.options[name] as string
    sorted[name] = value
    signedPath += (index === 0 ? '/' : ',') + name + ':' + value
  }
  signedPath += planned.encodedPath

  const key = planned.key
  const result: ResolvedImage = {
    url: baseUrl + signedPath + (key ? '?bossToken=' + key(signedPath) : ''),
    source: planned.source,
    operation,
    options: sorted,
    path: planned.path,
    signedPath,
    signed: key !== undefined
  }
  if (size.width !== undefined) result.width = Number(size.width)
  if (size.height !== undefined) result.height = Number(size.height)
  if (size.mode !== undefined) result.mode = size.mode
  return result
}

/** A candidate of a `w` srcset: `width/Wi` (also for `cdn`), or `cover/Wi x round(Wi·H/W)`. */
export function widthVariant(planned: Plan, candidate: number, width: number | undefined, height: number | undefined): Variant {
  if (planned.operation === 'cover' && width !== undefined && height !== undefined) {
    return {
      operation: 'cover',
      size: { ...planned.size, width: String(candidate), height: String(Math.round((candidate * height) / width)) },
      options: planned.options
    }
  }
  const { mode, height: _, ...size } = planned.size
  return { operation: 'width', size: { ...size, width: String(candidate) }, options: planned.options }
}

/** A candidate of an `x` srcset: the plan itself at `1`, else the plan with that `dpr`. */
export function densityVariant(planned: Plan, density: string): Variant {
  return density === '1' ? planned : { ...planned, options: { ...planned.options, dpr: density } }
}
