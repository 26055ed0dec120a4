/** A family of near-miss inputs: its name, a text of about `n` characters, and the largest `n` it is timed at. */
export type Family = readonly [name: string, make: (n: number) => string, limits?: { max: number }]

export function rep(unit: string, n: number): string
export function series(unit: (i: number) => string, n: number): string

export const HTML: readonly Family[]
export const SRCSET: readonly Family[]
export const CSS: readonly Family[]
export const SCRIPT: readonly Family[]
export const JSON_INPUTS: readonly Family[]
export const XML: readonly Family[]
export const TEXT: readonly Family[]
export const MARKDOWN: readonly Family[]
