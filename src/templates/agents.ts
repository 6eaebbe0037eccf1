import type { AgentRef, Op, Pairs, Primitive } from './model';

// Agent references and their operations, with the timeouts each agent's meta-data advises (crmsh warns about
// shorter ones). Provider "hakit" uses our agents; "heartbeat" the upstream ones (ocf:linbit:drbd for DRBD),
// with the same parameter names, so the two can be compared on the same cluster.

export type Provider = 'hakit' | 'heartbeat';

// The agent of a given type for the chosen provider.
export const agentFor = (provider: Provider, type: 'drbd' | 'Filesystem' | 'IPaddr2' | 'apache'): AgentRef => {
  if (provider === 'hakit') return { cls: 'ocf', provider: 'hakit', type };
  return { cls: 'ocf', provider: type === 'drbd' ? 'linbit' : 'heartbeat', type };
};

const op = (name: string, timeout: number, interval = 0, role?: Op['role']): Op =>
  role ? { name, interval, timeout, role } : { name, interval, timeout };

// DRBD: one monitor per role with distinct intervals (Pacemaker tells the two apart by interval), notify.
export const drbdOps = (): Op[] => [
  op('monitor', 20, 29, 'Promoted'),
  op('monitor', 20, 31, 'Unpromoted'),
  op('start', 240),
  op('stop', 100),
  op('promote', 90),
  op('demote', 90),
  op('notify', 90),
];

// Filesystem: monitor 20s/40s, start and stop 60s.
export const filesystemOps = (): Op[] => [op('monitor', 40, 20), op('start', 60), op('stop', 60)];
// IPaddr2: monitor 10s/20s, start and stop 20s.
export const ipaddr2Ops = (): Op[] => [op('monitor', 20, 10), op('start', 20), op('stop', 20)];
// apache: monitor 10s/20s, start 40s, stop 60s.
export const apacheOps = (): Op[] => [op('monitor', 20, 10), op('start', 40), op('stop', 60)];
// ocf:pacemaker:controld (dlm): monitor 10s/20s, start 90s, stop 100s.
export const controldOps = (): Op[] => [op('monitor', 20, 10), op('start', 90), op('stop', 100)];
// iSCSITarget / iSCSILogicalUnit: everything 10s.
export const iscsiOps = (): Op[] => [op('monitor', 10, 10), op('start', 10), op('stop', 10)];
// fence devices: monitor every 60s.
export const fenceOps = (): Op[] => [op('monitor', 20, 60)];

// A primitive with only the parameters that have a value (optional template values may be empty).
export const primitive = (id: string, agent: AgentRef, params: Pairs, ops: Op[], meta?: Pairs): Primitive => {
  const set = params.filter(([, v]) => v !== '');
  return meta ? { id, agent, params: set, ops, meta } : { id, agent, params: set, ops };
};
