import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spec } from '../../../agents/filesystem/spec';
import { runAgent } from '../../../src/ocf/index';
import { ROOT } from '../../helpers/dist';

const run = async (action: string, env: Record<string, string> = {}) => {
  let out = '';
  let err = '';
  const code = await runAgent(spec, action, env, { stdout: (s) => { out += s; }, stderr: (s) => { err += s; } });
  return { code, out, err };
};

describe('Filesystem meta-data and dispatch (no root)', () => {
  it('meta-data validates against the OCF 1.1 schemas and keeps every upstream parameter', async () => {
    const { code, out } = await run('meta-data');
    expect(code).toBe(0);
    for (const rng of [join(ROOT, 'test/fixtures/schemas/ocf-ra-api-1.1.rng'), '/usr/share/pcs/data/ocf-1.1.rng']) {
      const r = spawnSync('xmllint', ['--noout', '--relaxng', rng, '-'], { input: out, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
    }
    for (const name of ['device', 'directory', 'fstype', 'options', 'statusfile_prefix', 'run_fsck', 'fast_stop', 'force_clones',
      'force_unmount', 'term_signals', 'kill_signals', 'signal_delay']) {
      expect(out).toContain(`<parameter name="${name}"`);
    }
  });
  it('unknown action: 3 with a reason', async () => {
    const r = await run('no_cmd');
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/ocf-exit-reason:.*not implemented/);
  });
  it('validate-all: 6 without device, 6 for a relative directory, 0 for good values; probe without device: 7', async () => {
    expect((await run('validate-all', { OCF_RESKEY_directory: '/mnt/x' })).code).toBe(6);
    expect((await run('validate-all', { OCF_RESKEY_device: '/dev/x', OCF_RESKEY_directory: 'mnt' })).code).toBe(6);
    expect((await run('validate-all', { OCF_RESKEY_device: '/dev/x', OCF_RESKEY_directory: '/tmp/hk-fs-unit-nonexistent', OCF_RESKEY_fstype: 'ext4' })).code).toBe(0);
    expect((await run('monitor', { OCF_RESKEY_directory: '/mnt/x' })).code).toBe(7);
    expect((await run('stop', { OCF_RESKEY_directory: '/mnt/x' })).code).toBe(0);
  });
  it('validate-all: the clone guard (6 for ext4, 0 with force_clones or for gfs2) and an invalid depth', async () => {
    const base = { OCF_RESKEY_device: '/dev/x', OCF_RESKEY_directory: '/tmp/hk-fs-unit-nonexistent', OCF_RESKEY_CRM_meta_clone_max: '2' };
    expect((await run('validate-all', { ...base, OCF_RESKEY_fstype: 'ext4' })).code).toBe(6);
    expect((await run('validate-all', { ...base, OCF_RESKEY_fstype: 'ext4', OCF_RESKEY_force_clones: 'true' })).code).toBe(0);
    expect((await run('validate-all', { ...base, OCF_RESKEY_fstype: 'gfs2' })).code).toBe(0);
    expect((await run('validate-all', { ...base, OCF_RESKEY_fstype: 'gfs2', OCF_CHECK_LEVEL: '15' })).code).toBe(6);
  });
});
