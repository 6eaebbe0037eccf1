import { existsSync, readdirSync, rmSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, agentPath, upstreamAgentPath } from '../../helpers/dist';
import { createTestNet, type TestNet } from '../../helpers/netns';
import { runAgentBinary } from '../../helpers/run-agent';

// ocf:hakit:IPaddr2 against real interfaces in network namespaces, side by side with ocf:heartbeat:IPaddr2.
const AGENTS = { hakit: agentPath('IPaddr2'), heartbeat: upstreamAgentPath('heartbeat', 'IPaddr2') } as const;
type Which = keyof typeof AGENTS;
const VIP = '198.51.100.10';
const VIP6 = '2001:db8:10::10';
const RECURRING = { OCF_RESKEY_CRM_meta_interval: '10000', OCF_RESKEY_CRM_meta_timeout: '20000' };

let net: TestNet;
const call = (which: Which, action: string, params: Record<string, string>, env: Record<string, string> = {}) =>
  runAgentBinary(AGENTS[which], action, params, env, { netns: net.ns });
const addrs = (ns = net.ns) => net.sh(ns, 'ip', '-o', 'addr', 'show');
const clean = () => {
  spawnSync('ip', ['-n', net.ns, 'addr', 'flush', 'dev', net.dev]);
  net.sh(net.ns, 'ip', 'addr', 'add', '198.51.100.1/24', 'dev', net.dev);
  net.sh(net.ns, 'ip', 'addr', 'add', '2001:db8:10::1/64', 'dev', net.dev, 'nodad');
  spawnSync('ip', ['-n', net.peer, 'link', 'set', net.peerDev, 'up']);
};

// Runs `act` while a raw-socket sniffer in the peer namespace counts the announcements for `addr`.
const sniffDuring = async (mode: 'arp' | 'na', addr: string, act: () => void) => {
  const child = spawn('ip', ['netns', 'exec', net.peer, 'python3', join(ROOT, 'test/helpers/sniff.py'), mode, net.peerDev, addr, '2.5'],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => { out += d; });
  while (!out.includes('ready')) await new Promise((r) => setTimeout(r, 20));
  act();
  await once(child, 'close');
  const [count, mac] = out.replace('ready', '').trim().split(' ');
  return { count: Number(count), mac };
};

beforeAll(() => {
  net = createTestNet('ip');
  net.sh(net.peer, 'ip', 'addr', 'add', '198.51.100.2/24', 'dev', net.peerDev);
  net.sh(net.peer, 'ip', 'addr', 'add', '2001:db8:10::2/64', 'dev', net.peerDev, 'nodad');
  clean();
});
afterAll(() => net?.destroy());

