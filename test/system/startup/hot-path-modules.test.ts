// The agents' frequent calls stay lean: a monitor or probe of the built executable loads none of the modules that
// cost milliseconds and megabytes per call (child_process, net, tty and the stream modules they pull in).
// Processes are started through the spawn_sync binding (the drbd monitor's concurrent score read through process_wrap,
// src/exec/spawn-concurrent.ts), stdio written with write(2), apache's status checked over
// the tcp_wrap binding (src/exec/spawn-sync.ts, src/ocf/stdio.ts, src/net/stream-request.ts); a regression here
// shows up as a slower monitor in `npm run bench`.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createInstance, destroyInstance } from '../../fixtures/apache/instance.mjs';
import { agentPath, DIST, ROOT } from '../../helpers/dist';
import { createTestNet, type TestNet } from '../../helpers/netns';
import { runAgentBinary } from '../../helpers/run-agent';
import { BIN, events2, makeStub } from '../../unit/drbd/stub';

// vm: the router compiles a bundle through the contextify binding on the executable's runtime (src/main.ts)
const HEAVY = ['NativeModule child_process', 'NativeModule net', 'NativeModule tty', 'NativeModule stream', 'NativeModule dgram', 'NativeModule vm'];

const modules = (stderr: string): string[] => {
  const line = /^hakit-modules: (.*)$/m.exec(stderr)?.[1];
  if (!line) throw new Error(`no module list in stderr: ${stderr.slice(0, 300)}`);
  return line.split(',');
};

let net: TestNet;
beforeAll(() => {
  net = createTestNet('hm');
  net.sh(net.ns, 'ip', 'addr', 'add', '198.51.100.1/24', 'dev', net.dev);
  net.sh(net.ns, 'ip', 'addr', 'add', '198.51.100.7/24', 'dev', net.dev);
});
afterAll(() => net?.destroy());

const env = { HAKIT_DEBUG_MODULES: '1', OCF_RESKEY_CRM_meta_interval: '10000', OCF_RESKEY_CRM_meta_timeout: '20000' };

describe('hot paths load no heavy built-in modules', () => {
  it('IPaddr2 monitor (address present: 0, absent: 7), the quick way and through ip', () => {
    for (const [ip, rc] of [['198.51.100.7', 0], ['198.51.100.8', 7]] as const) {
      for (const quick of ['1', '0']) {
        const r = runAgentBinary(agentPath('IPaddr2'), 'monitor', { ip, cidr_netmask: '24' }, { ...env, HAKIT_IPADDR2_QUICK: quick }, { netns: net.ns });
        expect(r.code).toBe(rc);
        const loaded = modules(r.stderr);
        // through ip it did start ip, by the binding; the quick way starts nothing
        expect(loaded.includes('Internal Binding spawn_sync')).toBe(quick === '0');
        for (const m of HEAVY) expect(loaded).not.toContain(m);
      }
    }
  });
  it('IPaddr2 start with background ARPs (the sender started over process_wrap, not waited for), then stop', () => {
    const params = { ip: '198.51.100.9', cidr_netmask: '24', arp_bg: 'true', arp_count: '2' };
    const start = runAgentBinary(agentPath('IPaddr2'), 'start', params, { HAKIT_DEBUG_MODULES: '1', OCF_RESOURCE_INSTANCE: 'hot-vip' }, { netns: net.ns });
    try {
      expect(start.code, start.stderr).toBe(0);
      const loaded = modules(start.stderr);
      expect(loaded).toContain('Internal Binding process_wrap');
      for (const m of HEAVY) expect(loaded).not.toContain(m);
      expect(net.sh(net.ns, 'ip', '-o', 'addr', 'show', 'dev', net.dev)).toContain('198.51.100.9/24');
    } finally {
      expect(runAgentBinary(agentPath('IPaddr2'), 'stop', params, { OCF_RESOURCE_INSTANCE: 'hot-vip' }, { netns: net.ns }).code).toBe(0);
    }
  });
  it('Filesystem monitor of a directory that is not mounted (7), with an exit reason path that writes stderr', () => {
    const r = runAgentBinary(agentPath('Filesystem'), 'monitor', { device: '/dev/hk-none', directory: '/run/hk-hot-path-none', fstype: 'ext4' }, env);
    expect(r.code).toBe(7);
    for (const m of HEAVY) expect(modules(r.stderr)).not.toContain(m);
  });
  it('drbd probe and an invalid-parameter call that prints an exit reason', () => {
    const probe = runAgentBinary(agentPath('drbd'), 'monitor', { drbd_resource: 'hk-hot-none' }, { HAKIT_DEBUG_MODULES: '1', OCF_RESKEY_CRM_meta_interval: '0' });
    expect([7, 5]).toContain(probe.code);
    for (const m of HEAVY) expect(modules(probe.stderr)).not.toContain(m);
    const bad = runAgentBinary(agentPath('IPaddr2'), 'start', { ip: 'not-an-address' }, { HAKIT_DEBUG_MODULES: '1' });
    expect(bad.code).toBe(6);
    expect(bad.reason).toBeTruthy();
    for (const m of HEAVY) expect(modules(bad.stderr)).not.toContain(m);
  });
});

