import { join } from 'node:path';

// Names and addresses of one lab. Everything the lab creates is prefixed `hkl` (namespaces, links; another prefix
// with HAKIT_LAB_PREFIX, so that two labs can run side by side with their own HAKIT_LAB_DIR) and lives in
// TEST-NET-1 (192.0.2.0/24) inside the lab's own namespaces: no link to the host, no default route.

export const LAB_PREFIX = 'hkl';

// The prefix of the lab's namespace and link names: HAKIT_LAB_PREFIX (2-6 lower-case letters/digits) or `hkl`.
export const labPrefix = (env: NodeJS.ProcessEnv = process.env): string => {
  const p = env.HAKIT_LAB_PREFIX || LAB_PREFIX;
  if (!/^[a-z][a-z0-9]{1,5}$/.test(p)) throw new Error(`HAKIT_LAB_PREFIX must be 2-6 lower-case letters or digits (got ${JSON.stringify(p)})`);
  return p;
};
export const SUBNET = '192.0.2';
export const PREFIX_LEN = 24;
export const SWITCH_IP = `${SUBNET}.254`;
export const FLOATING_IP = `${SUBNET}.100`;
export const CLUSTER_NAME = 'hkl';
export const NODE_IFACE = 'eth0';
export const BRIDGE = 'hklbr0';

export interface LabNode {
  readonly index: number; // 1-based
  readonly name: string; // UTS hostname = corosync name = pacemaker node name
  readonly netns: string;
  readonly switchPort: string; // the veth end on the bridge, in the switch namespace
  readonly ip: string;
  readonly dir: string; // per-node state on the host (bind-mounted inside the node)
}

export interface LabLayout {
  readonly dir: string; // the lab's state directory on the host
  readonly switchNetns: string;
  readonly nodes: readonly LabNode[];
}

// Where lab state lives on the host: HAKIT_LAB_DIR or /var/lib/hakit-lab (not under /run: each node gets its own /run).
export const labDir = (env: NodeJS.ProcessEnv = process.env): string => env.HAKIT_LAB_DIR || '/var/lib/hakit-lab';

// The layout of an n-node lab.
export const labLayout = (nodes: number, dir: string = labDir(), prefix: string = labPrefix()): LabLayout => ({
  dir,
  switchNetns: `${prefix}-sw`,
  nodes: Array.from({ length: nodes }, (_, i) => {
    const index = i + 1;
    const name = `node${index}`;
    return {
      index,
      name,
      netns: `${prefix}-${name}`,
      switchPort: `${prefix}p${index}`,
      ip: `${SUBNET}.${10 + index}`,
      dir: join(dir, 'nodes', name),
    };
  }),
});

// Finds a node by name (node1) or number (1).
export const findNode = (layout: LabLayout, name: string): LabNode => {
  const n = layout.nodes.find((x) => x.name === name || String(x.index) === name);
  if (!n) throw new Error(`no node ${name} in this lab (nodes: ${layout.nodes.map((x) => x.name).join(', ')})`);
  return n;
};
