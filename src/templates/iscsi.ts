import { agentFor, ipaddr2Ops, iscsiOps, primitive } from './agents';
import { COMMON_VALUES, PROPERTIES, RSC_DEFAULTS, devicePath, drbdClone, drbdResource, fencing, providerOf } from './common';
import type { TemplateDef } from './template';

// iscsi: DRBD (promotable) -> IPaddr2 -> iSCSI target and logical unit (resource-agents' iSCSITarget and
// iSCSILogicalUnit with the tgt implementation) exporting the DRBD device (the DRBD + iSCSI seed).
export const iscsi: TemplateDef = {
  name: 'iscsi',
  summary: 'DRBD (promotable) -> IPaddr2 -> iSCSITarget + iSCSILogicalUnit (tgt)',
  description: 'An iSCSI target (tgt) exporting the DRBD device as one LUN from where DRBD is Promoted, reached '
    + 'through a floating IP. iSCSITarget/iSCSILogicalUnit are always ocf:heartbeat (hakit has no replacement).',
  values: [
    ...COMMON_VALUES,
    { key: 'vip', kind: 'ip', default: '192.0.2.20', description: 'floating IP address of the target portal' },
    { key: 'cidr_netmask', kind: 'int', min: 1, max: 128, default: '24', description: 'prefix length of the floating IP' },
    { key: 'iqn', kind: 'iqn', default: 'iqn.2026-01.org.example:storage.r0', description: 'target IQN' },
    { key: 'tid', kind: 'int', min: 1, max: 65535, default: '1', description: 'tgt target id' },
    { key: 'lun', kind: 'int', min: 1, max: 255, default: '1', description: 'logical unit number' },
  ],
  examples: {
    default: {},
    seed: { node1: 'drbdiscsi1', node2: 'drbdiscsi2', node1_addr: '192.168.1.11', node2_addr: '192.168.1.12',
      vip: '192.168.1.10', iqn: 'iqn.2008-08.jp.thirdware:drbdiscsi.r0', lun: '1' },
  },
  build: (v) => {
    const provider = providerOf(v);
    const drbd = drbdClone(v, 1);
    const fence = fencing(v);
    return {
      config: {
        nodes: [v.node1!, v.node2!],
        properties: PROPERTIES,
        rscDefaults: RSC_DEFAULTS,
        primitives: [
          ...fence.primitives,
          drbd.primitive,
          primitive('p_vip', agentFor(provider, 'IPaddr2'), [['ip', v.vip!], ['cidr_netmask', v.cidr_netmask!]], ipaddr2Ops()),
          primitive('p_target', { cls: 'ocf', provider: 'heartbeat', type: 'iSCSITarget' },
            [['implementation', 'tgt'], ['iqn', v.iqn!], ['tid', v.tid!]], iscsiOps()),
          primitive('p_lun', { cls: 'ocf', provider: 'heartbeat', type: 'iSCSILogicalUnit' },
            [['implementation', 'tgt'], ['target_iqn', v.iqn!], ['lun', v.lun!], ['path', devicePath(v)]], iscsiOps()),
        ],
        groups: [{ id: 'g_iscsi', members: ['p_vip', 'p_target', 'p_lun'] }],
        clones: [drbd.clone],
        locations: fence.locations,
        colocations: [{ id: 'col_iscsi_on_drbd', rsc: 'g_iscsi', withRsc: drbd.clone.id, withRole: 'Promoted' }],
        orders: [{ id: 'ord_drbd_then_iscsi', first: drbd.clone.id, firstAction: 'promote', then: 'g_iscsi', thenAction: 'start' }],
      },
      drbd: drbdResource(v, false),
      service: 'g_iscsi',
      promotable: drbd.clone.id,
      dualPrimary: false,
    };
  },
};
