import { agentName, type ClusterConfig, type Op, type Pairs, type Role } from './model';

// crmsh syntax in two forms: `clone … meta promotable=true` with Promoted/Unpromoted roles (crmsh ≥ 4.4 on
// Pacemaker ≥ 2.1, the only form Pacemaker 3 accepts) and `ms` with Master/Slave (crmsh 4.x clusters).

export type CrmForm = 'crm' | 'crm-ms';

const LEGACY_ROLE: Record<Role, string> = { Promoted: 'Master', Unpromoted: 'Slave' };
const LEGACY_META: Record<string, string> = { 'promoted-max': 'master-max', 'promoted-node-max': 'master-node-max' };

// Values are checked against strict character sets before they get here; quoting keeps them single tokens.
const kv = ([k, v]: readonly [string, string]) => (/^[A-Za-z0-9_.:/@+-]+$/.test(v) ? `${k}=${v}` : `${k}="${v}"`);
const pairs = (ps: Pairs) => ps.map(kv).join(' ');
const role = (r: Role, form: CrmForm) => (form === 'crm-ms' ? LEGACY_ROLE[r] : r);

const opLine = (o: Op, form: CrmForm) =>
  `op ${o.name} interval=${o.interval}s timeout=${o.timeout}s${o.role ? ` role=${role(o.role, form)}` : ''}`;

// The configuration as a `crm configure` script (load with `crm -f FILE configure` or paste into `crm configure`).
export const renderCrm = (c: ClusterConfig, form: CrmForm): string => {
  const out: string[] = [];
  for (const n of c.nodes) out.push(`node ${n}`);
  for (const p of c.primitives) {
    const lines = [`primitive ${p.id} ${agentName(p.agent)}`];
    if (p.params.length) lines.push(`params ${pairs(p.params)}`);
    for (const o of p.ops) lines.push(opLine(o, form));
    if (p.meta?.length) lines.push(`meta ${pairs(p.meta)}`);
    out.push(lines.join(' \\\n\t'));
  }
  for (const g of c.groups) out.push(`group ${g.id} ${g.members.join(' ')}`);
  for (const cl of c.clones) {
    if (cl.promotable && form === 'crm-ms') {
      const meta = cl.meta.map(([k, v]) => [LEGACY_META[k] ?? k, v] as const);
      out.push(`ms ${cl.id} ${cl.child} \\\n\tmeta ${pairs(meta)}`);
    } else {
      const meta: Pairs = cl.promotable ? [['promotable', 'true'], ...cl.meta] : cl.meta;
      out.push(`clone ${cl.id} ${cl.child} \\\n\tmeta ${pairs(meta)}`);
    }
  }
  for (const l of c.locations) out.push(`location ${l.id} ${l.rsc} -inf: ${l.node}`);
  for (const co of c.colocations) {
    out.push(`colocation ${co.id} inf: ${co.rsc} ${co.withRsc}${co.withRole ? `:${role(co.withRole, form)}` : ''}`);
  }
  for (const o of c.orders) out.push(`order ${o.id} Mandatory: ${o.first}:${o.firstAction} ${o.then}:${o.thenAction}`);
  if (c.properties.length) out.push(`property cib-bootstrap-options: \\\n\t${pairs(c.properties)}`);
  if (c.rscDefaults.length) out.push(`rsc_defaults rsc-options: \\\n\t${pairs(c.rscDefaults)}`);
  return `${out.join('\n')}\n`;
};
