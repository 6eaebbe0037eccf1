import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAgentBinary } from '../../helpers/run-agent';
import {
  call, createInstance, destroyInstance, HAKIT_APACHE, instancePids, PROBE, RECURRING, UPSTREAM_APACHE, type TestInstance,
} from './helpers';

// The same cases against ocf:heartbeat:apache and ocf:hakit:apache, on the same real apache2 instances; the
// asserted codes are the table in docs/apache.md ("Exit codes compared with upstream").
const insts: TestInstance[] = [];
let plain: TestInstance;
let denied: TestInstance;
let tls: TestInstance;
let syntax: TestInstance;

beforeAll(() => {
  plain = createInstance({ name: 'up-plain', port: 18475 });
  denied = createInstance({ name: 'up-denied', port: 18476, denied: true });
  tls = createInstance({ name: 'up-tls', port: 18477, https: true });
  syntax = createInstance({ name: 'up-syntax', port: 18478, syntaxError: true });
  insts.push(plain, denied, tls, syntax);
});
afterAll(() => {
  for (const i of insts) destroyInstance(i);
});

const AGENTS = [['upstream', UPSTREAM_APACHE], ['hakit', HAKIT_APACHE]] as const;

describe.each(AGENTS)('%s: the cases where both agree', (_label, agent) => {
  it('probe stopped 7, start 0, start again 0, monitor 0, stop 0, stop again 0, probe 7', () => {
    expect(call(agent, 'monitor', plain, {}, PROBE).code).toBe(7);
    expect(call(agent, 'start', plain).code).toBe(0);
    expect(call(agent, 'start', plain).code).toBe(0);
    expect(call(agent, 'monitor', plain, {}, RECURRING).code).toBe(0);
    expect(call(agent, 'stop', plain).code).toBe(0);
    expect(instancePids(plain)).toEqual([]);
    expect(call(agent, 'stop', plain).code).toBe(0);
    expect(call(agent, 'monitor', plain, {}, PROBE).code).toBe(7);
  });
  it('missing configfile: start 5, probe 7, stop 0', () => {
    const p = { configfile: '/tmp/hk-ap-none/apache2.conf' };
    expect(call(agent, 'start', plain, p).code).toBe(5);
    expect(call(agent, 'monitor', plain, p, PROBE).code).toBe(7);
    expect(call(agent, 'stop', plain, p).code).toBe(0);
  });
  it('statusurl answering 404: start 1 and nothing left running', () => {
    expect(call(agent, 'start', plain, { statusurl: 'http://127.0.0.1:18475/no-such-page' }).code).toBe(1);
    expect(instancePids(plain)).toEqual([]);
  });
  it('depth 10 without a test: 6', () => {
    expect(call(agent, 'start', plain).code).toBe(0);
    expect(call(agent, 'monitor', plain, {}, { ...RECURRING, OCF_CHECK_LEVEL: '10' }).code).toBe(6);
    expect(call(agent, 'stop', plain).code).toBe(0);
  });
});

describe('where they differ (on purpose)', () => {
  it('server-status denied: upstream never reads mods-enabled/status.conf and passes on the index page (0); hakit 1', () => {
    expect(call(UPSTREAM_APACHE, 'start', denied).code).toBe(0);
    expect(call(UPSTREAM_APACHE, 'stop', denied).code).toBe(0);
    const r = call(HAKIT_APACHE, 'start', denied);
    expect(r.code).toBe(1);
    expect(r.reason).toMatch(/denied \(HTTP 403\).*<Location \/server-status>/);
    expect(instancePids(denied)).toEqual([]);
  });

  it('https status URL with a self-signed certificate: upstream (wget) 1, hakit 0', () => {
    const url = { statusurl: `https://127.0.0.1:${tls.port}/server-status` };
    const st = call(HAKIT_APACHE, 'start', tls);
    expect(st.reason ?? '').toBe('');
    expect(st.code).toBe(0);
    expect(call(UPSTREAM_APACHE, 'monitor', tls, url, RECURRING).code).toBe(1);
    expect(call(HAKIT_APACHE, 'monitor', tls, url, RECURRING).code).toBe(0);
    expect(call(HAKIT_APACHE, 'stop', tls).code).toBe(0);
  });

  it('a syntax error: upstream polls until Pacemaker kills it (no answer); hakit 6 at once', () => {
    const env = { OCF_RESOURCE_INSTANCE: 'up-syntax', HA_VARRUN: `${syntax.dir}/run`, HA_RSCTMP: `${syntax.dir}/run`,
      OCF_RESKEY_CRM_meta_timeout: '6000' };
    const t = Date.now();
    const up = runAgentBinary(UPSTREAM_APACHE, 'start', syntax.params, env, { timeoutMs: 6000 });
    expect(Date.now() - t).toBeGreaterThanOrEqual(5900);
    expect(up.code).toBe(128); // killed at the timeout, as Pacemaker would
    const ours = call(HAKIT_APACHE, 'start', syntax, {}, { OCF_RESKEY_CRM_meta_timeout: '6000' });
    expect(ours.code).toBe(6);
    expect(ours.ms).toBeLessThan(3000);
    expect(instancePids(syntax)).toEqual([]);
  });
});

describe('ocf-tester', () => {
  it('passes for ocf:hakit:apache', async () => {
    const i = plain;
    // asynchronous: ocf-tester runs for a while and the test worker must keep answering vitest meanwhile
    const r = await promisify(execFile)('/usr/sbin/ocf-tester', ['-n', 'hk-ap-ocft', '-o', `configfile=${i.params.configfile}`,
      '-o', `envfiles=${i.params.envfiles}`, HAKIT_APACHE],
    { encoding: 'utf8', timeout: 300_000, env: { ...process.env, HA_RSCTMP: `${i.dir}/run` } });
    expect(r.stdout + r.stderr).toMatch(/passed all tests/);
    expect(instancePids(i)).toEqual([]);
  });
});
