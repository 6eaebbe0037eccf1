import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { restartNode } from './actions';
import { monitor } from './cluster';
import type { MonState } from './crm-mon';
import { findNode, type LabLayout, type LabNode } from './layout';
import { setCable } from './network';
import { killNode, nodeRun } from './node';
import { getFromSwitch, startPoller } from './poll-client';
import { sleep, waitFor } from './proc';
import type { Progress } from './progress';
import { drbdPromotedOn, findService, resourceParam, serviceNode, type Service } from './service';
import { buildTimeline, outageFrom, schedulerPauseMs, type TimelineEvent } from './timeline';
import { allStarted, liveNode, stackReady } from './wait';

// One failover scenario on a running lab: check data in, inject the failure, watch the takeover, check data out,
// bring the failed node back and leave the cluster clean.

export const SCENARIOS = ['apache-kill', 'node-crash', 'link-cut', 'move'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface FailoverResult {
  scenario: Scenario; provider: string; nodes: number; from: string; to: string; injectedAt: string;
  timeline: TimelineEvent[];
  servingMs: number | undefined;
  schedulerPauseMs?: number; // Pacemaker's 1 s re-query sleep(s) on the new node before serving again (timeline.ts)
  data: { file?: string; written: boolean; readBack: boolean; overHttp: boolean };
  page: { ok: boolean; body: string };
  drbdPromotedOn: string | undefined;
  rejoinedMs: number | undefined;
  clean: boolean;
  failuresAfterCleanup: string[];
}

const DATA_FILE = 'hkl-data-check.txt';

// Waits (up to 15 s) for the apache monitor's next status-URL request in the node's access log, so that the kill
// lands just after a monitor: detection then takes one monitor interval for every run and every provider alike,
// instead of a random part of it.
const afterMonitor = async (node: LabNode): Promise<void> => {
  const log = join(node.dir, 'var-log-apache2', 'access.log');
  const size = () => { try { return statSync(log).size; } catch { return 0; } };
  const start = size();
  const end = Date.now() + 15_000;
  while (Date.now() < end) {
    const now = size();
    if (now > start) {
      const fd = openSync(log, 'r');
      const buf = Buffer.alloc(now - start);
      readSync(fd, buf, 0, buf.length, start);
      closeSync(fd);
      if (buf.toString('utf8').includes('server-status')) return;
    }
    await sleep(20);
  }
};

const inject = async (layout: LabLayout, sc: Scenario, from: LabNode, svc: Service, to: string | undefined): Promise<string> => {
  switch (sc) {
    case 'apache-kill': {
      // apache's main process: from its pid file (Debian's APACHE_PID_FILE), else the oldest apache2 of the node
      let pid = '';
      try { pid = readFileSync(join(from.dir, 'run', 'apache2', 'apache2.pid'), 'utf8').trim(); } catch { /* none */ }
      const r = /^\d+$/.test(pid) ? nodeRun(layout, from, ['kill', '-KILL', pid]) : { code: 1 };
      if (r.code !== 0 && nodeRun(layout, from, ['pkill', '--signal', 'KILL', '--oldest', '--exact', 'apache2']).code !== 0) {
        throw new Error(`no apache2 process to kill on ${from.name}`);
      }
      return `kill -9 of apache's main process on ${from.name}`;
    }
    case 'node-crash':
      await killNode(from);
      return `${from.name} powered off`;
    case 'link-cut':
      setCable(layout, from, false);
      return `${from.name}'s cable cut at the switch`;
    case 'move': {
      const via = liveNode(layout)!;
      const r = nodeRun(layout, via, ['crm_resource', '--move', '--resource', svc.unit, '--node', to!]);
      if (r.code !== 0) throw new Error(`crm_resource --move failed: ${r.stderr.trim()}`);
      return `crm_resource --move ${svc.unit} to ${to}`;
    }
  }
};

const writeData = (layout: LabLayout, node: LabNode, dir: string, token: string): boolean =>
  nodeRun(layout, node, ['tee', `${dir}/${DATA_FILE}`], { input: `${token}\n` }).code === 0 && nodeRun(layout, node, ['sync']).code === 0;

// Waits until DRBD is connected and UpToDate on both sides, as seen from each DRBD node (a failover test starts
// from a synchronised pair, not in the middle of a resync), then lets the metadata settle.
const drbdInSync = async (layout: LabLayout, nodes: LabNode[], res: string): Promise<void> => {
  await waitFor(`DRBD ${res} in sync`, () => nodes.every((n) => {
    const d = nodeRun(layout, n, ['drbdadm', 'dstate', res]).stdout.trim();
    const c = nodeRun(layout, n, ['drbdadm', 'cstate', res]).stdout.trim();
    return d === 'UpToDate/UpToDate' && c === 'Connected';
  }) ? true : undefined, 120_000, 250);
  await sleep(500);
};

// Waits until the cluster is idle (no transition pending: crm_resource --wait), so that a failure is never injected
// while Pacemaker is still moving things.
const settle = (layout: LabLayout): void => {
  nodeRun(layout, liveNode(layout)!, ['crm_resource', '--wait', '--timeout', '120s'], { timeoutMs: 130_000 });
};

// Runs one scenario; `p` gets progress lines.
export const runFailover = async (layout: LabLayout, sc: Scenario, provider: string, p: Progress): Promise<FailoverResult> => {
  await stackReady(layout, undefined, 120_000);
  settle(layout);
  const s0 = await stackReady(layout, undefined, 120_000);
  const svc = findService(s0);
  const fromName = serviceNode(s0, svc)!;
  const from = findNode(layout, fromName);
  const others = layout.nodes.filter((n) => n.name !== fromName);
  const moveTo = sc === 'move' ? others[0]!.name : undefined;
  if (svc.drbd) await drbdInSync(layout, layout.nodes.filter((n) => nodeRun(layout, n, ['drbdadm', 'role', 'all']).code === 0), resourceParam(layout, from, svc.drbd, 'drbd_resource') ?? 'r0');
  // the data check needs replicated storage (not the local disks of --compare-drbd stateful)
  const dir = svc.filesystem && svc.drbd ? resourceParam(layout, from, svc.filesystem, 'directory') : undefined;
  const token = randomBytes(12).toString('hex');
  const written = dir ? writeData(layout, from, dir, token) : false;
  const poller = startPoller(layout, '/');
  await waitFor('the page on the floating IP', () => (poller.samples.filter((x) => x.ok).length >= 3 ? true : undefined), 20_000, 50);
  if (sc === 'apache-kill') await afterMonitor(from);
  const t0 = Date.now();
  const injected = await inject(layout, sc, from, svc, moveTo);
  p(`${sc}: ${injected}`);
  let s: MonState | undefined;
  await waitFor('the service on another node', () => {
    const via = liveNode(layout, sc === 'apache-kill' || sc === 'move' ? [] : [fromName]);
    s = via && monitor(layout, via);
    const on = s && serviceNode(s, svc);
    const serving = outageFrom(poller.samples, t0).servingMs !== undefined;
    return s && on && on !== fromName && allStarted(s) && serving ? true : undefined;
  }, 120_000, 200);
  await sleep(300);
  const samples = await poller.stop();
  const to = serviceNode(s!, svc)!;
  const timeline = buildTimeline({ layout, svc, t0, from: fromName, to, scenario: sc, injected, samples });
  const servingMs = timeline.find((e) => e.label === 'serving again')?.ms;
  const pauseMs = servingMs === undefined ? 0 : schedulerPauseMs(layout, to, t0, servingMs);
  p(`${sc}: serving again from ${to} after ${servingMs === undefined ? '?' : (servingMs / 1000).toFixed(2)} s`);
  const toNode = findNode(layout, to);
  const readBack = dir ? nodeRun(layout, toNode, ['cat', `${dir}/${DATA_FILE}`]).stdout.trim() === token : false;
  const overHttp = dir ? getFromSwitch(layout, `/${DATA_FILE}`).body.trim() === token : false;
  const page = getFromSwitch(layout, '/');
  const promoted = drbdPromotedOn(s!, svc);
  let rejoinedMs: number | undefined;
  if (sc === 'node-crash') rejoinedMs = await restartNode(layout, from);
  if (sc === 'link-cut') {
    // No fencing device: the lab does what fencing would, a power cycle of the cut node, then plugs it back in.
    await killNode(from);
    setCable(layout, from, true);
    rejoinedMs = await restartNode(layout, from);
  }
  if (rejoinedMs !== undefined) p(`${fromName} back online in ${(rejoinedMs / 1000).toFixed(1)} s`);
  const via = liveNode(layout)!;
  if (sc === 'move') nodeRun(layout, via, ['crm_resource', '--clear', '--resource', svc.unit]);
  nodeRun(layout, via, ['crm_resource', '--cleanup']);
  let final: MonState | undefined;
  let clean = true;
  try {
    final = await waitFor('a clean cluster', () => {
      const m = monitor(layout, via);
      const ok = m && allStarted(m, true) && !m.failures.length && m.nodes.every((n) => n.online);
      return ok ? m : undefined;
    }, 60_000, 300);
  } catch {
    clean = false;
    final = monitor(layout, via);
  }
  return {
    scenario: sc, provider, nodes: layout.nodes.length, from: fromName, to, injectedAt: new Date(t0).toISOString(), timeline, servingMs, schedulerPauseMs: pauseMs,
    data: { ...(dir ? { file: `${dir}/${DATA_FILE}` } : {}), written, readBack, overHttp },
    page: { ok: page.ok, body: page.body.slice(0, 120) },
    drbdPromotedOn: promoted, rejoinedMs, clean,
    failuresAfterCleanup: (final?.failures ?? []).map((f) => `${f.opKey} on ${f.node}: ${f.exitReason || f.rc}`),
  };
};