describe('drbd recurring monitor (stand-ins of test/fixtures/drbd/bin, recorded events2 output)', () => {
  it('reads the score over process_wrap while the state is read over spawn_sync; loads neither os nor the heavy modules', () => {
    const stub = makeStub({ 'drbdsetup.events2.out': events2('real84-secondary-connected'), score: '10000\n' });
    try {
      const r = runAgentBinary(agentPath('drbd'), 'monitor', { drbd_resource: 'r0', drbdconf: join(stub.dir, 'drbd.conf') }, {
        ...env, PATH: `${BIN}:/usr/sbin:/usr/bin:/sbin:/bin`, DRBD_STUB_DIR: stub.dir,
        HAKIT_DRBD_PROC_FILE: stub.procFile, OCF_RESOURCE_INSTANCE: 'p_drbd', OCF_RESKEY_CRM_meta_on_node: 'node-a',
      });
      expect(r.code, r.stderr).toBe(0);
      const loaded = modules(r.stderr);
      expect(loaded).toContain('Internal Binding process_wrap');
      expect(loaded).toContain('Internal Binding spawn_sync');
      for (const m of [...HEAVY, 'NativeModule os']) expect(loaded).not.toContain(m);
    } finally {
      stub.cleanup();
    }
  });
});

describe('apache monitor of a running server (Debian\'s apache2)', () => {
  it('the status URL is fetched over the tcp_wrap binding, for an IP literal and for localhost; a refused port too', () => {
    const inst = createInstance({ name: 'hot-path', port: 18479 });
    try {
      spawnSync('node', [join(ROOT, 'test', 'fixtures', 'apache', 'ctl.mjs'), 'start', inst.dir]);
      const run = (statusurl: string) => runAgentBinary(agentPath('apache'), 'monitor', { ...inst.params, statusurl },
        { ...env, OCF_RESOURCE_INSTANCE: 'hot-path', HA_VARRUN: `${inst.dir}/run`, HA_RSCTMP: `${inst.dir}/run` });
      for (const host of ['127.0.0.1', 'localhost']) {
        const r = run(`http://${host}:${inst.port}/server-status`);
        expect(r.code, r.stderr).toBe(0);
        const loaded = modules(r.stderr);
        expect(loaded).toContain('Internal Binding tcp_wrap');
        for (const m of HEAVY) expect(loaded).not.toContain(m);
      }
      // a port nobody listens on: the check fails the way node:net reports it (exit reason names the refusal)
      const refused = run('http://127.0.0.1:18498/server-status');
      expect(refused.code).toBe(1);
      expect(refused.reason).toMatch(/ECONNREFUSED 127\.0\.0\.1:18498/);
    } finally {
      destroyInstance(inst);
    }
  });
});

describe('code caches', () => {
  it('every agent and tool loads its bundle from the V8 code cache the build made (not rejected, not absent)', () => {
    for (const name of ['IPaddr2', 'Filesystem', 'apache', 'drbd']) {
      const r = runAgentBinary(agentPath(name), 'usage', {}, { HAKIT_DEBUG_CACHE: '1' });
      expect(r.stderr).toContain(`agent-${name}: code cache used`);
    }
    const tool = runAgentBinary(join(DIST, 'libexec', 'hakit', 'drbdsetup'), '--help', {}, { HAKIT_DEBUG_CACHE: '1' });
    expect(tool.stderr).toContain('tool-drbdsetup: code cache used');
  });
  it('NODE_OPTIONS from the environment is not applied (a --require of a missing file, a V8 flag): the agent answers, its cache is used', () => {
    const r = runAgentBinary(agentPath('IPaddr2'), 'usage', {}, { HAKIT_DEBUG_CACHE: '1', NODE_OPTIONS: '--require /nonexistent/hk-preload.js --max-lazy' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('agent-IPaddr2: code cache used');
    expect(r.stderr).not.toMatch(/hk-preload|Cannot find module/);
  });
  it('the router compiles a bundle through the contextify binding, or through node:vm (HAKIT_NODE_VM=1): the cache is used both ways', () => {
    for (const [extra, vm] of [[{}, false], [{ HAKIT_NODE_VM: '1' }, true]] as const) {
      const r = runAgentBinary(agentPath('IPaddr2'), 'usage', {}, { HAKIT_DEBUG_CACHE: '1', HAKIT_DEBUG_MODULES: '1', ...extra });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/usage/i);
      expect(r.stderr).toContain('agent-IPaddr2: code cache used');
      expect(modules(r.stderr).includes('NativeModule vm')).toBe(vm);
    }
  });
});

