import { XMLParser } from 'fast-xml-parser';

// Pure parser of `crm_mon --output-as=xml` (pacemaker 2.1): nodes, resources (flattened out of groups and
// clones), failed actions.

export interface MonNode { name: string; online: boolean; standby: boolean; unclean: boolean; }
export interface MonResource {
  id: string; agent: string; role: string; active: boolean; failed: boolean; nodes: string[];
  group?: string; clone?: string;
}
export interface MonFailure { opKey: string; node: string; exitReason: string; rc: string; lastRcChange: string; }
export interface MonState {
  dc: string | undefined;
  quorum: boolean;
  nodes: MonNode[];
  resources: MonResource[];
  failures: MonFailure[];
}

type X = Record<string, any>;
const arr = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const yes = (v: unknown): boolean => v === 'true' || v === true;

const resource = (r: X, group?: string, clone?: string): MonResource => ({
  id: String(r['@id']),
  agent: String(r['@resource_agent'] ?? ''),
  role: String(r['@role'] ?? ''),
  active: yes(r['@active']),
  failed: yes(r['@failed']),
  nodes: arr<X>(r.node).map((n) => String(n['@name'])),
  ...(group ? { group } : {}),
  ...(clone ? { clone } : {}),
});

const resources = (x: X | undefined): MonResource[] => {
  if (!x) return [];
  const out: MonResource[] = arr<X>(x.resource).map((r) => resource(r));
  for (const g of arr<X>(x.group)) out.push(...arr<X>(g.resource).map((r) => resource(r, String(g['@id']))));
  for (const c of arr<X>(x.clone)) {
    out.push(...arr<X>(c.resource).map((r) => resource(r, undefined, String(c['@id']))));
    for (const g of arr<X>(c.group)) out.push(...arr<X>(g.resource).map((r) => resource(r, String(g['@id']), String(c['@id']))));
  }
  return out;
};

// Parses crm_mon's XML output.
export const parseCrmMon = (xml: string): MonState => {
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(xml) as X;
  const root: X = doc['pacemaker-result'] ?? doc.crm_mon ?? {};
  const dc: X | undefined = root.summary?.current_dc;
  return {
    dc: dc && yes(dc['@present']) ? String(dc['@name']) : undefined,
    quorum: dc ? yes(dc['@with_quorum']) : false,
    nodes: arr<X>(root.nodes?.node).map((n) => ({
      name: String(n['@name']), online: yes(n['@online']), standby: yes(n['@standby']), unclean: yes(n['@unclean']),
    })),
    resources: resources(root.resources),
    failures: arr<X>(root.failures?.failure).map((f) => ({
      opKey: String(f['@op_key'] ?? ''), node: String(f['@node'] ?? ''), exitReason: String(f['@exitreason'] ?? ''),
      rc: String(f['@exitstatus'] ?? f['@rc'] ?? ''), lastRcChange: String(f['@last-rc-change'] ?? ''),
    })),
  };
};

// The node where a resource runs (its first active instance with the wanted role), if any.
export const whereRuns = (s: MonState, id: string, role?: string): string | undefined =>
  s.resources.find((r) => (r.id === id || r.id.startsWith(`${id}:`)) && r.active && !r.failed && (!role || r.role === role) && r.nodes.length)?.nodes[0];