describe.each(['hakit', 'heartbeat'] as const)('%s IPaddr2 lifecycle', (which) => {
  it('IPv4: probe 7, start 0, monitor 0, double start 0, stop 0, double stop 0, probe 7', () => {
    clean();
    const p = { ip: VIP, cidr_netmask: '24' };
    expect(call(which, 'monitor', p).code).toBe(7);
    expect(call(which, 'start', p).code).toBe(0);
    expect(addrs()).toContain(`${net.dev}    inet ${VIP}/24`);
    expect(call(which, 'monitor', p, RECURRING).code).toBe(0);
    expect(call(which, 'start', p).code).toBe(0);
    expect(call(which, 'stop', p).code).toBe(0);
    expect(addrs()).not.toContain(VIP);
    expect(call(which, 'stop', p).code).toBe(0);
    expect(call(which, 'monitor', p).code).toBe(7);
  });

  it('IPv4 with nic and prefix found from the routing table, and a dotted netmask', () => {
    clean();
    expect(call(which, 'start', { ip: VIP }).code).toBe(0);
    expect(addrs()).toContain(`${net.dev}    inet ${VIP}/24`);
    expect(call(which, 'stop', { ip: VIP }).code).toBe(0);
    expect(call(which, 'start', { ip: VIP, cidr_netmask: '255.255.255.0', nic: net.dev }).code).toBe(0);
    expect(addrs()).toContain(`${VIP}/24`);
    expect(call(which, 'stop', { ip: VIP, cidr_netmask: '255.255.255.0', nic: net.dev }).code).toBe(0);
    expect(addrs()).not.toContain(VIP);
  });

  it('IPv6 with duplicate address detection: start waits until the address is no longer tentative', () => {
    clean();
    const p = { ip: '2001:DB8:10:0::10', cidr_netmask: '64' };
    expect(call(which, 'start', p).code).toBe(0);
    const line = addrs().split('\n').find((l) => l.includes(VIP6)) ?? '';
    expect(line).toContain(`${VIP6}/64`);
    expect(line).not.toContain('tentative');
    expect(call(which, 'monitor', p, RECURRING).code).toBe(0);
    expect(call(which, 'stop', p).code).toBe(0);
    expect(addrs()).not.toContain(VIP6);
  });

  it('IPv6 duplicate address detection failure: start fails (1) and removes the address', () => {
    clean();
    net.sh(net.peer, 'ip', 'addr', 'add', '2001:db8:10::99/64', 'dev', net.peerDev, 'nodad');
    try {
      expect(call(which, 'start', { ip: '2001:db8:10::99', cidr_netmask: '64' }).code).toBe(1);
      expect(addrs()).not.toContain('2001:db8:10::99');
    } finally {
      net.sh(net.peer, 'ip', 'addr', 'del', '2001:db8:10::99/64', 'dev', net.peerDev);
    }
  });

  it('the same address on another interface is not running', () => {
    clean();
    const other = `${net.dev.slice(0, 9)}x`;
    net.sh(net.ns, 'ip', 'link', 'add', other, 'type', 'veth', 'peer', 'name', `${other}y`);
    try {
      net.sh(net.ns, 'ip', 'addr', 'add', `${VIP}/24`, 'dev', other);
      expect(call(which, 'monitor', { ip: VIP, cidr_netmask: '24', nic: net.dev }, RECURRING).code).toBe(7);
    } finally {
      net.sh(net.ns, 'ip', 'link', 'del', other);
    }
  });

  it('gratuitous ARPs are sent: the peer sees arp_count of them from the node\'s MAC', async () => {
    clean();
    const mac = net.sh(net.ns, 'cat', `/sys/class/net/${net.dev}/address`).trim();
    const p = { ip: VIP, cidr_netmask: '24', arp_bg: 'false', arp_count: '3', arp_interval: '100' };
    const seen = await sniffDuring('arp', VIP, () => expect(call(which, 'start', p).code).toBe(0));
    expect(seen.mac).toBe(mac);
    expect(seen.count).toBeGreaterThanOrEqual(3); // send_arp sends a request and a reply per round
    expect(call(which, 'stop', p).code).toBe(0);
  });

  it('gratuitous ARPs in the background (arp_bg): the peer sees them all; hakit\'s start does not wait for them', async () => {
    clean();
    const mac = net.sh(net.ns, 'cat', `/sys/class/net/${net.dev}/address`).trim();
    const p = { ip: VIP, cidr_netmask: '24', arp_bg: 'true', arp_count: '4', arp_interval: '300' };
    let ms = 0;
    const seen = await sniffDuring('arp', VIP, () => {
      const t0 = Date.now();
      expect(call(which, 'start', p).code).toBe(0);
      ms = Date.now() - t0;
    });
    // 4 rounds 300 ms apart take at least 900 ms. hakit's sender has its output on /dev/null; upstream's inherits
    // the agent's output pipes, so a caller that reads them to the end (as this runner does) waits for its ARPs.
    if (which === 'hakit') expect(ms).toBeLessThan(800);
    else expect(ms).toBeGreaterThanOrEqual(800);
    expect(seen.mac).toBe(mac);
    expect(seen.count).toBeGreaterThanOrEqual(4);
    expect(call(which, 'stop', p).code).toBe(0);
  });

  it('probe of an unroutable address is 7, a recurring monitor 1, stop 0; stop without ip is 0', () => {
    clean();
    expect(call(which, 'monitor', { ip: '203.0.113.5' }).code).toBe(7);
    expect(call(which, 'monitor', { ip: '203.0.113.5' }, RECURRING).code).toBe(1);
    expect(call(which, 'stop', { ip: '203.0.113.5' }).code).toBe(0);
    expect(call(which, 'stop', {}).code).toBe(0);
    expect(call(which, 'monitor', { ip: VIP, nic: 'nosuchnic0' }).code).toBe(7);
  });

  it('network_namespace: the agent runs on the host and manages the address inside the namespace', () => {
    clean();
    const host = (action: string) => runAgentBinary(AGENTS[which], action, { ip: VIP, cidr_netmask: '24', network_namespace: net.ns },
      {});
    expect(host('start').code).toBe(0);
    expect(addrs()).toContain(`${VIP}/24`);
    expect(host('monitor').code).toBe(0);
    expect(host('stop').code).toBe(0);
    expect(addrs()).not.toContain(VIP);
  });
});

