import { isBooleanSpelling, isTrue } from './bool';
import { ConfigError } from './errors';

export type ContentType = 'string' | 'integer' | 'boolean' | 'select';

export interface Deprecation {
  replacedWith?: readonly string[];
  desc?: string;
}

// One parameter of an agent, declared once: meta-data, typed value and syntax check all come from it.
export interface ParamDef<T> {
  readonly type: ContentType;
  readonly shortdesc: string;
  readonly longdesc: string;
  readonly required: boolean;
  readonly unique: boolean;
  readonly uniqueGroup: string | undefined;
  readonly reloadable: boolean;
  readonly deprecated: Deprecation | undefined;
  readonly options: readonly string[] | undefined;
  // The default as meta-data shows it (absent when there is none to show).
  readonly metaDefault: string | undefined;
  // Other OCF_RESKEY_ names read when this one is unset (legacy aliases such as IPaddr2's `netmask`).
  readonly aliases: readonly string[];
  // Turns the raw environment value (undefined when unset) into the typed value; throws ConfigError.
  readonly read: (raw: string | undefined, name: string, warn: (msg: string) => void) => T;
}

interface CommonOpts {
  shortdesc: string;
  longdesc: string;
  required?: boolean;
  unique?: boolean;
  uniqueGroup?: string;
  reloadable?: boolean;
  deprecated?: Deprecation;
  aliases?: string[];
  metaDefault?: string;
}

const common = (o: CommonOpts) => ({
  shortdesc: o.shortdesc,
  longdesc: o.longdesc,
  required: o.required ?? false,
  unique: o.unique ?? false,
  uniqueGroup: o.uniqueGroup,
  reloadable: o.reloadable ?? false,
  deprecated: o.deprecated,
  aliases: o.aliases ?? [],
});

// A string parameter; unset gives the default (or ""), an empty value stays empty.
const string = (o: CommonOpts & { default?: string; maxLength?: number }): ParamDef<string> => ({
  ...common(o),
  type: 'string',
  options: undefined,
  metaDefault: o.metaDefault ?? o.default,
  read: (raw, name) => {
    const v = raw ?? o.default ?? '';
    if (o.maxLength !== undefined && v.length > o.maxLength) {
      throw new ConfigError(`parameter ${name} is longer than ${o.maxLength} characters`, name);
    }
    return v;
  },
});

const INTEGER = /^[-+]?\d+$/;

// An integer parameter; unset or empty gives the default (undefined when there is none).
function integer(o: CommonOpts & { default: number; min?: number; max?: number }): ParamDef<number>;
function integer(o: CommonOpts & { min?: number; max?: number }): ParamDef<number | undefined>;
function integer(o: CommonOpts & { default?: number; min?: number; max?: number }): ParamDef<number | undefined> {
  return {
    ...common(o),
    type: 'integer',
    options: undefined,
    metaDefault: o.metaDefault ?? (o.default === undefined ? undefined : String(o.default)),
    read: (raw, name) => {
      const s = raw?.trim();
      if (s === undefined || s === '') return o.default;
      if (!INTEGER.test(s)) throw new ConfigError(`parameter ${name}=${quote(raw ?? '')} is not an integer`, name);
      const n = Number(s);
      if (!Number.isSafeInteger(n)) throw new ConfigError(`parameter ${name}=${quote(raw ?? '')} is out of range`, name);
      if (o.min !== undefined && n < o.min) throw new ConfigError(`parameter ${name}=${n} is below ${o.min}`, name);
      if (o.max !== undefined && n > o.max) throw new ConfigError(`parameter ${name}=${n} is above ${o.max}`, name);
      return n;
    },
  };
}

// A boolean parameter with ocf_is_true semantics; an unusual spelling is false, with a warning.
const boolean = (o: CommonOpts & { default: boolean }): ParamDef<boolean> => ({
  ...common(o),
  type: 'boolean',
  options: undefined,
  metaDefault: o.metaDefault ?? (o.default ? 'true' : 'false'),
  read: (raw, name, warn) => {
    if (raw === undefined || raw === '') return o.default;
    if (!isBooleanSpelling(raw)) warn(`parameter ${name}=${quote(raw)} is not a boolean spelling; taken as false`);
    return isTrue(raw);
  },
});

// One value out of a fixed list (meta-data content type "select").
const select = <const O extends readonly string[]>(
  o: CommonOpts & { options: O; default: O[number] },
): ParamDef<O[number]> => ({
  ...common(o),
  type: 'select',
  options: o.options,
  metaDefault: o.metaDefault ?? o.default,
  read: (raw, name) => {
    if (raw === undefined || raw === '') return o.default;
    if (!(o.options as readonly string[]).includes(raw)) {
      throw new ConfigError(`parameter ${name}=${quote(raw)} is not one of: ${o.options.join(', ')}`, name);
    }
    return raw as O[number];
  },
});

export const p = { string, integer, boolean, select };

export type ParamDefs = Record<string, ParamDef<unknown>>;
export type InferParams<D extends ParamDefs> = { readonly [K in keyof D]: D[K] extends ParamDef<infer T> ? T : never };

export interface ParamReadResult<D extends ParamDefs> {
  params: InferParams<D>;
  // Which parameters were set explicitly (in the environment, not defaulted).
  given: ReadonlySet<keyof D & string>;
  errors: ConfigError[];
  warnings: string[];
}

// Reads every declared parameter from OCF_RESKEY_*; a bad value is collected, its default used in its place.
export const readParams = <D extends ParamDefs>(defs: D, env: NodeJS.ProcessEnv): ParamReadResult<D> => {
  const out: Record<string, unknown> = {};
  const given = new Set<string>();
  const errors: ConfigError[] = [];
  const warnings: string[] = [];
  const warn = (m: string) => warnings.push(m);
  for (const [name, def] of Object.entries(defs)) {
    let raw = env[`OCF_RESKEY_${name}`];
    for (const alias of def.aliases) if (raw === undefined || raw === '') raw = env[`OCF_RESKEY_${alias}`] ?? raw;
    if (raw !== undefined && raw !== '') given.add(name);
    if (def.required && (raw === undefined || raw === '')) {
      errors.push(new ConfigError(`required parameter ${name} is not set`, name));
    }
    try {
      out[name] = def.read(raw, name, warn);
    } catch (err) {
      errors.push(err instanceof ConfigError ? err : new ConfigError(String(err), name));
      out[name] = def.read(undefined, name, warn);
    }
  }
  return { params: out as InferParams<D>, given: given as ReadonlySet<keyof D & string>, errors, warnings };
};

// A value shown in a message: quoted, control characters escaped, long values cut.
export const quote = (v: string): string => {
  const cut = v.length > 80 ? `${v.slice(0, 77)}...` : v;
  return JSON.stringify(cut);
};
