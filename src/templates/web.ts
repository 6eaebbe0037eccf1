import { agentFor, apacheOps, filesystemOps, ipaddr2Ops, primitive } from './agents';
import { COMMON_VALUES, PROPERTIES, RSC_DEFAULTS, devicePath, drbdClone, drbdResource, fencing, providerOf } from './common';
import type { TemplateDef } from './template';

// web: DRBD (promotable) -> Filesystem -> IPaddr2 -> apache, the group ordered after the promote and colocated
// with the Promoted instance (the Pacemaker + DRBD web server of the seed document, made correct).
export const web: TemplateDef = {
  name: 'web',
  summary: 'DRBD (promotable) -> Filesystem -> IPaddr2 -> apache, ordered and colocated',
  description: 'An active/passive web server on DRBD: the document root lives on a DRBD device mounted where DRBD is '
    + 'Promoted, with a floating IP and apache started after it. The apache status URL must be allowed from 127.0.0.1 '
    + 'by the apache configuration (<Location /server-status> Require local).',
  values: [
    ...COMMON_VALUES,
    { key: 'vip', kind: 'ip', default: '192.0.2.10', description: 'floating IP address' },
    { key: 'cidr_netmask', kind: 'int', min: 1, max: 128, default: '24', description: 'prefix length of the floating IP' },
    { key: 'nic', kind: 'word', default: '', optional: true, description: 'interface for the floating IP (default: from the routing table)' },
    { key: 'fs_dir', kind: 'path', default: '/srv/www', description: 'mount point of the DRBD device' },
    { key: 'fstype', kind: 'enum', options: ['ext4', 'ext3', 'xfs', 'btrfs'], default: 'ext4', description: 'filesystem type' },
    { key: 'apache_config', kind: 'path', default: '/etc/apache2/apache2.conf', description: 'apache configuration file' },
    { key: 'statusurl', kind: 'url', default: 'http://127.0.0.1/server-status', description: 'URL the monitor fetches' },
  ],
  examples: {
    default: {},
    seed: { node1: 'primarycentos', node2: 'secondarycentos', node1_addr: '192.168.0.21', node2_addr: '192.168.0.22',
      drbd_minor: '1', vip: '192.168.0.20', nic: 'eth0', fs_dir: '/mnt/data', apache_config: '/etc/httpd/conf/httpd.conf' },
    ipv6: { vip: '2001:db8::10', cidr_netmask: '64', node1_addr: '2001:db8::11', node2_addr: '2001:db8::12', fstype: 'xfs' },
  },
  build: (v) => {
    const provider = providerOf(v);
    const drbd = drbdClone(v, 1);
    const fence = fencing(v);
    const prims = [
      ...fence.primitives,
      drbd.primitive,
      primitive('p_fs', agentFor(provider, 'Filesystem'),
        [['device', devicePath(v)], ['directory', v.fs_dir!], ['fstype', v.fstype!]], filesystemOps()),
      primitive('p_vip', agentFor(provider, 'IPaddr2'),
        [['ip', v.vip!], ['cidr_netmask', v.cidr_netmask!], ['nic', v.nic!]], ipaddr2Ops()),
      primitive('p_web', agentFor(provider, 'apache'),
        [['configfile', v.apache_config!], ['statusurl', v.statusurl!]], apacheOps()),
    ];
    return {
      config: {
        nodes: [v.node1!, v.node2!],
        properties: PROPERTIES,
        rscDefaults: RSC_DEFAULTS,
        primitives: prims,
        groups: [{ id: 'g_web', members: ['p_fs', 'p_vip', 'p_web'] }],
        clones: [drbd.clone],
        locations: fence.locations,
        colocations: [{ id: 'col_web_on_drbd', rsc: 'g_web', withRsc: drbd.clone.id, withRole: 'Promoted' }],
        orders: [{ id: 'ord_drbd_then_web', first: drbd.clone.id, firstAction: 'promote', then: 'g_web', thenAction: 'start' }],
      },
      drbd: drbdResource(v, false),
      service: 'g_web',
      promotable: drbd.clone.id,
      dualPrimary: false,
    };
  },
};
