import { existsSync, readdirSync } from 'node:fs';
import { must, run } from './proc';
import { BRIDGE, labPrefix, NODE_IFACE, PREFIX_LEN, SWITCH_IP, type LabLayout, type LabNode } from './layout';

// The lab network: a bridge in the switch namespace, one veth per node (the node end renamed eth0 in the node's
// namespace). Addresses only inside these namespaces; no default route; no link to the host namespace.

const ip = (...args: string[]): string => must('ip', args);

// Creates the switch namespace with its bridge (the poller's address is on the bridge itself).
export const createSwitch = (layout: LabLayout): void => {
  const sw = layout.switchNetns;
  ip('netns', 'add', sw);
  ip('-n', sw, 'link', 'set', 'lo', 'up');
  ip('-n', sw, 'link', 'add', BRIDGE, 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0');
  ip('-n', sw, 'addr', 'add', `${SWITCH_IP}/${PREFIX_LEN}`, 'dev', BRIDGE);
  ip('-n', sw, 'link', 'set', BRIDGE, 'up');
};

// Creates a node's network namespace, cabled to the switch.
export const createNodeNet = (layout: LabLayout, node: LabNode): void => {
  const sw = layout.switchNetns;
  ip('netns', 'add', node.netns);
  ip('-n', node.netns, 'link', 'set', 'lo', 'up');
  ip('-n', sw, 'link', 'add', node.switchPort, 'type', 'veth', 'peer', 'name', NODE_IFACE, 'netns', node.netns);
  ip('-n', sw, 'link', 'set', node.switchPort, 'master', BRIDGE);
  ip('-n', sw, 'link', 'set', node.switchPort, 'up');
  ip('-n', node.netns, 'addr', 'add', `${node.ip}/${PREFIX_LEN}`, 'dev', NODE_IFACE);
  ip('-n', node.netns, 'link', 'set', NODE_IFACE, 'up');
};

// Unplugs a node's cable at the switch (cluster and replication traffic both cut), or plugs it back.
export const setCable = (layout: LabLayout, node: LabNode, up: boolean): void => {
  ip('-n', layout.switchNetns, 'link', 'set', node.switchPort, up ? 'up' : 'down');
};

// Whether a node's cable is plugged in.
export const cableUp = (layout: LabLayout, node: LabNode): boolean => {
  const r = run('ip', ['-n', layout.switchNetns, '-o', 'link', 'show', node.switchPort]);
  return r.code === 0 && !/state DOWN|[<,]DOWN|^[^<]*<(?![^>]*\bUP\b)/.test(r.stdout) && /[<,]UP[,>]/.test(r.stdout);
};

// The lab's network namespaces that exist now (named hkl-*, or with the lab's own prefix).
export const labNetns = (prefix: string = labPrefix()): string[] =>
  existsSync('/run/netns') ? readdirSync('/run/netns').filter((n) => n.startsWith(`${prefix}-`)) : [];

// Whether any lab (this one or another, whatever its prefix) has node namespaces now.
export const anyLabNetns = (): boolean =>
  existsSync('/run/netns') && readdirSync('/run/netns').some((n) => /^[a-z][a-z0-9]{1,5}-(node\d+|sw)$/.test(n));

// Deletes every lab namespace (their veths and the bridge go with them).
export const deleteLabNetns = (): string[] => {
  const errors: string[] = [];
  for (const ns of labNetns()) {
    const r = run('ip', ['netns', 'delete', ns]);
    if (r.code !== 0) errors.push(`ip netns delete ${ns}: ${r.stderr.trim()}`);
  }
  return errors;
};
