import { agentFor, drbdOps, fenceOps, primitive, type Provider } from './agents';
import type { Clone, DrbdResource, Location, Pairs, Primitive } from './model';
import type { ValueSpec } from './values';

// The values and building blocks every template shares: two nodes, their fencing devices, the DRBD resource
// and its promotable clone, the cluster properties.

export const COMMON_VALUES: readonly ValueSpec[] = [
  { key: 'provider', kind: 'enum', options: ['hakit', 'heartbeat'], default: 'hakit',
    description: 'agent provider: hakit (ocf:hakit:*) or heartbeat (ocf:heartbeat:*, ocf:linbit:drbd)' },
  { key: 'node1', kind: 'host', default: 'node1', description: 'first node name (uname -n)' },
  { key: 'node2', kind: 'host', default: 'node2', description: 'second node name (uname -n)' },
  { key: 'node1_addr', kind: 'ip', default: '192.0.2.11', description: 'DRBD replication address of node1' },
  { key: 'node2_addr', kind: 'ip', default: '192.0.2.12', description: 'DRBD replication address of node2' },
  { key: 'drbd_resource', kind: 'id', default: 'r0', description: 'DRBD resource name' },
  { key: 'drbd_minor', kind: 'int', min: 0, max: 1048575, default: '0', description: 'DRBD minor: device /dev/drbd<minor>' },
  { key: 'drbd_disk', kind: 'path', default: '/dev/sdb1', description: 'backing disk (same path on both nodes)' },
  { key: 'drbd_port', kind: 'int', min: 1, max: 65535, default: '7789', description: 'DRBD TCP port' },
  { key: 'drbd_version', kind: 'enum', options: ['9', '8.4'], default: '9',
    description: 'DRBD kernel module the resource file is written for: 9 (LINBIT\'s drbd-9 packages) or 8.4 (the module in ' +
      'Debian\'s and Ubuntu\'s own kernels, whose drbdadm-84 rejects the DRBD 9 syntax)' },
  { key: 'node1_bmc', kind: 'ip', default: '192.0.2.101', description: 'IPMI address fencing node1' },
  { key: 'node2_bmc', kind: 'ip', default: '192.0.2.102', description: 'IPMI address fencing node2' },
  { key: 'fence_user', kind: 'word', default: 'hacluster', description: 'IPMI user for fence_ipmilan' },
  { key: 'fence_password_script', kind: 'path', default: '/etc/cluster/bmc-password',
    description: 'script printing the IPMI password (fence_ipmilan password_script; no password in the CIB)' },
];

export type Values = Readonly<Record<string, string>>;

// The provider chosen by the values.
export const providerOf = (v: Values): Provider => (v.provider === 'heartbeat' ? 'heartbeat' : 'hakit');
// The DRBD device path, /dev/drbd<minor>.
export const devicePath = (v: Values): string => `/dev/drbd${v.drbd_minor}`;
// Id of the DRBD primitive.
export const drbdPrimitiveId = (v: Values): string => `p_drbd_${v.drbd_resource}`;
// Id of the promotable DRBD clone.
export const drbdCloneId = (v: Values): string => `ms_drbd_${v.drbd_resource}`;

// Cluster-wide settings: fencing on (shared data), no default-action-timeout (every op carries its own timeout).
export const PROPERTIES: Pairs = [['stonith-enabled', 'true']];

// Failback stays possible: moderate stickiness, and a failure count that expires instead of banning a node forever.
export const RSC_DEFAULTS: Pairs = [['resource-stickiness', '100'], ['migration-threshold', '3'], ['failure-timeout', '600s']];

// One fence_ipmilan device per node, kept off the node it fences.
export const fencing = (v: Values): { primitives: Primitive[]; locations: Location[] } => {
  const nodes = [[v.node1!, v.node1_bmc!], [v.node2!, v.node2_bmc!]] as const;
  return {
    primitives: nodes.map(([node, bmc], i) => primitive(`fence_node${i + 1}`, { cls: 'stonith', type: 'fence_ipmilan' }, [
      ['ip', bmc], ['username', v.fence_user!], ['password_script', v.fence_password_script!], ['lanplus', '1'],
      ['pcmk_host_list', node],
    ], fenceOps())),
    locations: nodes.map(([node], i) => ({ id: `loc_fence_node${i + 1}`, rsc: `fence_node${i + 1}`, node, score: '-INFINITY' as const })),
  };
};

// The DRBD primitive and its promotable clone (one or two Promoted instances).
export const drbdClone = (v: Values, promotedMax: 1 | 2): { primitive: Primitive; clone: Clone } => {
  const meta: [string, string][] = [
    ['promoted-max', String(promotedMax)], ['promoted-node-max', '1'], ['clone-max', '2'], ['clone-node-max', '1'],
    ['notify', 'true'],
  ];
  if (promotedMax === 2) meta.push(['interleave', 'true']);
  return {
    primitive: primitive(drbdPrimitiveId(v), agentFor(providerOf(v), 'drbd'), [['drbd_resource', v.drbd_resource!]], drbdOps()),
    clone: { id: drbdCloneId(v), child: drbdPrimitiveId(v), promotable: true, meta },
  };
};

// The DRBD resource file matching the configuration.
export const drbdResource = (v: Values, allowTwoPrimaries: boolean): DrbdResource => ({
  name: v.drbd_resource!,
  minor: Number(v.drbd_minor),
  metaDisk: 'internal',
  hosts: [
    { name: v.node1!, address: v.node1_addr!, port: Number(v.drbd_port), disk: v.drbd_disk! },
    { name: v.node2!, address: v.node2_addr!, port: Number(v.drbd_port), disk: v.drbd_disk! },
  ],
  allowTwoPrimaries,
  version: v.drbd_version === '8.4' ? '8.4' : '9',
});
