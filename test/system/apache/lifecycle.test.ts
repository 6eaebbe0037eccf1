import { spawn } from 'node:child_process';
import { renameSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alive, call, createInstance, destroyInstance, HAKIT_APACHE, httpStatus, instancePids, masterPid, PROBE, RECURRING,
  startDirect, waitFor, type TestInstance,
} from './helpers';

// ocf:hakit:apache with Debian's real apache2: lifecycle, restarts, crashes, hangs, and a neighbour that must survive.
const A = HAKIT_APACHE;
let web: TestInstance;
let other: TestInstance;

beforeAll(() => {
  web = createInstance({ name: 'life', port: 18460 });
  other = createInstance({ name: 'neighbour', port: 18461 });
});
afterAll(() => {
  for (const i of [web, other]) if (i) destroyInstance(i);
});

describe('ocf:hakit:apache lifecycle (real apache2)', () => {
  it('probe of a stopped server: 7, no exit reason', () => {
    const r = call(A, 'monitor', web, {}, PROBE);
    expect(r.code).toBe(7);
    expect(r.reason).toBeUndefined();
  });

  it('validate-all: 0', () => {
    expect(call(A, 'validate-all', web).code).toBe(0);
  });

  it('start: 0, and the server-status page is served when start returns', () => {
    const r = call(A, 'start', web);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(0);
    expect(httpStatus(`http://127.0.0.1:${web.port}/server-status`)).toBe(200);
    expect(alive(masterPid(web))).toBe(true);
  });

  it('monitor (probe and recurring) and status: 0', () => {
    expect(call(A, 'monitor', web, {}, PROBE).code).toBe(0);
    expect(call(A, 'monitor', web, {}, RECURRING).code).toBe(0);
    expect(call(A, 'status', web).code).toBe(0);
  });

  it('double start: 0, same master', () => {
    const before = masterPid(web);
    expect(call(A, 'start', web).code).toBe(0);
    expect(masterPid(web)).toBe(before);
  });

  it('graceful restart (USR1) is not taken for a crash', () => {
    const pid = masterPid(web) as number;
    process.kill(pid, 'SIGUSR1');
    expect(call(A, 'monitor', web, {}, RECURRING).code).toBe(0);
    expect(masterPid(web)).toBe(pid);
  });

  it('a pidfile briefly missing: the recurring monitor waits for it, a probe does not', () => {
    const moved = `${web.pidFile}.away`;
    renameSync(web.pidFile, moved);
    const probe = call(A, 'monitor', web, {}, PROBE);
    expect(probe.code).toBe(7);
    // the file comes back after ~1 s (a child process: the agent call below blocks this one)
    spawn('sh', ['-c', `sleep 1 && mv ${moved} ${web.pidFile}`], { stdio: 'ignore' });
    const r = call(A, 'monitor', web, {}, RECURRING);
    expect(r.code).toBe(0);
    expect(r.ms).toBeGreaterThanOrEqual(900);
    expect(call(A, 'monitor', web, {}, RECURRING).code).toBe(0);
  });

  it('stop leaves an unrelated apache instance alone', () => {
    startDirect(other);
    expect(waitFor(() => httpStatus(`http://127.0.0.1:${other.port}/`) === 200)).toBe(true);
    const otherPids = instancePids(other);
    expect(otherPids.length).toBeGreaterThan(1);
    const r = call(A, 'stop', web);
    expect(r.code).toBe(0);
    expect(instancePids(web)).toEqual([]);
    expect(otherPids.every(alive)).toBe(true);
    expect(httpStatus(`http://127.0.0.1:${other.port}/`)).toBe(200);
  });

  it('double stop: 0; probe after stop: 7', () => {
    expect(call(A, 'stop', web).code).toBe(0);
    expect(call(A, 'monitor', web, {}, PROBE).code).toBe(7);
  });

  it('kill -9 of the master: monitor 7; stop reaps the orphaned children; start works again', () => {
    expect(call(A, 'start', web).code).toBe(0);
    const pid = masterPid(web) as number;
    const children = instancePids(web).filter((p) => p !== pid);
    expect(children.length).toBeGreaterThan(0);
    process.kill(pid, 'SIGKILL');
    expect(waitFor(() => !alive(pid))).toBe(true);
    expect(call(A, 'monitor', web, {}, RECURRING).code).toBe(7);
    expect(call(A, 'monitor', web, {}, PROBE).code).toBe(7);
    expect(call(A, 'stop', web).code).toBe(0);
    expect(waitFor(() => children.every((c) => !alive(c)))).toBe(true);
    expect(call(A, 'start', web).code).toBe(0);
    expect(call(A, 'monitor', web, {}, RECURRING).code).toBe(0);
  });

  it('SIGSTOPped server: the monitor fails within its timeout instead of hanging; stop still works', () => {
    const pid = masterPid(web) as number;
    const pids = instancePids(web);
    for (const p of pids) process.kill(p, 'SIGSTOP');
    const r = call(A, 'monitor', web, {}, { ...RECURRING, OCF_RESKEY_CRM_meta_timeout: '4000' });
    expect(r.code).toBe(1);
    expect(r.reason).toMatch(/no answer within/);
    expect(r.ms).toBeLessThan(4000);
    const s = call(A, 'stop', web, {}, { OCF_RESKEY_CRM_meta_timeout: '20000' });
    expect(s.code).toBe(0);
    expect(alive(pid)).toBe(false);
    expect(instancePids(web)).toEqual([]);
    expect(instancePids(other).length).toBeGreaterThan(1);
  });
});
