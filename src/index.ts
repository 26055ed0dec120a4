export { createImageBoss, secretVariable } from './core/imageboss.js'
export type {
  ImageBoss,
  ImageBossOptions,
  ResolvedImage,
  SettingValue,
  SourceOptions,
  TransformSettings
} from './core/imageboss.js'
export { ImageBossError, RULE_IDS, RULES } from './core/errors.js'
export { checkText, type CheckResult } from './core/check.js'
export { formatProblems, type Place, type Problem } from './core/problems.js'
export { kindOfFile, scanText, type ScanResult, type ScanTextOptions, type Signer, type TextKind } from './core/scan/index.js'
export { createVerifyKeys, type VerifyKeys } from './core/verify-urls.js'
export type { RuleId } from './core/errors.js'
export { parseReference } from './core/reference.js'
export type { ParsedReference, ReferenceParameter } from './core/reference.js'
export { signPath } from './core/sign.js'
