import { agentFor, controldOps, filesystemOps, primitive } from './agents';
import { COMMON_VALUES, PROPERTIES, RSC_DEFAULTS, devicePath, drbdClone, drbdResource, fencing, providerOf } from './common';
import type { TemplateDef } from './template';

// dual-primary: DRBD Promoted on both nodes (allow-two-primaries), dlm (ocf:pacemaker:controld) and a cluster
// filesystem (GFS2/OCFS2) mounted on both, every clone interleaved (the scalable-storage seed).
export const dualPrimary: TemplateDef = {
  name: 'dual-primary',
  summary: 'DRBD with two Primaries, dlm (controld) and a GFS2/OCFS2 Filesystem clone, interleaved',
  description: 'Both nodes Promoted (DRBD allow-two-primaries, promoted-max=2) with a cluster filesystem mounted on '
    + 'both. Needs working fencing: DRBD fences the peer with resource-and-stonith before a split brain can write.',
  values: [
    ...COMMON_VALUES,
    { key: 'fs_dir', kind: 'path', default: '/srv/shared', description: 'mount point of the cluster filesystem' },
    { key: 'fstype', kind: 'enum', options: ['gfs2', 'ocfs2'], default: 'gfs2', description: 'cluster filesystem type' },
  ],
  examples: {
    default: {},
    seed: { node1: 'storage0a', node2: 'storage0b', node1_addr: '192.168.10.20', node2_addr: '192.168.10.27',
      drbd_port: '7788', drbd_disk: '/dev/xvdb1' },
    ocfs2: { fstype: 'ocfs2', drbd_resource: 'shared', drbd_minor: '3' },
  },
  build: (v) => {
    const provider = providerOf(v);
    const drbd = drbdClone(v, 2);
    const fence = fencing(v);
    const interleave = [['clone-max', '2'], ['clone-node-max', '1'], ['interleave', 'true']] as const;
    return {
      config: {
        nodes: [v.node1!, v.node2!],
        properties: PROPERTIES,
        rscDefaults: RSC_DEFAULTS,
        primitives: [
          ...fence.primitives,
          drbd.primitive,
          primitive('p_dlm', { cls: 'ocf', provider: 'pacemaker', type: 'controld' }, [], controldOps()),
          primitive('p_fs', agentFor(provider, 'Filesystem'),
            [['device', devicePath(v)], ['directory', v.fs_dir!], ['fstype', v.fstype!]], filesystemOps()),
        ],
        groups: [],
        clones: [
          drbd.clone,
          { id: 'cl_dlm', child: 'p_dlm', promotable: false, meta: interleave },
          { id: 'cl_fs', child: 'p_fs', promotable: false, meta: interleave },
        ],
        locations: fence.locations,
        colocations: [
          { id: 'col_fs_on_drbd', rsc: 'cl_fs', withRsc: drbd.clone.id, withRole: 'Promoted' },
          { id: 'col_fs_with_dlm', rsc: 'cl_fs', withRsc: 'cl_dlm' },
        ],
        orders: [
          { id: 'ord_drbd_then_dlm', first: drbd.clone.id, firstAction: 'promote', then: 'cl_dlm', thenAction: 'start' },
          { id: 'ord_dlm_then_fs', first: 'cl_dlm', firstAction: 'start', then: 'cl_fs', thenAction: 'start' },
        ],
      },
      drbd: drbdResource(v, true),
      service: 'cl_fs',
      promotable: drbd.clone.id,
      dualPrimary: true,
    };
  },
};
