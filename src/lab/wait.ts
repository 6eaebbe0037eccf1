import { monitor } from './cluster';
import type { MonState } from './crm-mon';
import { nodeInitPid } from './node';
import { waitFor } from './proc';
import type { LabLayout, LabNode } from './layout';
import type { Progress } from './progress';

// Waiting for the cluster's resources to settle.

// True when every configured resource is running (each clone on at least one node, a promotable clone promoted
// somewhere) and no resource is failed.
// strict: every clone instance must be active too (a clean cluster, all nodes back).
export const allStarted = (s: MonState, strict = false): boolean => {
  if (!s.dc || !s.resources.length) return false;
  const clones = new Map<string, MonState['resources']>();
  for (const r of s.resources) {
    if (r.clone) clones.set(r.clone, [...(clones.get(r.clone) ?? []), r]);
    else if (!r.active || r.failed || r.role !== 'Started') return false;
  }
  for (const inst of clones.values()) {
    if (inst.some((r) => r.failed) || !inst.some((r) => r.active)) return false;
    if (strict && inst.some((r) => !r.active)) return false;
    const promotable = inst.some((r) => r.role === 'Promoted' || r.role === 'Unpromoted');
    if (promotable && !inst.some((r) => r.role === 'Promoted')) return false;
    if (inst.some((r) => r.role === 'Starting' || r.role === 'Promoting' || r.role === 'Stopping')) return false;
  }
  return true;
};

// A node that is powered on and whose crm_mon answers (to read the cluster's state through).
export const liveNode = (layout: LabLayout, exclude: readonly string[] = []): LabNode | undefined =>
  layout.nodes.find((n) => !exclude.includes(n.name) && nodeInitPid(n));

// Waits until allStarted holds (through any live node) and returns the state.
export const stackReady = async (layout: LabLayout, p: Progress | undefined, timeoutMs: number, exclude: readonly string[] = [], strict = true): Promise<MonState> => {
  let last = '';
  return waitFor('the resources to start', () => {
    const n = liveNode(layout, exclude);
    const s = n && monitor(layout, n);
    if (!s) return undefined;
    const line = s.resources.map((r) => `${r.id}${r.role && r.role !== 'Started' ? `(${r.role})` : ''}@${r.nodes.join('+') || '-'}`).join(' ');
    if (p && line !== last) p(`resources: ${line}`);
    last = line;
    return allStarted(s, strict) && !s.failures.length ? s : undefined;
  }, timeoutMs, 250);
};
