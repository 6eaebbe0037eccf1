import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBudget, marginFor, pollWithin, timeoutFromEnv } from '../../../src/ocf/budget';
import { createLogger, sinksFromEnv, type LogSinks } from '../../../src/ocf/log';
import { createRunner } from '../../../src/exec/run';

const sinks = (over: Partial<LogSinks>): LogSinks => ({
  tag: 'IPaddr2(vip)[42]', facility: undefined, logfile: undefined, debuglog: undefined, debug: false, tty: false,
  stderr: () => {}, now: () => new Date(2026, 10, 21, 9, 5, 7), syslog: () => {}, ...over,
});

describe('log (ocf_log compatible)', () => {
  it('tags messages agent(instance)[pid]', () => {
    const s = sinksFromEnv('IPaddr2', { OCF_RESOURCE_INSTANCE: 'vip' });
    expect(s.tag).toBe(`IPaddr2(vip)[${process.pid}]`);
    expect(sinksFromEnv('IPaddr2', { HA_LOGFACILITY: 'none' }).facility).toBeUndefined();
  });
  it('appends to HA_LOGFILE with the hadate stamp and level; debug only with HA_debug', () => {
    const f = join(mkdtempSync(join(tmpdir(), 'hk-log-')), 'ha.log');
    const log = createLogger(sinks({ logfile: f }));
    log.info('hello\nworld');
    log.debug('hidden');
    expect(readFileSync(f, 'utf8')).toBe('Nov 21 09:05:07 IPaddr2(vip)[42]:    INFO: hello world\n');
    const dbg = createLogger(sinks({ logfile: f, debug: true }));
    dbg.debug('shown');
    expect(readFileSync(f, 'utf8')).toContain('DEBUG: shown');
  });
  it('batches syslog lines per priority until flush', () => {
    const sent: string[] = [];
    const log = createLogger(sinks({ facility: 'daemon', syslog: (t, f, p, lines) => sent.push(`${t} ${f}.${p} ${lines.join('|')}`) }));
    log.warn('a');
    log.warn('b');
    log.err('c');
    expect(sent).toEqual([]);
    log.flush();
    expect(sent).toEqual(['IPaddr2(vip)[42] daemon.warning WARNING: a|WARNING: b', 'IPaddr2(vip)[42] daemon.err ERROR: c']);
  });
  it('writes to stderr when there is no facility and no log file', () => {
    const lines: string[] = [];
    createLogger(sinks({ stderr: (l) => lines.push(l) })).err('x');
    expect(lines).toEqual(['Nov 21 09:05:07 IPaddr2(vip)[42]: ERROR: x']);
  });
});

describe('budget', () => {
  it('takes CRM_meta_timeout in ms, else the action default, and keeps a margin', () => {
    expect(timeoutFromEnv({ OCF_RESKEY_CRM_meta_timeout: '20000' }, 5)).toBe(20000);
    expect(timeoutFromEnv({}, 5)).toBe(5000);
    expect(marginFor(20000)).toBe(1000);
    expect(marginFor(1000)).toBe(200);
    expect(marginFor(120000)).toBe(2000);
    let t = 0;
    const b = createBudget(20000, () => t);
    expect(b.remaining()).toBe(19000);
    t = 19500;
    expect(b.remaining()).toBe(0);
    expect(b.expired()).toBe(true);
  });
  it('pollWithin stops at the limit', async () => {
    const b = createBudget(10000);
    const t0 = Date.now();
    expect(await pollWithin(b, async () => undefined, { intervalMs: 20, limitMs: 150 })).toBeUndefined();
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});

describe('exec run', () => {
  const log = createLogger(sinks({}));
  it('passes arguments as data, never through a shell, with LC_ALL=C', async () => {
    const r = await createRunner({ budget: createBudget(10000), log }).run('printf', ['%s|%s', '$(echo hi)', '`id`; ls'], { env: { LC_ALL: 'de_DE' } });
    expect(r.stdout).toBe('$(echo hi)|`id`; ls');
    const e = await createRunner({ budget: createBudget(10000), log }).run('sh', ['-c', 'echo $LC_ALL']);
    expect(e.stdout.trim()).toBe('C');
  });
  it('reports a missing program as notFound (127)', async () => {
    const r = await createRunner({ budget: createBudget(10000), log }).run('/nonexistent/prog', []);
    expect([r.code, r.notFound]).toEqual([127, true]);
  });
  it('kills a child that outlives the budget', async () => {
    const t0 = Date.now();
    const r = await createRunner({ budget: createBudget(1500), log }).run('sleep', ['30']);
    expect(r.timedOut).toBe(true);
    expect(Date.now() - t0).toBeLessThan(3000);
  });
  it('feeds stdin', async () => {
    const r = await createRunner({ budget: createBudget(5000), log }).run('cat', [], { input: 'abc' });
    expect(r.stdout).toBe('abc');
  });
});