describe('wrong parameters give the upstream agent\'s code and an exit reason', () => {
  const cases: Array<[string, Record<string, string>, Record<string, string>?]> = [
    ['bad IPv4 address', { ip: '198.51.100.300' }],
    ['prefix 33', { ip: VIP, cidr_netmask: '33' }],
    ['IPv6 prefix 129', { ip: VIP6, cidr_netmask: '129' }],
    ['missing NIC', { ip: VIP, nic: 'nosuchnic0' }],
    ['label too long', { ip: VIP, iflabel: 'averyverylonglabel' }],
    ['IPv4 with the IPv6-only lvs_ipv6_addrlabel', { ip: VIP, lvs_ipv6_addrlabel: 'true' }],
    ['IPv6 with the IPv4-only lvs_support', { ip: VIP6, lvs_support: 'true' }],
    ['link-local IPv6 without nic', { ip: 'fe80::10' }],
    ['bad broadcast', { ip: VIP, broadcast: '198.51.100' }],
    ['arp_count 0', { ip: VIP, arp_count: '0' }],
    ['empty preferred_lft', { ip: VIP6, preferred_lft: '' }],
    ['unique_clone_address without globally-unique', { ip: VIP, unique_clone_address: 'true' }],
    ['unknown arp_sender', { ip: VIP, arp_sender: 'carrier_pigeon' }],
    ['missing ip', {}],
  ];
  it.each(cases)('%s: start and validate-all 6 for both agents', (_name, params) => {
    clean();
    for (const which of ['hakit', 'heartbeat'] as const) {
      for (const action of ['validate-all', 'start']) {
        const r = call(which, action, params);
        expect([which, action, r.code]).toEqual([which, action, 6]);
        if (which === 'hakit') expect(r.reason).toBeTruthy();
      }
    }
    expect(addrs()).not.toContain(VIP);
  });

  it('a load-sharing clone (CLUSTERIP, removed from Linux) is refused with 6 and a reason that says why', () => {
    const r = call('hakit', 'start', { ip: VIP }, { OCF_RESKEY_CRM_meta_clone_max: '2', OCF_RESKEY_CRM_meta_clone: '0' });
    expect(r.code).toBe(6);
    expect(r.reason).toContain('CLUSTERIP');
  });
});

describe('hakit only (deliberate differences, listed in docs/ipaddr2.md)', () => {
  it('link down (no carrier) is not running, with a reason; upstream 4.12 still reports 0', () => {
    clean();
    const p = { ip: VIP, cidr_netmask: '24' };
    expect(call('hakit', 'start', p).code).toBe(0);
    net.sh(net.peer, 'ip', 'link', 'set', net.peerDev, 'down');
    try {
      const r = call('hakit', 'monitor', p, RECURRING);
      expect(r.code).toBe(7);
      expect(r.reason).toContain('link is down');
      expect(call('heartbeat', 'monitor', p, RECURRING).code).toBe(0);
      expect(call('hakit', 'stop', p).code).toBe(0);
      expect(addrs()).not.toContain(VIP);
      // start on a link without carrier refuses this node (5), leaving nothing behind
      const s = call('hakit', 'start', p);
      expect(s.code).toBe(5);
      expect(addrs()).not.toContain(VIP);
    } finally {
      net.sh(net.peer, 'ip', 'link', 'set', net.peerDev, 'up');
    }
  });

  it('unsolicited neighbour advertisements are sent for IPv6 (seen on the peer)', async () => {
    clean();
    const mac = net.sh(net.ns, 'cat', `/sys/class/net/${net.dev}/address`).trim();
    const p = { ip: VIP6, cidr_netmask: '64', nodad: 'true', arp_count: '3', arp_interval: '100' };
    const seen = await sniffDuring('na', VIP6, () => expect(call('hakit', 'start', p).code).toBe(0));
    expect(seen).toEqual({ count: 3, mac });
    expect(call('hakit', 'stop', p).code).toBe(0);
  });
});

