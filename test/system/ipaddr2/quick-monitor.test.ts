// IPaddr2's monitor reads the kernel's files (quick-snapshot.ts) instead of running ip where that gives the same
// answer. Differential test: each network state below is monitored both ways (HAKIT_IPADDR2_QUICK=0 forces ip)
// and must give the same exit code and exit reason; the common states must take the quick way (no process run).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentPath } from '../../helpers/dist';
import { createTestNet, type TestNet } from '../../helpers/netns';
import { runAgentBinary } from '../../helpers/run-agent';

let net: TestNet;
const ip = (...a: string[]) => net.sh(net.ns, 'ip', ...a);

beforeAll(() => {
  net = createTestNet('hq');
  ip('addr', 'add', '198.51.100.1/24', 'dev', net.dev);
  // veth pairs inside the namespace (this kernel has no dummy driver); a pair with both ends up is state UP
  const pair = (name: string, up: boolean) => {
    ip('link', 'add', name, 'type', 'veth', 'peer', 'name', `${name}p`);
    if (up) for (const n of [name, `${name}p`]) ip('link', 'set', n, 'up');
  };
  pair('hqdum0', true);
  pair('hqdum1', true);
  pair('hqdown', false); // stays down
  pair('hqtie0', true);
  pair('hqtie1', true);
  ip('addr', 'add', '203.0.113.1/24', 'dev', 'hqdum1');
  ip('route', 'add', '203.0.113.64/26', 'dev', 'hqdum0'); // more specific, other device
  ip('route', 'add', 'unreachable', '198.51.100.128/25');
  ip('addr', 'add', '10.77.0.1/24', 'dev', 'hqdown');
  ip('route', 'add', '10.88.0.0/24', 'dev', 'hqtie0');
  ip('route', 'add', '10.88.0.0/24', 'dev', 'hqtie1', 'metric', '5');
  ip('addr', 'add', '198.51.100.20/24', 'dev', net.dev);
  ip('addr', 'add', '198.51.100.21/24', 'dev', net.dev, 'label', `${net.dev}:vip`);
  ip('addr', 'add', '198.51.100.22/25', 'dev', net.dev); // a different prefix than the route's
  ip('addr', 'add', '192.0.2.30/24', 'dev', 'lo'); // lo: state UNKNOWN
  ip('addr', 'add', '203.0.113.70/26', 'dev', 'hqdum0');
  ip('addr', 'add', '10.77.0.5/24', 'dev', 'hqdown');
  ip('addr', 'add', '10.88.0.5/24', 'dev', 'hqtie0');
});
afterAll(() => net?.destroy());

type P = Record<string, string>;
const monitor = (params: P, quick: boolean, probe = false) => runAgentBinary(agentPath('IPaddr2'), 'monitor', params, {
  HAKIT_DEBUG_MODULES: '1', HAKIT_IPADDR2_QUICK: quick ? '1' : '0',
  OCF_RESKEY_CRM_meta_interval: probe ? '0' : '10000', OCF_RESKEY_CRM_meta_timeout: '20000',
}, { netns: net.ns });

const cases: { name: string; params: () => P; rc: number; quick: boolean }[] = [
  { name: 'present, netmask given', params: () => ({ ip: '198.51.100.20', cidr_netmask: '24' }), rc: 0, quick: true },
  { name: 'absent, netmask given', params: () => ({ ip: '198.51.100.30', cidr_netmask: '24' }), rc: 7, quick: true },
  { name: 'present, nic and netmask given', params: () => ({ ip: '198.51.100.20', nic: net.dev, cidr_netmask: '24' }), rc: 0, quick: true },
  { name: 'nothing but the address: the /25 route of .22 is longer, so .20/24 is not it', params: () => ({ ip: '198.51.100.20' }), rc: 7, quick: true },
  { name: 'nothing but the address, found with the route\'s prefix', params: () => ({ ip: '198.51.100.22' }), rc: 0, quick: true },
  { name: 'present with a label', params: () => ({ ip: '198.51.100.21', cidr_netmask: '24', iflabel: 'vip' }), rc: 0, quick: true },
  { name: 'configured with another prefix', params: () => ({ ip: '198.51.100.22', cidr_netmask: '24' }), rc: 7, quick: true },
  { name: 'on a link in state UNKNOWN (lo)', params: () => ({ ip: '192.0.2.30', nic: 'lo', cidr_netmask: '24' }), rc: 0, quick: true },
  { name: 'no route and no nic', params: () => ({ ip: '192.0.2.30', cidr_netmask: '24' }), rc: 1, quick: false },
  { name: 'longest prefix on another device', params: () => ({ ip: '203.0.113.70' }), rc: 0, quick: true },
  { name: 'on the shorter route\'s device, longer route elsewhere', params: () => ({ ip: '203.0.113.70', nic: 'hqdum1', cidr_netmask: '26' }), rc: 7, quick: true },
  { name: 'link down, check_link_status', params: () => ({ ip: '10.77.0.5', nic: 'hqdown', cidr_netmask: '24' }), rc: 7, quick: false },
  { name: 'link down, no check_link_status', params: () => ({ ip: '10.77.0.5', nic: 'hqdown', cidr_netmask: '24', check_link_status: 'false' }), rc: 0, quick: false },
  { name: 'equally long routes on two devices', params: () => ({ ip: '10.88.0.5' }), rc: 7, quick: false },
  { name: 'a longer unreachable route is ignored', params: () => ({ ip: '198.51.100.200' }), rc: 7, quick: true },
  { name: 'no route', params: () => ({ ip: '100.64.9.9' }), rc: 1, quick: false },
  { name: 'nic that does not exist', params: () => ({ ip: '198.51.100.20', nic: 'hqnone0', cidr_netmask: '24' }), rc: 1, quick: false },
  { name: 'loopback address', params: () => ({ ip: '127.0.0.1' }), rc: 0, quick: false },
  { name: 'IPv6', params: () => ({ ip: '2001:db8::5', cidr_netmask: '64', nic: net.dev }), rc: 7, quick: false },
];

describe('IPaddr2 monitor: the quick way answers exactly as ip does', () => {
  for (const c of cases) {
    it(c.name, () => {
      const viaIp = monitor(c.params(), false);
      const viaQuick = monitor(c.params(), true);
      expect(viaIp.code, viaIp.stderr).toBe(c.rc);
      expect(viaQuick.code, viaQuick.stderr).toBe(viaIp.code);
      expect(viaQuick.reason).toBe(viaIp.reason);
      expect(viaIp.stderr).toContain('Internal Binding spawn_sync'); // the reference really ran ip
      expect(viaQuick.stderr.includes('Internal Binding spawn_sync')).toBe(!c.quick);
      const probe = [monitor(c.params(), false, true), monitor(c.params(), true, true)];
      expect(probe[1]?.code).toBe(probe[0]?.code);
    });
  }
});
