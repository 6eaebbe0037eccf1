import type { MonState } from './crm-mon';
import { nodeRun } from './node';
import type { LabLayout, LabNode } from './layout';

// Which resources make up the served web stack, read from crm_mon (works for any template with an apache).

export interface Service {
  apache: string; // the apache primitive
  unit: string; // what moves as one: its group, or itself
  members: string[]; // the unit's primitives
  filesystem?: string; // a Filesystem primitive (the data lives there)
  drbd?: string; // the drbd primitive (in a promotable clone)
}

// Finds the web service in the cluster's state; throws when the configuration has no apache.
export const findService = (s: MonState): Service => {
  const apache = s.resources.find((r) => /:apache$/.test(r.agent));
  if (!apache) throw new Error('the lab configuration has no apache resource: failover scenarios need the web stack (template web or ip-apache)');
  const unit = apache.group ?? apache.id;
  const members = apache.group ? [...new Set(s.resources.filter((r) => r.group === apache.group).map((r) => r.id))] : [apache.id];
  const fs = s.resources.find((r) => /:Filesystem$/.test(r.agent));
  const drbd = s.resources.find((r) => /:drbd$/.test(r.agent));
  return { apache: apache.id, unit, members, ...(fs ? { filesystem: fs.id } : {}), ...(drbd ? { drbd: drbd.id.replace(/:\d+$/, '') } : {}) };
};

// The node the service runs on (where its apache is started).
export const serviceNode = (s: MonState, svc: Service): string | undefined =>
  s.resources.find((r) => r.id === svc.apache && r.active && !r.failed && r.role === 'Started')?.nodes[0];

// The node where the DRBD resource is promoted, if any.
export const drbdPromotedOn = (s: MonState, svc: Service): string | undefined =>
  svc.drbd ? s.resources.find((r) => r.id.replace(/:\d+$/, '') === svc.drbd && r.role === 'Promoted' && r.active)?.nodes[0] : undefined;

// A resource parameter from the CIB (crm_resource -g), read through a node.
export const resourceParam = (layout: LabLayout, via: LabNode, rsc: string, param: string): string | undefined => {
  const r = nodeRun(layout, via, ['crm_resource', '--resource', rsc, '--get-parameter', param, '--quiet']);
  return r.code === 0 && r.stdout.trim() ? r.stdout.trim().split('\n').pop() : undefined;
};
