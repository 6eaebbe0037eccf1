// Templates: definitions, value checks, renderers, and the scratch-CIB checks (verify, simulate).
export { TEMPLATES, findTemplate, instantiate } from './registry';
export type { TemplateDef } from './template';
export { FORMATS, renderAs } from './render';
export type { Format } from './render';
export { TemplateValueError, checkValue, parseSettings, resolveValues, CRM_KEYWORDS } from './values';
export type { ValueSpec, ValueKind } from './values';
export type { Rendered, ClusterConfig, DrbdResource } from './model';
