import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnBackground, spawnSyncLean, viaChildProcess, type SyncSpawnOptions } from '../../../src/exec/spawn-sync';

const base: SyncSpawnOptions = { env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', HK_X: 'a b;$(touch /tmp/hk-never)' }, timeoutMs: 5000, maxBuffer: 1024 * 1024 };

// Each case runs through the binding and through child_process.spawnSync: both must agree, field by field.
const cases: { name: string; file: string; args: string[]; opts?: Partial<SyncSpawnOptions>; expect: Record<string, unknown> }[] = [
  { name: 'exit status and stdout', file: 'sh', args: ['-c', 'echo out; echo err >&2; exit 3'], expect: { status: 3, signal: null, stdout: 'out\n', stderr: 'err\n', error: undefined } },
  { name: 'arguments are data', file: 'printf', args: ['%s|', '$(id)', '`id`', 'a;b', 'x\ny'], expect: { status: 0, stdout: '$(id)|`id`|a;b|x\ny|' } },
  { name: 'environment', file: 'sh', args: ['-c', 'printf %s "$HK_X"'], expect: { status: 0, stdout: 'a b;$(touch /tmp/hk-never)' } },
  { name: 'stdin from input', file: 'cat', args: [], opts: { input: 'line 1\nline 2\n' }, expect: { status: 0, stdout: 'line 1\nline 2\n' } },
  { name: 'stdin is /dev/null without input', file: 'cat', args: [], expect: { status: 0, stdout: '' } },
  { name: 'not found', file: 'hk-no-such-program', args: [], expect: { status: null, error: 'ENOENT' } },
  { name: 'killed by a signal', file: 'sh', args: ['-c', 'kill -TERM $$'], expect: { status: null, signal: 'SIGTERM', error: undefined } },
  { name: 'timeout kills with SIGKILL', file: 'sleep', args: ['5'], opts: { timeoutMs: 200 }, expect: { status: null, signal: 'SIGKILL', error: 'ETIMEDOUT' } },
  { name: 'output over maxBuffer', file: 'yes', args: [], opts: { maxBuffer: 4096 }, expect: { status: null, signal: 'SIGKILL', error: 'ENOBUFS' } },
];

describe('spawnSyncLean (spawn_sync binding)', () => {
  for (const c of cases) {
    it(`${c.name}: as expected and the same as child_process.spawnSync`, () => {
      const o = { ...base, ...c.opts };
      const lean = spawnSyncLean(c.file, c.args, o);
      const ref = viaChildProcess(c.file, c.args, o);
      expect(lean).toMatchObject(c.expect);
      const comparable = (r: typeof lean) => ({ ...r, stdout: c.name === 'output over maxBuffer' ? '' : r.stdout });
      expect(comparable(lean)).toEqual(comparable(ref));
    });
  }
  it('never ran anything through a shell', () => {
    expect(existsSync('/tmp/hk-never')).toBe(false);
  });
  it('starts a background child that outlives the call and returns its pid; a failure to start is reported', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hk-bg-'));
    const errors: string[] = [];
    const pid = spawnBackground('sh', ['-c', `sleep 0.2; echo done > ${dir}/f`], base.env, (e) => errors.push(e));
    expect(pid).toBeGreaterThan(1);
    expect(spawnBackground('hk-no-such-program', [], base.env, (e) => errors.push(e))).toBeUndefined();
    await new Promise((res) => setTimeout(res, 1500));
    expect(readFileSync(join(dir, 'f'), 'utf8')).toBe('done\n');
    expect(errors).toEqual([expect.stringContaining('ENOENT')]); // only the missing program, reported
  });
});
