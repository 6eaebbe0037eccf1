import { monitor } from './cluster';
import type { MonState } from './crm-mon';
import { cableUp } from './network';
import { nodeInitPid } from './node';
import type { LabLayout } from './layout';
import type { LabState } from './state';
import { liveNode } from './wait';

// `hakit lab status`: the nodes and resources as tables.

export interface NodeRow { node: string; ip: string; power: string; cable: string; cluster: string; }
export interface LabStatus { nodes: NodeRow[]; mon: MonState | undefined; via: string | undefined; }

// Collects the lab's status (power and cable from the host, cluster state from crm_mon on a live node).
export const labStatus = (layout: LabLayout): LabStatus => {
  const via = liveNode(layout);
  const mon = via ? monitor(layout, via) : undefined;
  return {
    via: via?.name,
    mon,
    nodes: layout.nodes.map((n) => {
      const pid = nodeInitPid(n);
      const m = mon?.nodes.find((x) => x.name === n.name);
      const cluster = !m ? '-' : `${m.online ? 'online' : 'OFFLINE'}${m.unclean ? ' unclean' : ''}${m.standby ? ' standby' : ''}${mon?.dc === n.name ? ' (DC)' : ''}`;
      return { node: n.name, ip: n.ip, power: pid ? `on (pid ${pid})` : 'off', cable: cableUp(layout, n) ? 'plugged' : 'CUT', cluster };
    }),
  };
};

// Formats rows as an aligned text table with a header.
export const table = (header: readonly string[], rows: readonly (readonly string[])[]): string => {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => r.map((c, i) => c.padEnd(w[i]!)).join('  ').trimEnd();
  return [line(header), line(w.map((x) => '-'.repeat(x))), ...rows.map(line)].join('\n');
};

// The status as text.
export const formatStatus = (st: LabStatus, state: LabState): string => {
  const out = [`lab: ${state.nodes} nodes, template ${state.template}, provider ${state.provider}, up since ${state.createdAt}`, ''];
  out.push(table(['NODE', 'ADDRESS', 'POWER', 'CABLE', 'CLUSTER'], st.nodes.map((n) => [n.node, n.ip, n.power, n.cable, n.cluster])));
  out.push('');
  if (!st.mon) {
    out.push('cluster: no answer from crm_mon on any powered node');
    return out.join('\n');
  }
  out.push(`cluster (seen from ${st.via}): DC ${st.mon.dc ?? 'none'}, quorum ${st.mon.quorum ? 'yes' : 'NO'}`);
  out.push('');
  out.push(table(['RESOURCE', 'AGENT', 'ROLE', 'NODE', 'GROUP/CLONE'], st.mon.resources.map((r) => [
    r.id, r.agent, `${r.role}${r.failed ? ' FAILED' : ''}`, r.nodes.join(',') || '-', r.group ?? r.clone ?? '-'])));
  if (st.mon.failures.length) {
    out.push('', 'failed actions:');
    for (const f of st.mon.failures) out.push(`  ${f.opKey} on ${f.node}: rc=${f.rc} ${f.exitReason} (${f.lastRcChange})`);
  } else out.push('', 'failed actions: none');
  return out.join('\n');
};
