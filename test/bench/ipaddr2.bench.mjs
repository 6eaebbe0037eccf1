// IPaddr2: hakit vs ocf:heartbeat:IPaddr2 in one run, inside a network namespace made for the benchmark.
// Figures (issue 2): monitor (address present and absent) wall and CPU ≤ 1.0× upstream; meta-data ≤ 40 ms wall;
// peak RSS of any call ≤ 48 MiB.
import { execFileSync, spawnSync } from 'node:child_process';
import { compare, hakitAgent, ocfEnv, report, single, upstreamAgent } from './lib.mjs';

const sh = (...a) => execFileSync(a[0], a.slice(1), { stdio: 'ignore' });

export const run = async ({ n = 21 } = {}) => {
  const ns = `hkbench-ip-${process.pid}`;
  sh('ip', 'netns', 'add', ns);
  try {
    sh('ip', 'link', 'add', 'hkbip0', 'netns', ns, 'type', 'veth', 'peer', 'name', 'hkbip1', 'netns', ns);
    sh('ip', '-n', ns, 'link', 'set', 'hkbip0', 'up');
    sh('ip', '-n', ns, 'link', 'set', 'hkbip1', 'up');
    sh('ip', '-n', ns, 'addr', 'add', '198.51.100.1/24', 'dev', 'hkbip0');
    const results = [];
    const env = (ip, extra = {}) => ocfEnv({ ip, cidr_netmask: '24' }, { OCF_RESOURCE_INSTANCE: 'vip', OCF_RESKEY_CRM_meta_interval: '10000', OCF_RESKEY_CRM_meta_timeout: '20000', ...extra });
    sh('ip', '-n', ns, 'addr', 'add', '198.51.100.10/24', 'dev', 'hkbip0');
    for (const [label, ip, rc] of [['monitor, address present', '198.51.100.10', 0], ['monitor, address absent', '198.51.100.11', 7]]) {
      results.push(compare({
        name: label, n, netns: ns, expectRc: rc,
        a: { label: 'hakit', argv: [hakitAgent('IPaddr2'), 'monitor'], env: env(ip) },
        b: { label: 'heartbeat', argv: [upstreamAgent('heartbeat', 'IPaddr2'), 'monitor'], env: env(ip) },
      }));
    }
    results.push(compare({
      name: 'probe, address absent (no nic/netmask)', n, netns: ns, expectRc: 7,
      a: { label: 'hakit', argv: [hakitAgent('IPaddr2'), 'monitor'], env: ocfEnv({ ip: '198.51.100.12' }, { OCF_RESOURCE_INSTANCE: 'vip' }) },
      b: { label: 'heartbeat', argv: [upstreamAgent('heartbeat', 'IPaddr2'), 'monitor'], env: ocfEnv({ ip: '198.51.100.12' }, { OCF_RESOURCE_INSTANCE: 'vip' }) },
    }));
    results.push(compare({
      name: 'start+stop cycle (start measured)', n: 11, netns: ns, expectRc: 0,
      a: { label: 'hakit', argv: [hakitAgent('IPaddr2'), 'start'], env: env('198.51.100.20', { OCF_RESKEY_arp_bg: 'true' }), after: [[hakitAgent('IPaddr2'), 'stop']] },
      b: { label: 'heartbeat', argv: [upstreamAgent('heartbeat', 'IPaddr2'), 'start'], env: env('198.51.100.20', { OCF_RESKEY_arp_bg: 'true' }), after: [[upstreamAgent('heartbeat', 'IPaddr2'), 'stop']] },
    }));
    results.push(single({ name: 'meta-data', n, run: { label: 'hakit', argv: [hakitAgent('IPaddr2'), 'meta-data'], env: {} } }));
    results.push(single({ name: 'meta-data (upstream, for reference)', n, run: { label: 'heartbeat', argv: [upstreamAgent('heartbeat', 'IPaddr2'), 'meta-data'], env: ocfEnv({}) } }));
    for (const r of results) report(r);
    return results;
  } finally {
    spawnSync('ip', ['netns', 'del', ns]);
  }
};
