import { topOf, type Cib, type CibClone, type CibPrimitive } from './cib';
import type { Finding } from './finding';

// DRBD-specific rules: notify on the promotable clone, one monitor per role with distinct intervals, and the
// order/colocation that ties what sits on DRBD to the Promoted instance.

const PROMOTED = new Set(['Promoted', 'Master']);
const UNPROMOTED = new Set(['Unpromoted', 'Slave']);
const TRUE = new Set(['true', 'yes', '1', 'on', 'y']);

// Whether a primitive is a DRBD agent (ocf:linbit:drbd or ocf:hakit:drbd).
export const isDrbd = (p: CibPrimitive): boolean => p.cls === 'ocf' && p.type === 'drbd' && (p.provider === 'linbit' || p.provider === 'hakit');

// Promotable clones whose child is a DRBD primitive.
export const drbdClones = (cib: Cib): { clone: CibClone; drbd: CibPrimitive }[] =>
  cib.clones.flatMap((clone) => {
    const drbd = cib.primitives.find((p) => p.parent === clone.id && isDrbd(p));
    return drbd ? [{ clone, drbd }] : [];
  });

const kindOf = (c: CibClone) => (c.legacyMaster ? 'ms' : 'clone');

// DRBD clones without notify=true, or not promotable.
export const checkDrbdNotify = (cib: Cib): Finding[] =>
  drbdClones(cib).flatMap(({ clone }) => {
    const out: Finding[] = [];
    if (!TRUE.has((clone.meta.get('notify') ?? '').toLowerCase())) {
      out.push({ rule: 'drbd-notify', severity: 'error', element: `${kindOf(clone)} ${clone.id}`, line: clone.line,
        message: 'the DRBD clone does not have notify=true: the drbd agent refuses to start ("you really should enable notify", rc 6) and misses the peer reconnects',
        fix: `add meta notify=true to ${clone.id}` });
    }
    if (!clone.promotable) {
      out.push({ rule: 'drbd-promotable', severity: 'error', element: `clone ${clone.id}`, line: clone.line,
        message: 'DRBD is cloned but not promotable: nothing ever becomes Primary', fix: `add meta promotable=true to ${clone.id}` });
    }
    return out;
  });

// DRBD primitives without one recurring monitor per role, or with equal intervals.
export const checkDrbdMonitors = (cib: Cib): Finding[] =>
  drbdClones(cib).flatMap(({ drbd }) => {
    const out: Finding[] = [];
    const monitors = drbd.ops.filter((o) => o.name === 'monitor' && o.intervalMs > 0);
    const promoted = monitors.filter((o) => o.role && PROMOTED.has(o.role));
    const unpromoted = monitors.filter((o) => !o.role || UNPROMOTED.has(o.role) || o.role === 'Started');
    const el = `primitive ${drbd.id}`;
    if (!promoted.length) {
      out.push({ rule: 'drbd-monitor-roles', severity: 'error', element: el, line: monitors[0]?.line || drbd.line,
        message: 'no recurring monitor for the Promoted role: a failed Primary is never noticed',
        fix: `op monitor interval=29s timeout=20s role=Promoted (and interval=31s role=Unpromoted) on ${drbd.id}` });
    }
    if (!unpromoted.length) {
      out.push({ rule: 'drbd-monitor-roles', severity: 'error', element: el, line: drbd.line,
        message: 'no recurring monitor for the Unpromoted role', fix: `op monitor interval=31s timeout=20s role=Unpromoted on ${drbd.id}` });
    }
    const seen = new Map<number, string>();
    for (const m of monitors) {
      const prev = seen.get(m.intervalMs);
      if (prev !== undefined) {
        out.push({ rule: 'drbd-monitor-intervals', severity: 'error', element: `op ${m.id}`, line: m.line,
          message: `the ${m.role ?? 'role-less'} and ${prev} monitors share the interval ${m.intervalMs / 1000}s: Pacemaker identifies a recurring operation by name and interval, so one of them is lost`,
          fix: 'give each role its own interval, e.g. 29s for Promoted and 31s for Unpromoted' });
      }
      seen.set(m.intervalMs, m.role ?? 'role-less');
    }
    return out;
  });

const DRBD_DEVICE = /^\/dev\/drbd/;

