import { chownSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCrmMon, type MonState } from './crm-mon';
import { must } from './proc';
import { nodeDaemon, nodeRun, nodeRunAsync } from './node';
import type { LabLayout, LabNode } from './layout';

// The cluster stack inside a node: corosync, pacemakerd, the CIB, and crm_mon as the source of truth.

export const CLUSTER_PROPERTIES: Record<string, string> = {
  'dc-deadtime': '5s', // default 20 s: the DC election waits that long before a lab is formed
  'stonith-enabled': 'false', // no fencing device in the lab (documented in docs/lab.md)
  'no-quorum-policy': 'stop',
  'cluster-recheck-interval': '1min',
};

// An empty CIB from the installed pacemaker (`cibadmin --empty`: the right feature set) with the lab's properties.
export const seedCib = (): string => {
  const empty = must('cibadmin', ['--empty']);
  const props = Object.entries(CLUSTER_PROPERTIES)
    .map(([k, v]) => `<nvpair id="cib-bootstrap-options-${k}" name="${k}" value="${v}"/>`).join('');
  const xml = empty.replace(/<crm_config\s*\/>|<crm_config>\s*<\/crm_config>/,
    `<crm_config><cluster_property_set id="cib-bootstrap-options">${props}</cluster_property_set></crm_config>`);
  if (xml === empty) throw new Error(`cannot seed the CIB: unexpected cibadmin --empty output: ${empty.slice(0, 200)}`);
  return xml;
};

// Writes the seed CIB into a node's pacemaker state (only when the node has none yet).
export const writeSeedCib = (node: LabNode, xml: string): void => {
  const f = join(node.dir, 'var-lib-pacemaker', 'cib', 'cib.xml');
  writeFileSync(f, xml, { mode: 0o600, flag: 'wx' });
  const uid = Number(must('id', ['-u', 'hacluster']).trim());
  const gid = Number(must('id', ['-g', 'hacluster']).trim());
  chownSync(f, uid, gid);
};

// Starts corosync, then pacemakerd, inside a powered-on node.
export const startClusterStack = (layout: LabLayout, node: LabNode): void => {
  nodeDaemon(layout, node, 'corosync', ['corosync', '-f']);
  nodeDaemon(layout, node, 'pacemakerd', ['pacemakerd']);
};

// crm_mon's view from one node, or undefined when the node cannot answer yet.
export const monitor = (layout: LabLayout, node: LabNode): MonState | undefined => {
  const r = nodeRun(layout, node, ['crm_mon', '-1', '--output-as=xml', '--include=all'], { timeoutMs: 10_000 });
  if (r.code !== 0 || !r.stdout.includes('<pacemaker-result')) return undefined;
  try {
    return parseCrmMon(r.stdout);
  } catch {
    return undefined;
  }
};

// Same, asynchronously (for polling while something else runs).
export const monitorAsync = async (layout: LabLayout, node: LabNode): Promise<MonState | undefined> => {
  const r = await nodeRunAsync(layout, node, ['crm_mon', '-1', '--output-as=xml', '--include=all'], { timeoutMs: 10_000 });
  if (r.code !== 0 || !r.stdout.includes('<pacemaker-result')) return undefined;
  try {
    return parseCrmMon(r.stdout);
  } catch {
    return undefined;
  }
};

// True when a DC is elected and every listed node is online in its view.
export const isFormed = (s: MonState | undefined, names: readonly string[]): boolean =>
  !!s && !!s.dc && names.every((n) => s.nodes.some((x) => x.name === n && x.online));

// Loads a crm configuration (crmsh syntax) into the cluster through one node.
export const loadCrmConfig = (layout: LabLayout, node: LabNode, text: string): void => {
  const inNode = '/run/hkl-config.crm';
  writeFileSync(join(node.dir, 'run', 'hkl-config.crm'), text);
  const r = nodeRun(layout, node, ['crm', 'configure', 'load', 'update', inNode], { timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(`crm configure load failed on ${node.name}: ${(r.stderr || r.stdout).trim().slice(-1500)}`);
};
