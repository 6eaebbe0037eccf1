import { XMLParser } from 'fast-xml-parser';

// A CIB's configuration, read into plain records for the lint rules (and for comparing configurations).
// Each element keeps its XML line so a finding can point at the line to fix.

export type Attrs = ReadonlyMap<string, string>;

export interface CibOp {
  readonly id: string;
  readonly name: string;
  readonly intervalMs: number;
  readonly timeout: string | undefined;
  readonly role: string | undefined; // as written (Master/Slave or Promoted/Unpromoted)
  readonly line: number;
}

export interface CibPrimitive {
  readonly id: string;
  readonly cls: string;
  readonly provider: string | undefined;
  readonly type: string;
  readonly params: Attrs;
  readonly meta: Attrs;
  readonly ops: readonly CibOp[];
  readonly parent: string | undefined; // group or clone id
  readonly line: number;
}

export interface CibGroup { readonly id: string; readonly members: readonly string[]; readonly parent: string | undefined; readonly line: number }

export interface CibClone {
  readonly id: string;
  readonly child: string;
  readonly promotable: boolean;
  readonly legacyMaster: boolean; // <master> element
  readonly meta: Attrs;
  readonly line: number;
}

export interface CibColocation {
  readonly id: string; readonly rsc: string; readonly withRsc: string; readonly rscRole: string | undefined;
  readonly withRole: string | undefined; readonly score: string; readonly line: number;
}

export interface CibOrder {
  readonly id: string; readonly first: string; readonly firstAction: string; readonly then: string;
  readonly thenAction: string; readonly kind: string; readonly line: number;
}

export interface CibLocation { readonly id: string; readonly rsc: string; readonly node: string | undefined; readonly score: string | undefined; readonly line: number }

export interface Cib {
  readonly text: string;
  readonly validateWith: string | undefined;
  readonly properties: Attrs;
  readonly propertyLines: ReadonlyMap<string, number>;
  readonly rscDefaults: Attrs;
  readonly opDefaults: Attrs;
  readonly nodes: readonly string[];
  readonly primitives: readonly CibPrimitive[];
  readonly groups: readonly CibGroup[];
  readonly clones: readonly CibClone[];
  readonly colocations: readonly CibColocation[];
  readonly orders: readonly CibOrder[];
  readonly locations: readonly CibLocation[];
}

type X = Record<string, any>;
const ARRAYS = new Set(['primitive', 'group', 'clone', 'master', 'nvpair', 'op', 'node', 'rsc_colocation', 'rsc_order',
  'rsc_location', 'cluster_property_set', 'meta_attributes', 'instance_attributes', 'resource_set', 'resource_ref']);
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => ARRAYS.has(n), parseAttributeValue: false });

// Line of the element with this id (1-based), found in the source text; 0 when not found.
const lineOf = (text: string, tag: string, id: string | undefined): number => {
  if (!id) return 0;
  const m = new RegExp(`<${tag}\\b[^>]*\\bid="${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`).exec(text);
  return m ? text.slice(0, m.index).split('\n').length : 0;
};

// Pacemaker interval spellings: 10, 10s, 10000ms, 1min, 1h, PT10S (ISO 8601 is left as NaN).
export const intervalMs = (v: string | undefined): number => {
  if (v === undefined || v === '') return 0;
  const m = /^\s*(\d+)\s*(ms|msec|s|sec|m|min|h|hr)?\s*$/i.exec(v);
  if (!m) return NaN;
  const n = Number(m[1]);
  const unit = (m[2] ?? 's').toLowerCase();
  return n * ({ ms: 1, msec: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000, hr: 3_600_000 } as Record<string, number>)[unit]!;
};

const nvpairs = (sets: X[] | undefined): Map<string, string> => {
  const out = new Map<string, string>();
  for (const s of sets ?? []) for (const nv of (s.nvpair ?? []) as X[]) if (nv.name !== undefined) out.set(String(nv.name), String(nv.value ?? ''));
  return out;
};