describe('hakit IPaddr2 options', () => {
  it('iflabel, unique_clone_address, status, lvs_support, noprefixroute, flush_routes', () => {
    clean();
    expect(call('hakit', 'start', { ip: VIP, cidr_netmask: '24', iflabel: 'web' }).code).toBe(0);
    expect(addrs()).toContain(`${net.dev}:web`);
    const st = call('hakit', 'status', { ip: VIP, cidr_netmask: '24', iflabel: 'web' });
    expect([st.code, st.stdout]).toEqual([0, 'running\n']);
    expect(call('hakit', 'stop', { ip: VIP, cidr_netmask: '24', iflabel: 'web' }).code).toBe(0);
    expect(call('hakit', 'status', { ip: VIP, cidr_netmask: '24' }).stdout).toBe('stopped\n');

    const clone = { OCF_RESKEY_CRM_meta_clone: '1', OCF_RESKEY_CRM_meta_clone_max: '2', OCF_RESKEY_CRM_meta_globally_unique: 'true' };
    expect(call('hakit', 'start', { ip: VIP, cidr_netmask: '24', unique_clone_address: 'true' }, clone).code).toBe(0);
    expect(addrs()).toContain('198.51.100.12/24'); // .10 + clone 1 + 1
    expect(call('hakit', 'stop', { ip: VIP, cidr_netmask: '24', unique_clone_address: 'true' }, clone).code).toBe(0);
    expect(addrs()).not.toContain('198.51.100.12');

    net.sh(net.ns, 'ip', 'addr', 'add', `${VIP}/32`, 'dev', 'lo');
    expect(call('hakit', 'start', { ip: VIP, cidr_netmask: '24', lvs_support: 'true' }).code).toBe(0);
    expect(net.sh(net.ns, 'ip', '-o', 'addr', 'show', 'dev', 'lo')).not.toContain(VIP);
    expect(call('hakit', 'stop', { ip: VIP, cidr_netmask: '24', lvs_support: 'true' }).code).toBe(0);
    expect(net.sh(net.ns, 'ip', '-o', 'addr', 'show', 'dev', 'lo')).toContain(`${VIP}/32`);
    net.sh(net.ns, 'ip', 'addr', 'del', `${VIP}/32`, 'dev', 'lo');

    expect(call('hakit', 'start', { ip: '198.51.100.50', cidr_netmask: '24', noprefixroute: 'true' }).code).toBe(0);
    expect(addrs()).toMatch(/198\.51\.100\.50\/24 .*noprefixroute/);
    expect(call('hakit', 'stop', { ip: '198.51.100.50', cidr_netmask: '24', flush_routes: 'true' }).code).toBe(0);
  });

  it('stop and start refuse a non-root user (4); meta-data works for anyone', () => {
    const asNobody = (action: string) => spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', AGENTS.hakit, action],
      { env: { PATH: process.env.PATH, OCF_RESKEY_ip: VIP }, encoding: 'utf8' });
    expect(asNobody('start').status).toBe(4);
    expect(asNobody('stop').status).toBe(4);
    expect(asNobody('meta-data').status).toBe(0);
  });
});

describe('hostile parameter values never run anything and never produce a stack trace', () => {
  const marker = '/tmp/hk-ip-pwned';
  const values = [
    `$(touch ${marker})`, `\`touch ${marker}\``, `; touch ${marker}`, `${VIP}\naddress flush dev lo`, `${VIP} && touch ${marker}`,
    'A'.repeat(100_000), '-f', '--help', '../../../../etc/passwd',
  ];
  const params = ['ip', 'nic', 'cidr_netmask', 'broadcast', 'iflabel', 'send_arp_opts', 'arp_sender', 'arp_bg', 'preferred_lft', 'network_namespace', 'arp_count'];
  it.each(params)('in %s, for validate-all, monitor, start and stop', (param) => {
    clean();
    rmSync(marker, { force: true });
    for (const value of values) {
      for (const action of ['validate-all', 'monitor', 'start']) {
        const r = call('hakit', action, { ip: VIP, cidr_netmask: '24', [param]: value });
        expect(r.stderr, `${param}=${value.slice(0, 30)} ${action}`).not.toMatch(/\n\s+at /);
        expect([0, 1, 2, 4, 5, 6, 7]).toContain(r.code);
      }
    }
    const stop = call('hakit', 'stop', { ip: VIP, cidr_netmask: '24', [param]: values[0] as string });
    expect(stop.code).toBe(0);
    expect(call('hakit', 'stop', { ip: VIP, cidr_netmask: '24' }).code).toBe(0);
    expect(existsSync(marker)).toBe(false);
  });
  it('non-UTF-8 bytes in a parameter', () => {
    const r = spawnSync('ip', ['netns', 'exec', net.ns, 'bash', '-c', `OCF_RESKEY_ip=$'198.51.100.\\xff\\xfe' exec "$0" start`, AGENTS.hakit], { encoding: 'utf8' });
    expect(r.status).toBe(6);
    expect(r.stderr).toContain('ocf-exit-reason:IP address');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('ocf-tester (resource-agents)', () => {
  it('passes against the built agent', () => {
    clean();
    const r = spawnSync('ip', ['netns', 'exec', net.ns, 'ocf-tester', '-n', 'vip', '-o', `ip=${VIP}`, '-o', 'cidr_netmask=24', AGENTS.hakit], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toContain('passed all tests');
    expect(r.status).toBe(0);
    expect(readdirSync('/tmp').filter((f) => f === 'hk-ip-pwned')).toEqual([]);
  });
});
