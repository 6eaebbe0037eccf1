import { XMLParser } from 'fast-xml-parser';

// The defects of ocf:linbit:drbd's meta-data that make it invalid OCF (LINBIT/drbd-utils#18, pcs#441: pcs refuses
// to create the resource without --force): parameters without shortdesc, actions without timeout, Master/Slave
// roles, timeouts without a unit, a boolean parameter with a non-boolean default.

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => ['parameter', 'action', 'shortdesc'].includes(n) });
type X = Record<string, any>;

const BOOL = /^(true|false|yes|no|1|0|on|off)$/i;

// Lists the defects found in an agent's meta-data XML (empty = none of the known ones).
export const metadataDefects = (xml: string): string[] => {
  const doc = parser.parse(xml) as X;
  const ra = doc['resource-agent'] as X | undefined;
  if (!ra) return ['no <resource-agent> element'];
  const out: string[] = [];
  for (const p of (ra.parameters?.parameter ?? []) as X[]) {
    const sd = (p.shortdesc ?? []) as X[];
    const text = sd.map((s) => (typeof s === 'string' ? s : s['#text'] ?? '')).join('').trim();
    if (!sd.length) out.push(`parameter ${p.name} has no <shortdesc>`);
    else if (!text) out.push(`parameter ${p.name} has an empty <shortdesc>`);
    const c = p.content as X | undefined;
    if (c?.type === 'boolean' && c.default !== undefined && !BOOL.test(String(c.default))) {
      out.push(`parameter ${p.name} is typed boolean with default "${c.default}"`);
    }
  }
  for (const a of (ra.actions?.action ?? []) as X[]) {
    if (a.timeout === undefined) out.push(`action ${a.name} has no timeout`);
    else if (/^\d+$/.test(String(a.timeout))) out.push(`action ${a.name} timeout "${a.timeout}" has no unit`);
    if (a.role === 'Master' || a.role === 'Slave') out.push(`action ${a.name} uses role ${a.role} (OCF 1.1: Promoted/Unpromoted)`);
  }
  return out;
};