// Parses CIB XML text (a whole <cib> or a bare <configuration>).
export const parseCib = (text: string): Cib => {
  const doc = parser.parse(text) as X;
  const cibEl = (doc.cib ?? {}) as X;
  const conf = (doc.cib?.configuration ?? doc.configuration ?? {}) as X;
  const primitives: CibPrimitive[] = [];
  const groups: CibGroup[] = [];
  const clones: CibClone[] = [];
  const prim = (p: X, parent: string | undefined) => {
    const ops = ((p.operations?.op ?? []) as X[]).map((o): CibOp => ({
      id: String(o.id ?? ''), name: String(o.name), intervalMs: intervalMs(o.interval), timeout: o.timeout, role: o.role,
      line: lineOf(text, 'op', o.id),
    }));
    primitives.push({ id: p.id, cls: p.class, provider: p.provider, type: p.type, params: nvpairs(p.instance_attributes),
      meta: nvpairs(p.meta_attributes), ops, parent, line: lineOf(text, 'primitive', p.id) });
  };
  const group = (g: X, parent: string | undefined) => {
    for (const p of (g.primitive ?? []) as X[]) prim(p, g.id);
    groups.push({ id: g.id, members: ((g.primitive ?? []) as X[]).map((p) => p.id), parent, line: lineOf(text, 'group', g.id) });
  };
  const clone = (c: X, legacy: boolean) => {
    const meta = nvpairs(c.meta_attributes);
    const child = (c.primitive?.[0] ?? c.group?.[0]) as X | undefined;
    if (c.primitive) for (const p of c.primitive as X[]) prim(p, c.id);
    if (c.group) for (const g of c.group as X[]) group(g, c.id);
    const promotable = legacy || ['true', 'yes', '1', 'on'].includes((meta.get('promotable') ?? '').toLowerCase());
    clones.push({ id: c.id, child: child?.id ?? '', promotable, legacyMaster: legacy, meta, line: lineOf(text, legacy ? 'master' : 'clone', c.id) });
  };
  const res = (conf.resources ?? {}) as X;
  for (const p of (res.primitive ?? []) as X[]) prim(p, undefined);
  for (const g of (res.group ?? []) as X[]) group(g, undefined);
  for (const c of (res.clone ?? []) as X[]) clone(c, false);
  for (const c of (res.master ?? []) as X[]) clone(c, true);
  const cons = (conf.constraints ?? {}) as X;
  const propertyLines = new Map<string, number>();
  for (const set of (conf.crm_config?.cluster_property_set ?? []) as X[]) {
    for (const nv of (set.nvpair ?? []) as X[]) propertyLines.set(nv.name, lineOf(text, 'nvpair', nv.id));
  }
  return {
    text,
    validateWith: cibEl['validate-with'],
    properties: nvpairs(conf.crm_config?.cluster_property_set),
    propertyLines,
    rscDefaults: nvpairs(conf.rsc_defaults?.meta_attributes),
    opDefaults: nvpairs(conf.op_defaults?.meta_attributes),
    nodes: ((conf.nodes?.node ?? []) as X[]).map((n) => String(n.uname ?? n.id)),
    primitives,
    groups,
    clones,
    colocations: ((cons.rsc_colocation ?? []) as X[]).map((c) => ({
      id: c.id, rsc: c.rsc, withRsc: c['with-rsc'], rscRole: c['rsc-role'], withRole: c['with-rsc-role'], score: String(c.score ?? ''),
      line: lineOf(text, 'rsc_colocation', c.id),
    })),
    orders: ((cons.rsc_order ?? []) as X[]).map((o) => ({
      id: o.id, first: o.first, firstAction: o['first-action'] ?? 'start', then: o.then, thenAction: o['then-action'] ?? o['first-action'] ?? 'start',
      kind: o.kind ?? (o.score === '0' ? 'Optional' : 'Mandatory'), line: lineOf(text, 'rsc_order', o.id),
    })),
    locations: ((cons.rsc_location ?? []) as X[]).map((l) => ({ id: l.id, rsc: l.rsc, node: l.node, score: l.score, line: lineOf(text, 'rsc_location', l.id) })),
  };
};

// The top-level resource a primitive belongs to (itself, its group, or the clone around either).
export const topOf = (cib: Cib, id: string): string => {
  let cur = id;
  for (;;) {
    const parent = cib.primitives.find((p) => p.id === cur)?.parent ?? cib.groups.find((g) => g.id === cur)?.parent;
    if (!parent) return cur;
    cur = parent;
  }
};
