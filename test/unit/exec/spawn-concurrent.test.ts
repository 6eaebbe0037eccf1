import { describe, expect, it } from 'vitest';
import { spawnConcurrent, spawnDetached } from '../../../src/exec/spawn-concurrent';
import { spawnSyncLean, type SyncSpawnOptions } from '../../../src/exec/spawn-sync';

const base: SyncSpawnOptions = { env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', HK_X: 'a b;$(touch /tmp/hk-never-c)' }, timeoutMs: 5000, maxBuffer: 1024 * 1024 };

// Each case through the concurrent spawn and through spawnSyncLean: both must agree, field by field.
const cases: { name: string; file: string; args: string[]; opts?: Partial<SyncSpawnOptions>; expect: Record<string, unknown> }[] = [
  { name: 'exit status, stdout and stderr', file: 'sh', args: ['-c', 'echo out; echo err >&2; exit 3'], expect: { status: 3, signal: null, stdout: 'out\n', stderr: 'err\n', error: undefined } },
  { name: 'arguments are data', file: 'printf', args: ['%s|', '$(id)', '`id`', 'a;b', 'x\ny'], expect: { status: 0, stdout: '$(id)|`id`|a;b|x\ny|' } },
  { name: 'environment', file: 'sh', args: ['-c', 'printf %s "$HK_X"'], expect: { status: 0, stdout: 'a b;$(touch /tmp/hk-never-c)' } },
  { name: 'stdin is /dev/null', file: 'cat', args: [], expect: { status: 0, stdout: '' } },
  { name: 'not found', file: 'hk-no-such-program', args: [], expect: { status: null, error: 'ENOENT' } },
  { name: 'killed by a signal', file: 'sh', args: ['-c', 'kill -TERM $$'], expect: { status: null, signal: 'SIGTERM', error: undefined } },
  { name: 'timeout kills with SIGKILL', file: 'sleep', args: ['5'], opts: { timeoutMs: 200 }, expect: { status: null, signal: 'SIGKILL', error: 'ETIMEDOUT' } },
  { name: 'output over maxBuffer', file: 'yes', args: [], opts: { maxBuffer: 4096 }, expect: { status: null, signal: 'SIGKILL', error: 'ENOBUFS' } },
  { name: 'output larger than a pipe buffer', file: 'head', args: ['-c', '300000', '/dev/zero'], expect: { status: 0, error: undefined } },
];

describe('spawnConcurrent (process_wrap binding)', () => {
  it('is available on this runtime', async () => {
    const p = spawnConcurrent('true', [], base);
    expect(p).toBeInstanceOf(Promise);
    expect(await p).toMatchObject({ status: 0 });
  });
  for (const c of cases) {
    it(`${c.name}: as expected and the same as spawnSyncLean`, async () => {
      const o = { ...base, ...c.opts };
      const r = await spawnConcurrent(c.file, c.args, o);
      const ref = spawnSyncLean(c.file, c.args, o);
      expect(r).toMatchObject(c.expect);
      const comparable = (x: typeof ref | undefined) => ({ ...x, stdout: c.name === 'output over maxBuffer' ? '' : x?.stdout });
      expect(comparable(r)).toEqual(comparable(ref));
    });
  }
  it('runs while this process does other work: two 0.3 s programs and a synchronous one take ~0.3 s, not 0.9', async () => {
    const t0 = Date.now();
    const a = spawnConcurrent('sleep', ['0.3'], base);
    const b = spawnConcurrent('sh', ['-c', 'sleep 0.3; echo b'], base);
    const c = spawnSyncLean('sh', ['-c', 'sleep 0.3; echo c'], base);
    const [ra, rb] = await Promise.all([a, b]);
    const ms = Date.now() - t0;
    expect([ra?.status, rb?.stdout, c.stdout]).toEqual([0, 'b\n', 'c\n']);
    expect(ms).toBeGreaterThanOrEqual(300);
    expect(ms).toBeLessThan(700);
  });
  it('never ran anything through a shell', async () => {
    const { existsSync } = await import('node:fs');
    expect(existsSync('/tmp/hk-never-c')).toBe(false);
  });
});

describe('spawnDetached (process_wrap binding, not waited for)', () => {
  it('returns at once with the pid of a program that goes on running, arguments and environment passed as data', async () => {
    const { existsSync, mkdtempSync, readFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'hk-detached-'));
    try {
      const out = join(dir, 'out');
      const t0 = Date.now();
      const r = spawnDetached('sh', ['-c', 'sleep 0.3; printf "%s|%s" "$1" "$HK_X" > "$2"', 'sh', 'a;$(id)', out], base.env);
      expect(Date.now() - t0).toBeLessThan(200);
      expect(r).toHaveProperty('pid');
      const pid = (r as { pid: number }).pid;
      expect(pid).toBeGreaterThan(1);
      expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]).toBe('sh');
      expect(existsSync(out)).toBe(false);
      for (let i = 0; i < 40 && !existsSync(out); i++) await new Promise((res) => setTimeout(res, 50));
      expect(readFileSync(out, 'utf8')).toBe('a;$(id)|a b;$(touch /tmp/hk-never-c)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('a program that is not there: its error name, nothing started', () => {
    expect(spawnDetached('hk-no-such-program', [], base.env)).toEqual({ error: 'ENOENT' });
  });
});
