import { FLOATING_IP, NODE_IFACE, type LabLayout } from './layout';
import { DRBD_DEVICE, LAB_DISK, labDrbdConf } from './drbd-setup';
import { builtinConfig } from './stack';
import type { Provider } from './state';

// The crm configuration for `lab up --template NAME`: a built-in one, or a shipped template (src/templates)
// rendered with the lab's values, made fit for a lab without fencing.

export interface LabConfig {
  crm: string;
  drbd?: { resource: string; conf: string; fstype: string; nodes: [string, string] };
}

// Values the lab imposes on a shipped template (its addresses, interface, disk and document root).
export const LAB_VALUES: Record<string, string> = {
  vip: FLOATING_IP, nic: NODE_IFACE, fs_dir: '/var/www/html', drbd_disk: LAB_DISK, node1: 'node1', node2: 'node2',
  node1_addr: '192.0.2.11', node2_addr: '192.0.2.12', drbd_minor: '0', drbd_version: '8.4',
};

// Splits crmsh text into statements (a statement's continuation lines start with whitespace).
export const crmStatements = (text: string): string[] => {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    if (/^\s/.test(line) && out.length) out[out.length - 1] += `\n${line}`;
    else out.push(line);
  }
  return out;
};

// Drops the fencing devices (the lab has none), sets the lab's cluster properties, and makes one failure move the
// service (migration-threshold=1, as in the seed); on 3 nodes keeps DRBD (2 nodes) off the third node.
export const labCrm = (text: string, layout: LabLayout, drbdClone?: string): string => {
  const keep = crmStatements(text).filter((s) => !/^primitive \S+ stonith:/.test(s) && !/^location loc_fence_/.test(s))
    .map((s) => (s.startsWith('property ') ? 'property cib-bootstrap-options: stonith-enabled=false dc-deadtime=5s no-quorum-policy=stop' : s))
    .map((s) => (s.startsWith('rsc_defaults ') ? s.replace(/migration-threshold=\d+/, 'migration-threshold=1') : s));
  if (drbdClone) for (const n of layout.nodes.slice(2)) keep.push(`location loc_no_drbd_${n.name} ${drbdClone} resource-discovery=never -inf: ${n.name}`);
  return `${keep.join('\n')}\n`;
};

// web-stateful: the web template with ocf:pacemaker:Stateful in place of DRBD and ocf:pacemaker:Dummy in place of
// the Filesystem (nothing to mount without DRBD): the same cluster shape, to measure what DRBD adds to a failover.
export const statefulInPlace = (crm: string): string =>
  crmStatements(crm).map((st) => {
    const m = /^primitive (\S+) ocf:\w+:(drbd|Filesystem)\b/.exec(st);
    if (!m) return st;
    const ops = st.split('\n').filter((l) => /^\s*op /.test(l)).map((l) => l.replace(/\s*\\$/, '').trim());
    const type = m[2] === 'drbd' ? 'Stateful' : 'Dummy';
    return [`primitive ${m[1]} ocf:pacemaker:${type}`, ...ops].join(' \\\n\t');
  }).join('\n').concat('\n');

// Renders the configuration for a template and provider.
export const renderConfig = async (layout: LabLayout, template: string, provider: Provider, sets: Record<string, string>): Promise<LabConfig> => {
  const builtin = builtinConfig(template, provider);
  if (builtin) return { crm: builtin };
  if (template === 'web-stateful') {
    const web = await renderConfig(layout, 'web', provider, sets);
    return { crm: statefulInPlace(web.crm) };
  }
  const t = await import('../templates/index');
  const def = t.findTemplate(template);
  if (!def) throw new Error(`unknown template ${template}; try: ${t.TEMPLATES.map((x) => x.name).join(', ')}, ip-apache, stateful, dummy`);
  const values = { ...sets, ...LAB_VALUES, provider };
  const rendered = t.instantiate(def, Object.entries(values).map(([k, v]) => `${k}=${v}`));
  const crm = t.renderAs(rendered, 'crm');
  const hasDrbd = /ocf:(hakit|linbit):drbd/.test(crm);
  const clone = /^clone (\S+) p_drbd_/m.exec(crm)?.[1] ?? /^clone (\S+) \S*drbd/m.exec(crm)?.[1];
  if (!hasDrbd) return { crm: labCrm(crm, layout) };
  const conf = labDrbdConf(t.renderAs(rendered, 'drbd'));
  const resource = /resource\s+(\S+)\s*\{/.exec(conf)?.[1] ?? 'r0';
  if (!conf.includes(DRBD_DEVICE)) throw new Error(`the lab's DRBD set-up expects ${DRBD_DEVICE}`);
  const fstype = /fstype=(\w+)/.exec(crm)?.[1] ?? 'ext4';
  return { crm: labCrm(crm, layout, clone), drbd: { resource, conf, fstype, nodes: ['node1', 'node2'] } };
};
