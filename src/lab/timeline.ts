import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMembership, parseOpEvents, parseSchedulerEvents, type OpEvent, type SchedulerEvent } from './log-events';
import type { PollSample } from './poller';
import type { LabLayout } from './layout';
import type { Service } from './service';

// A failover's timeline: failure injected → detected → stopped → promoted → started → serving again, in ms from
// the injection, read from every node's pacemaker/corosync logs and from the HTTP poller on the floating IP.

export interface TimelineEvent { label: 'injected' | 'detected' | 'stopped' | 'promoted' | 'started' | 'serving again'; ms: number; node?: string; detail: string; }
export interface Outage { firstFailMs: number | undefined; servingMs: number | undefined; failedSamples: number; }

const readLogs = (layout: LabLayout, rel: string): string =>
  layout.nodes.map((n) => join(n.dir, rel)).filter(existsSync).map((f) => readFileSync(f, 'utf8')).join('\n');

// The outage as the poller saw it: the first failed request after t0 and the first success after the last failure.
export const outageFrom = (samples: readonly PollSample[], t0: number): Outage => {
  const after = samples.filter((s) => s.t >= t0);
  const fails = after.filter((s) => !s.ok);
  if (!fails.length) {
    const firstOk = after.find((s) => s.ok);
    return { firstFailMs: undefined, servingMs: firstOk ? 0 : undefined, failedSamples: 0 };
  }
  const lastFail = fails[fails.length - 1]!;
  const back = after.find((s) => s.ok && s.t > lastFail.t);
  return { firstFailMs: fails[0]!.t - t0, servingMs: back ? back.t + back.ms - t0 : undefined, failedSamples: fails.length };
};

const uniq = (ev: OpEvent[]): OpEvent[] => {
  const seen = new Set<string>();
  return ev.filter((e) => { const k = `${e.t}|${e.op}|${e.rsc}|${e.onNode}`; if (seen.has(k)) return false; seen.add(k); return true; })
    .sort((a, b) => a.t - b.t);
};

// Time the controller on `node` sat in S_POLICY_ENGINE before the scheduler ran, between t0 and t0 + untilMs, counted
// only for waits of 0.9 s or more: pacemaker-controld's fixed 1 s sleep when its CIB query returns while its own CIB
// updates are still on their way round the cluster ("Re-asking for the CIB: N other peer updates still pending",
// a debug message). It hits after any node loss, whatever the resources, so the DRBD comparison reports it apart.
export const schedulerPauseMs = (layout: LabLayout, node: string, t0: number, untilMs: number): number =>
  pauseFromEvents(parseSchedulerEvents(readLogs(layout, 'var-log-pacemaker/pacemaker.log'), t0), node, t0, untilMs);

// The same from parsed events (pure).
export const pauseFromEvents = (all: readonly SchedulerEvent[], node: string, t0: number, untilMs: number): number => {
  const ev = all.filter((e) => e.node === node && e.t >= t0 && e.t <= t0 + untilMs);
  let total = 0;
  ev.forEach((e, i) => {
    if (e.what !== 'policy-engine') return;
    const next = ev.slice(i + 1).find((x) => x.what === 'calculated');
    if (next && next.t - e.t >= 900 && !ev.slice(i + 1).some((x) => x.what === 'policy-engine' && x.t < next.t)) total += next.t - e.t;
  });
  return total;
};

// Builds the timeline of one failover from the logs (from t0 on) and the poller's samples.
export const buildTimeline = (o: { layout: LabLayout; svc: Service; t0: number; from: string; to: string; scenario: string; injected: string; samples: readonly PollSample[] }): TimelineEvent[] => {
  const { t0, svc, from, to } = o;
  const ops = uniq(parseOpEvents(readLogs(o.layout, 'var-log-pacemaker/pacemaker.log'), t0).filter((e) => e.t >= t0 - 50));
  const ev: TimelineEvent[] = [{ label: 'injected', ms: 0, node: from, detail: o.injected }];
  const base = (r: string) => r.replace(/:\d+$/, '');
  if (o.scenario === 'apache-kill') {
    const d = ops.find((e) => e.op === 'monitor' && base(e.rsc) === svc.apache && e.rc !== 0 && e.rc !== -1 && e.onNode === from);
    if (d) ev.push({ label: 'detected', ms: d.t - t0, node: from, detail: `${d.rsc} monitor: ${d.result}` });
  } else if (o.scenario === 'node-crash' || o.scenario === 'link-cut') {
    const mem = parseMembership(readLogs(o.layout, 'var-log-corosync/corosync.log'), t0).filter((e) => e.t >= t0 && e.node !== from);
    const d = mem.find((e) => e.what === 'failed') ?? mem.find((e) => e.what === 'members');
    if (d) ev.push({ label: 'detected', ms: d.t - t0, node: d.node, detail: d.what === 'failed' ? 'corosync: token lost' : `corosync: members ${d.members.join(' ')}` });
  }
  const stops = ops.filter((e) => e.op === 'stop' && e.onNode === from && svc.members.includes(base(e.rsc)) && e.rc === 0);
  if (stops.length) ev.push({ label: 'stopped', ms: stops[stops.length - 1]!.t - t0, node: from, detail: `${stops.map((e) => e.rsc).join(', ')} stopped` });
  const prom = ops.find((e) => e.op === 'promote' && e.onNode === to && e.rc === 0);
  if (prom) ev.push({ label: 'promoted', ms: prom.t - t0, node: to, detail: `${prom.rsc} promoted` });
  const starts = ops.filter((e) => e.op === 'start' && e.onNode === to && svc.members.includes(base(e.rsc)) && e.rc === 0);
  if (starts.length) ev.push({ label: 'started', ms: starts[starts.length - 1]!.t - t0, node: to, detail: `${starts.map((e) => e.rsc).join(', ')} started` });
  const out = outageFrom(o.samples, t0);
  if (out.servingMs !== undefined) ev.push({ label: 'serving again', ms: out.servingMs, node: to, detail: `HTTP 200 on the floating IP (${out.failedSamples} failed requests before)` });
  return ev.sort((a, b) => a.ms - b.ms);
};