// Resources that sit on the DRBD clone: constrained against it, or using a /dev/drbd* device.
const dependents = (cib: Cib, cloneId: string): Set<string> => {
  const out = new Set<string>();
  for (const c of cib.colocations) if (c.withRsc === cloneId) out.add(c.rsc);
  for (const p of cib.primitives) {
    const dev = p.params.get('device') ?? p.params.get('path') ?? '';
    if (DRBD_DEVICE.test(dev)) out.add(topOf(cib, p.id));
  }
  out.delete(cloneId);
  return out;
};

// An order chain clone:promote -> X:start -> ... -> dep:start (e.g. DRBD -> dlm -> cluster filesystem).
const chainedOrder = (cib: Cib, cloneId: string, dep: string) => {
  const starts = cib.orders.filter((o) => o.firstAction === 'start' && o.thenAction === 'start' && o.kind === 'Mandatory');
  const seen = new Set<string>();
  let frontier = cib.orders.filter((o) => o.first === cloneId && o.firstAction === 'promote' && o.kind === 'Mandatory').map((o) => o.then);
  while (frontier.length) {
    const next: string[] = [];
    for (const r of frontier) {
      if (seen.has(r)) continue;
      seen.add(r);
      for (const o of starts) if (o.first === r) {
        if (o.then === dep) return { ...o, first: cloneId, firstAction: 'promote' };
        next.push(o.then);
      }
    }
    frontier = next;
  }
  return undefined;
};

// What sits on DRBD without a colocation with the Promoted role or an order after the promote.
export const checkDrbdConstraints = (cib: Cib): Finding[] =>
  drbdClones(cib).flatMap(({ clone }) => {
    const out: Finding[] = [];
    for (const dep of dependents(cib, clone.id)) {
      const depLine = cib.groups.find((g) => g.id === dep)?.line ?? cib.clones.find((c) => c.id === dep)?.line
        ?? cib.primitives.find((p) => p.id === dep)?.line ?? 0;
      const col = cib.colocations.find((c) => c.rsc === dep && c.withRsc === clone.id);
      if (!col) {
        out.push({ rule: 'drbd-colocation', severity: 'error', element: `${dep}`, line: depLine,
          message: `${dep} uses the DRBD device but is not colocated with the Promoted instance of ${clone.id}`,
          fix: `colocation col_${dep}_on_drbd inf: ${dep} ${clone.id}:Promoted` });
      } else if (!col.withRole || !PROMOTED.has(col.withRole)) {
        out.push({ rule: 'drbd-colocation', severity: 'error', element: `rsc_colocation ${col.id}`, line: col.line,
          message: `${dep} is colocated with ${clone.id} in any role, so it may run where DRBD is Secondary`,
          fix: `colocation ${col.id} inf: ${dep} ${clone.id}:Promoted` });
      } else if (!/^(\+?INFINITY|inf)$/i.test(col.score)) {
        out.push({ rule: 'drbd-colocation', severity: 'error', element: `rsc_colocation ${col.id}`, line: col.line,
          message: `the colocation score ${col.score} is not mandatory`, fix: `score INFINITY on ${col.id}` });
      }
      const ord = cib.orders.find((o) => o.first === clone.id && o.then === dep) ?? chainedOrder(cib, clone.id, dep);
      if (!ord) {
        out.push({ rule: 'drbd-order', severity: 'error', element: `${dep}`, line: depLine,
          message: `${dep} is not ordered after the promote of ${clone.id}: it may start before DRBD is Primary`,
          fix: `order ord_drbd_then_${dep} Mandatory: ${clone.id}:promote ${dep}:start` });
      } else if (ord.firstAction !== 'promote' || ord.thenAction !== 'start') {
        out.push({ rule: 'drbd-order', severity: 'error', element: `rsc_order ${ord.id}`, line: ord.line,
          message: `${dep} is ordered after ${clone.id}:${ord.firstAction}, not after its promote`,
          fix: `order ${ord.id} Mandatory: ${clone.id}:promote ${dep}:start` });
      } else if (ord.kind !== 'Mandatory') {
        out.push({ rule: 'drbd-order', severity: 'error', element: `rsc_order ${ord.id}`, line: ord.line,
          message: `the order is ${ord.kind}, not Mandatory`, fix: `kind=Mandatory on ${ord.id}` });
      }
    }
    return out;
  });
