export { createImageBoss, secretVariable } from './core/imageboss.js'
export type {
  ImageBoss,
  ImageBossOptions,
  ResolvedImage,
  SettingValue,
  SourceOptions,
  TransformSettings
} from './core/imageboss.js'
export { ImageBossError, RULE_IDS } from './core/errors.js'
export type { RuleId } from './core/errors.js'
export { parseReference } from './core/reference.js'
export type { ParsedReference, ReferenceParameter } from './core/reference.js'
export { signPath } from './core/sign.js'
