import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call, createInstance, destroyInstance, HAKIT_APACHE, httpStatus, instancePids, PROBE, RECURRING, type TestInstance,
} from './helpers';

// ocf:hakit:apache error paths with Debian's real apache2: exit codes and the reasons an operator reads.
const A = HAKIT_APACHE;
const insts: TestInstance[] = [];
const make = (o: Parameters<typeof createInstance>[0]) => {
  const i = createInstance(o);
  insts.push(i);
  return i;
};
let plain: TestInstance;

beforeAll(() => {
  plain = make({ name: 'fail-plain', port: 18465 });
});
afterAll(() => {
  for (const i of insts) destroyInstance(i);
  rmSync('/tmp/hk-ap-pwned', { force: true });
});

describe('configuration errors', () => {
  const missing = { configfile: '/tmp/hk-ap-nonexistent/apache2.conf' };
  it('a configfile that does not exist: start/validate-all 5, probe 7, recurring monitor 1, stop 0', () => {
    const s = call(A, 'start', plain, missing);
    expect(s.code).toBe(5);
    expect(s.reason).toMatch(/hk-ap-nonexistent\/apache2.conf not found/);
    expect(call(A, 'validate-all', plain, missing).code).toBe(5);
    expect(call(A, 'monitor', plain, missing, PROBE).code).toBe(7);
    expect(call(A, 'monitor', plain, missing, RECURRING).code).toBe(1);
    expect(call(A, 'stop', plain, missing).code).toBe(0);
  });

  it('a bad statusurl: start 1 with the HTTP answer in the reason, nothing left running', () => {
    const r = call(A, 'start', plain, { statusurl: `http://127.0.0.1:${plain.port}/no-such-page` });
    expect(r.code).toBe(1);
    expect(r.reason).toMatch(/no-such-page answered HTTP 404/);
    expect(instancePids(plain)).toEqual([]);
  });

  it('a statusurl that is not a URL: start 1', () => {
    const r = call(A, 'start', plain, { statusurl: 'not a url' });
    expect(r.code).toBe(1);
    expect(r.reason).toMatch(/not a valid URL/);
    expect(instancePids(plain)).toEqual([]);
  });

  it('a config with a syntax error: start 6 with httpd\'s config test message', () => {
    const bad = make({ name: 'fail-syntax', port: 18466, syntaxError: true });
    const r = call(A, 'start', bad);
    expect(r.code).toBe(6);
    expect(r.reason).toMatch(/Syntax error on line \d+ of \/tmp\/hk-ap-fail-syntax\/apache2.conf/);
    expect(r.reason).toMatch(/ThisIsNotADirective/);
    expect(instancePids(bad)).toEqual([]);
  });

  it('server-status denied (the seed\'s trap): start 1, the reason says so and names the Location to fix', () => {
    const denied = make({ name: 'fail-denied', port: 18467, denied: true });
    const r = call(A, 'start', denied);
    expect(r.code).toBe(1);
    expect(r.reason).toMatch(/denied \(HTTP 403\)/);
    expect(r.reason).toContain('<Location /server-status> at /tmp/hk-ap-fail-denied/mods-enabled/status.conf:1');
    expect(instancePids(denied)).toEqual([]);
  });

  it('depth 10 without testurl or testconffile: 6 (as upstream)', () => {
    expect(call(A, 'start', plain).code).toBe(0);
    const r = call(A, 'monitor', plain, {}, { ...RECURRING, OCF_CHECK_LEVEL: '10' });
    expect(r.code).toBe(6);
    expect(call(A, 'stop', plain).code).toBe(0);
  });

  it('blank testurl, bad regex, unbalanced options quote: validate-all 6', () => {
    expect(call(A, 'validate-all', plain, { testurl: '   ' }).code).toBe(6);
    expect(call(A, 'validate-all', plain, { testregex: '(' }).code).toBe(6);
    expect(call(A, 'validate-all', plain, { options: '-c "x' }).code).toBe(6);
    expect(call(A, 'validate-all', plain, { testconffile: '/tmp/hk-ap-nonexistent.conf' }).code).toBe(5);
  });
});

describe('HTTPS and redirects', () => {
  let tls: TestInstance;
  beforeAll(() => {
    tls = make({ name: 'https', port: 18470, https: true, redirectPort: 18471 });
  });
  it('start with a Listen ... https: the default status URL is https, self-signed certificate accepted', () => {
    const r = call(A, 'start', tls);
    expect(r.code).toBe(0);
    expect(httpStatus(`https://127.0.0.1:${tls.port}/server-status`)).toBe(200);
    expect(call(A, 'monitor', tls, {}, RECURRING).code).toBe(0);
  });
  it('a statusurl that redirects from http to https is followed', () => {
    expect(httpStatus(`http://127.0.0.1:18471/server-status`)).toBe(302);
    const r = call(A, 'monitor', tls, { statusurl: 'http://127.0.0.1:18471/server-status', testregex: 'Server uptime' }, RECURRING);
    expect(r.code).toBe(0);
  });
  it('a testregex that does not match: 1 with the reason', () => {
    const r = call(A, 'monitor', tls, { testregex: 'no-such-text-anywhere' }, RECURRING);
    expect(r.code).toBe(1);
    expect(r.reason).toMatch(/does not match/);
    expect(call(A, 'stop', tls).code).toBe(0);
  });
});

