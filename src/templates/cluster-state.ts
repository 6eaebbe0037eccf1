import { XMLParser } from 'fast-xml-parser';

// Where resources run, read from `crm_mon --output-as=xml` (one entry per active instance).
export interface Placement {
  readonly id: string;
  readonly role: string; // Started, Promoted, Unpromoted, Stopped
  readonly node: string | undefined;
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['resource', 'node', 'group', 'clone'].includes(name) });

type X = Record<string, any>;

const collect = (container: X | undefined, out: Placement[]) => {
  if (!container) return;
  for (const r of (container.resource ?? []) as X[]) {
    const nodes = (r.node ?? []) as X[];
    if (!nodes.length) out.push({ id: r.id, role: r.role, node: undefined });
    for (const n of nodes) out.push({ id: r.id, role: r.role, node: n.name });
  }
  for (const g of (container.group ?? []) as X[]) collect(g, out);
  for (const c of (container.clone ?? []) as X[]) collect(c, out);
};

// Parses crm_mon's XML into placements.
export const parseCrmMonPlacements = (xml: string): Placement[] => {
  const doc = parser.parse(xml) as X;
  const out: Placement[] = [];
  collect(doc['pacemaker-result']?.resources, out);
  return out;
};
