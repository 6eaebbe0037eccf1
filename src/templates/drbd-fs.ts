import { agentFor, filesystemOps, primitive } from './agents';
import { COMMON_VALUES, PROPERTIES, RSC_DEFAULTS, devicePath, drbdClone, drbdResource, fencing, providerOf } from './common';
import type { TemplateDef } from './template';

// drbd-fs: DRBD (promotable) -> Filesystem, in a group that any service (mail, NFS, a database) is added to.
export const drbdFs: TemplateDef = {
  name: 'drbd-fs',
  summary: 'DRBD (promotable) -> Filesystem, a group to put any service on',
  description: 'A filesystem on DRBD mounted where DRBD is Promoted (the ext3-on-DRBD seed). Add the service '
    + 'primitives to the group g_<group> after p_fs; the group is ordered after the promote and colocated with it.',
  values: [
    ...COMMON_VALUES,
    { key: 'group', kind: 'id', default: 'data', description: 'name of the group (g_<group>)' },
    { key: 'fs_dir', kind: 'path', default: '/srv/data', description: 'mount point of the DRBD device' },
    { key: 'fstype', kind: 'enum', options: ['ext4', 'ext3', 'xfs', 'btrfs'], default: 'ext4', description: 'filesystem type' },
    { key: 'fs_options', kind: 'word', default: '', optional: true, description: 'mount options (e.g. noatime)' },
  ],
  examples: {
    default: {},
    seed: { node1: 'xen-debian1', node2: 'xen-debian2', node1_addr: '192.168.152.91', node2_addr: '192.168.152.92',
      drbd_resource: 'drbd0', fstype: 'ext3', fs_dir: '/media/drbd0', group: 'mail', fs_options: 'noatime' },
  },
  build: (v) => {
    const provider = providerOf(v);
    const drbd = drbdClone(v, 1);
    const fence = fencing(v);
    const group = `g_${v.group}`;
    return {
      config: {
        nodes: [v.node1!, v.node2!],
        properties: PROPERTIES,
        rscDefaults: RSC_DEFAULTS,
        primitives: [...fence.primitives, drbd.primitive, primitive('p_fs', agentFor(provider, 'Filesystem'),
          [['device', devicePath(v)], ['directory', v.fs_dir!], ['fstype', v.fstype!], ['options', v.fs_options!]],
          filesystemOps())],
        groups: [{ id: group, members: ['p_fs'] }],
        clones: [drbd.clone],
        locations: fence.locations,
        colocations: [{ id: `col_${v.group}_on_drbd`, rsc: group, withRsc: drbd.clone.id, withRole: 'Promoted' }],
        orders: [{ id: `ord_drbd_then_${v.group}`, first: drbd.clone.id, firstAction: 'promote', then: group, thenAction: 'start' }],
      },
      drbd: drbdResource(v, false),
      service: group,
      promotable: drbd.clone.id,
      dualPrimary: false,
    };
  },
};
