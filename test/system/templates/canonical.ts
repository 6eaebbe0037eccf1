import { intervalMs, parseCib, type Cib } from '../../../src/doctor/cib';

// A CIB configuration reduced to what it means (ids of nvpairs/ops, attribute order, legacy spellings dropped),
// so that the crm, crm-ms, pcs and XML forms of a template can be compared after loading.

const ROLE: Record<string, string> = { Master: 'Promoted', Slave: 'Unpromoted' };
const META: Record<string, string> = { 'master-max': 'promoted-max', 'master-node-max': 'promoted-node-max' };
const sorted = (m: ReadonlyMap<string, string>, rename: Record<string, string> = {}) =>
  [...m].map(([k, v]) => [rename[k] ?? k, v]).filter(([k]) => k !== 'promotable').sort((a, b) => a[0]!.localeCompare(b[0]!));
const byId = <T extends { id: string }>(xs: T[]): T[] => xs.sort((a, b) => a.id.localeCompare(b.id));
const score = (s: string | undefined) => (s === undefined ? s : s.replace(/^\+?(inf|INFINITY)$/i, 'INFINITY').replace(/^-(inf|INFINITY)$/i, '-INFINITY'));

export const canonical = (cib: Cib, withNodes = true) => ({
  nodes: withNodes ? [...cib.nodes].sort() : [],
  properties: sorted(cib.properties),
  rscDefaults: sorted(cib.rscDefaults),
  primitives: [...cib.primitives].sort((a, b) => a.id.localeCompare(b.id)).map((p) => ({
    id: p.id, agent: `${p.cls}:${p.provider ?? ''}:${p.type}`, parent: p.parent, params: sorted(p.params), meta: sorted(p.meta),
    ops: p.ops.map((o) => [o.name, o.intervalMs, intervalMs(o.timeout), o.role ? ROLE[o.role] ?? o.role : '']).sort((a, b) => String(a).localeCompare(String(b))),
  })),
  groups: byId(cib.groups.map((g) => ({ id: g.id, members: g.members }))),
  clones: byId(cib.clones.map((c) => ({ id: c.id, child: c.child, promotable: c.promotable, meta: sorted(c.meta, META) }))),
  colocations: byId(cib.colocations.map((c) => ({ id: c.id, rsc: c.rsc, with: c.withRsc, role: c.withRole ? ROLE[c.withRole] ?? c.withRole : undefined, score: score(c.score),
    rscRole: c.rscRole === 'Started' ? undefined : c.rscRole }))),
  orders: byId(cib.orders.map((o) => ({ id: o.id, first: `${o.first}:${o.firstAction}`, then: `${o.then}:${o.thenAction}`, kind: o.kind }))),
  locations: byId(cib.locations.map((l) => ({ id: l.id, rsc: l.rsc, node: l.node, score: score(l.score) }))),
});

export const canonicalXml = (xml: string, withNodes = true) => canonical(parseCib(xml), withNodes);
