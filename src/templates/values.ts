import { isIP } from 'node:net';

// Template values: each has a kind that fixes its character set, so that no value can change the structure of
// the crm, pcs, XML or drbd.conf text it is written into (no quotes, backslashes, whitespace, control characters,
// shell or crm metacharacters; ids that are crm keywords are refused).

export type ValueKind = 'id' | 'host' | 'ip' | 'int' | 'path' | 'url' | 'iqn' | 'enum' | 'word';

export interface ValueSpec {
  readonly key: string;
  readonly kind: ValueKind;
  readonly description: string;
  readonly default: string; // '' = unset (only for optional values)
  readonly optional?: boolean;
  readonly options?: readonly string[]; // enum
  readonly min?: number; // int
  readonly max?: number; // int
}

// A refused template value (or setting); the message names the key and the reason.
export class TemplateValueError extends Error {
  override readonly name = 'TemplateValueError';
  constructor(readonly key: string, message: string) {
    super(message);
  }
}

// Words crmsh's parser treats specially where an id or a bare token stands; refused as ids and node names.
export const CRM_KEYWORDS: ReadonlySet<string> = new Set([
  'primitive', 'group', 'clone', 'ms', 'master', 'bundle', 'tag', 'node', 'location', 'colocation', 'collocation',
  'order', 'rsc_ticket', 'property', 'rsc_defaults', 'op_defaults', 'fencing_topology', 'role', 'user', 'acl_target',
  'params', 'param', 'meta', 'op', 'operations', 'utilization', 'attributes', 'rule', 'and', 'or', 'not', 'date',
  'defined', 'not_defined', 'lt', 'gt', 'lte', 'gte', 'eq', 'ne', 'in_range', 'date_spec', 'duration', 'inf',
  'infinity', '+inf', '-inf', 'mandatory', 'optional', 'serialize', 'advisory', 'start', 'stop', 'promote', 'demote',
  'promoted', 'unpromoted', 'started', 'stopped', 'slave', 'symmetrical', 'score', 'id', 'description', 'template',
  'monitor', 'integer', 'string', 'number', 'version', 'resource-discovery', 'require-all', 'sequential', 'true',
  'false', 'yes', 'no', 'cib-bootstrap-options', 'erase', 'commit', 'show', 'delete', 'rsc-defaults-options',
]);

const ID = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;
const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const PATH = /^\/(?:[A-Za-z0-9._+-]+\/?)*$/;
const URL_RE = /^https?:\/\/[A-Za-z0-9.\-[\]:]+(?::\d{1,5})?(?:\/[A-Za-z0-9._~/%=&+,-]*)?(?:\?[A-Za-z0-9._~/%=&+,-]*)?$/;
const IQN = /^iqn\.\d{4}-\d{2}\.[a-z0-9][a-z0-9.-]*(?::[a-z0-9][a-z0-9.:-]*)?$/;
const WORD = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
const INT = /^\d{1,9}$/;

// Why a raw value cannot be taken at all, whatever its kind (quotes, newlines, backslashes, ...): the clear message.
const forbidden = (v: string, kind: ValueKind): string | undefined => {
  if (/["'`]/.test(v)) return 'contains a quote character';
  if (/\\/.test(v)) return 'contains a backslash';
  if (/[\r\n]/.test(v)) return 'contains a newline';
  if (/\s/.test(v)) return 'contains whitespace';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(v)) return 'contains a control character';
  if (/[^\x20-\x7e]/.test(v)) return 'contains a non-ASCII character';
  if (/[$;|<>(){}#*!]/.test(v) || (kind !== 'url' && /[?&]/.test(v))) return 'contains a shell or crm metacharacter';
  if (v.length > 256) return 'is longer than 256 characters';
  return undefined;
};

const show = (v: string) => JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);

// Checks one value against its spec; returns the value or throws TemplateValueError with a clear message.
export const checkValue = (spec: ValueSpec, raw: string): string => {
  const bad = (why: string) => new TemplateValueError(spec.key, `${spec.key}=${show(raw)}: ${why}`);
  if (raw === '') {
    if (spec.optional) return '';
    throw bad('a value is required');
  }
  const f = forbidden(raw, spec.kind);
  if (f) throw bad(f);
  switch (spec.kind) {
    case 'id':
      if (!ID.test(raw)) throw bad('must be a letter followed by up to 39 letters, digits, "_" or "-"');
      if (CRM_KEYWORDS.has(raw.toLowerCase())) throw bad('is a crm keyword and cannot be used as a name');
      return raw;
    case 'host':
      if (!HOST.test(raw) || raw.length > 63) throw bad('is not a valid host name');
      if (CRM_KEYWORDS.has(raw.toLowerCase())) throw bad('is a crm keyword and cannot be used as a node name');
      return raw;
    case 'ip':
      if (isIP(raw) === 0) throw bad('is not an IPv4 or IPv6 address');
      return raw;
    case 'int': {
      if (!INT.test(raw)) throw bad('is not a non-negative integer');
      const n = Number(raw);
      if (spec.min !== undefined && n < spec.min) throw bad(`is below ${spec.min}`);
      if (spec.max !== undefined && n > spec.max) throw bad(`is above ${spec.max}`);
      return String(n);
    }
    case 'path':
      if (!PATH.test(raw) || raw.includes('/../') || raw.endsWith('/..')) throw bad('is not an absolute path of letters, digits, "._+-"');
      return raw;
    case 'url':
      if (!URL_RE.test(raw)) throw bad('is not a plain http(s) URL');
      return raw;
    case 'iqn':
      if (!IQN.test(raw)) throw bad('is not an iSCSI qualified name (iqn.YYYY-MM.reversed.domain[:name], lower case)');
      return raw;
    case 'enum':
      if (!spec.options?.includes(raw)) throw bad(`is not one of: ${spec.options?.join(', ')}`);
      return raw;
    case 'word':
      if (!WORD.test(raw)) throw bad('must be letters, digits, "_", "." or "-"');
      if (CRM_KEYWORDS.has(raw.toLowerCase())) throw bad('is a crm keyword');
      return raw;
  }
};

// Parses `key=value` settings (from --set) into a map; duplicate or malformed settings are errors.
export const parseSettings = (sets: readonly string[]): Map<string, string> => {
  const out = new Map<string, string>();
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new TemplateValueError(s, `--set ${show(s)}: expected key=value`);
    const key = s.slice(0, eq);
    if (out.has(key)) throw new TemplateValueError(key, `--set ${key} given twice`);
    out.set(key, s.slice(eq + 1));
  }
  return out;
};

// Resolves every spec's value from the settings (defaults for the rest); unknown keys are refused.
export const resolveValues = (specs: readonly ValueSpec[], settings: ReadonlyMap<string, string>): Record<string, string> => {
  const known = new Map(specs.map((s) => [s.key, s]));
  for (const key of settings.keys()) {
    if (!known.has(key)) {
      throw new TemplateValueError(key, `unknown setting ${show(key)}; this template takes: ${specs.map((s) => s.key).join(', ')}`);
    }
  }
  const out: Record<string, string> = {};
  for (const s of specs) out[s.key] = checkValue(s, settings.get(s.key) ?? s.default);
  return out;
};