describe('depth 10 with a testconffile and basic auth', () => {
  let web: TestInstance;
  const conf = '/tmp/hk-ap-testconf.conf';
  beforeAll(() => {
    web = make({ name: 'depth10', port: 18472, auth: { user: 'alice', password: 's3cret' } });
    writeFileSync(conf, 'test good\n url /private/\n match secret-ok\n user alice\n password s3cret\nend\n' +
      'test wrongpw\n url /private/\n match secret-ok\n user alice\n password nope\nend\n');
    expect(call(A, 'start', web).code).toBe(0);
  });
  afterAll(() => {
    rmSync(conf, { force: true });
  });
  const d10 = { ...RECURRING, OCF_CHECK_LEVEL: '10' };
  it('the first test block passes with its credentials', () => {
    expect(httpStatus(`http://127.0.0.1:${web.port}/private/`)).toBe(401);
    expect(call(A, 'monitor', web, { testconffile: conf }, d10).code).toBe(0);
  });
  it('a wrong password: 1, the reason says the page is denied (401)', () => {
    const r = call(A, 'monitor', web, { testconffile: conf, testname: 'wrongpw' }, d10);
    expect(r.code).toBe(1);
    expect(r.reason).toMatch(/denied \(HTTP 401\)/);
  });
  it('testurl + testregex10 (relative URL, prefixed with the Listen address)', () => {
    expect(call(A, 'monitor', web, { testurl: '/', testregex10: 'hk-ap index' }, d10).code).toBe(0);
    expect(call(A, 'monitor', web, { testurl: '/', testregex10: 'absent' }, d10).code).toBe(1);
    expect(call(A, 'stop', web).code).toBe(0);
  });
});

describe('hostile parameter values never run anything', () => {
  const CANARY = '/tmp/hk-ap-pwned';
  // one value with every shell metacharacter form, and one 100 kB value
  const values = [`$(touch ${CANARY}) \`touch ${CANARY}\` ; touch ${CANARY} | touch ${CANARY} && touch ${CANARY}\ntouch ${CANARY}`,
    `/tmp/${'y'.repeat(100_000)}`];
  const names = ['configfile', 'httpd', 'options', 'statusurl', 'testregex', 'testurl', 'testregex10', 'envfiles', 'port',
    'testname', 'testconffile', 'client', 'use_ipv6'];
  it.each(names)('%s', (name) => {
    for (const v of values) {
      const p = { [name]: v };
      const env = { OCF_RESKEY_CRM_meta_timeout: '8000' };
      const runs = [call(A, 'validate-all', plain, p, env), call(A, 'monitor', plain, p, { ...env, ...PROBE })];
      const start = call(A, 'start', plain, p, env);
      runs.push(start);
      if (start.code === 0) runs.push(call(A, 'monitor', plain, p, { ...env, ...RECURRING, OCF_CHECK_LEVEL: '10' }));
      runs.push(call(A, 'stop', plain, p, env));
      for (const r of runs) {
        expect(r.stderr).not.toMatch(/\n\s+at \S+ \(/);
        expect([0, 1, 5, 6, 7]).toContain(r.code);
      }
      expect(existsSync(CANARY)).toBe(false);
      // whatever the value did, nothing of this instance may be left running
      expect(instancePids(plain)).toEqual([]);
    }
  });
  it('non-UTF-8 bytes in parameters', () => {
    const ocfParams = Object.fromEntries(Object.entries(plain.params).map(([k, v]) => [`OCF_RESKEY_${k}`, v]));
    for (const name of ['options', 'statusurl', 'configfile', 'testregex']) {
      const r = spawnSync('bash', ['-c', `export OCF_RESKEY_${name}=$'\\xff\\xfe$(touch ${CANARY})'; exec "$0" start`, A], {
        env: { ...process.env, ...ocfParams, OCF_ROOT: '/usr/lib/ocf', HA_RSCTMP: `${plain.dir}/run` } as NodeJS.ProcessEnv,
        encoding: 'latin1',
      });
      expect(existsSync(CANARY)).toBe(false);
      expect([0, 1, 5, 6]).toContain(r.status);
      spawnSync(A, ['stop'], { env: { ...process.env, ...ocfParams, HA_RSCTMP: `${plain.dir}/run` } });
    }
    expect(instancePids(plain)).toEqual([]);
  });
});
