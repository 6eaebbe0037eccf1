import { describe, expect, it } from 'vitest';
import { isTrue } from '../../../src/ocf/bool';
import { checkLevelFromEnv, isProbeCall, metaFromEnv } from '../../../src/ocf/env';
import { p, readParams } from '../../../src/ocf/params';

describe('ocf_is_true', () => {
  it.each(['yes', 'true', '1', 'YES', 'TRUE', 'True', 'ja', 'on', 'ON'])('%s is true', (v) => expect(isTrue(v)).toBe(true));
  it.each(['no', 'false', '0', 'Yes', 'tRuE', 'y', '', ' yes', 'enabled'])('%j is false', (v) => expect(isTrue(v)).toBe(false));
});

describe('readParams', () => {
  const defs = {
    s: p.string({ shortdesc: 's', longdesc: 'l', default: 'dflt' }),
    n: p.integer({ shortdesc: 's', longdesc: 'l', default: 5 }),
    b: p.boolean({ shortdesc: 's', longdesc: 'l', default: true }),
    mask: p.string({ shortdesc: 's', longdesc: 'l', aliases: ['netmask'] }),
  };
  it('applies defaults for unset values and keeps an explicit empty string', () => {
    const r = readParams(defs, { OCF_RESKEY_s: '' });
    expect(r.params).toEqual({ s: '', n: 5, b: true, mask: '' });
    expect(r.errors).toEqual([]);
  });
  it('reads legacy aliases and records which parameters were given', () => {
    const r = readParams(defs, { OCF_RESKEY_netmask: '24', OCF_RESKEY_b: 'no' });
    expect(r.params.mask).toBe('24');
    expect(r.params.b).toBe(false);
    expect([...r.given].sort()).toEqual(['b', 'mask']);
  });
  it('warns about an unusual boolean spelling and takes it as false', () => {
    const r = readParams(defs, { OCF_RESKEY_b: 'Yes' });
    expect(r.params.b).toBe(false);
    expect(r.warnings[0]).toContain('not a boolean spelling');
  });
  it('collects a bad integer as a ConfigError and falls back to the default', () => {
    const r = readParams(defs, { OCF_RESKEY_n: '$(reboot)' });
    expect(r.params.n).toBe(5);
    expect(r.errors.map((e) => [e.code, e.param])).toEqual([[6, 'n']]);
  });
});

describe('environment', () => {
  it('a monitor with interval 0 or no interval is a probe', () => {
    expect(isProbeCall('monitor', {})).toBe(true);
    expect(isProbeCall('monitor', { OCF_RESKEY_CRM_meta_interval: '0' })).toBe(true);
    expect(isProbeCall('monitor', { OCF_RESKEY_CRM_meta_interval: '10000' })).toBe(false);
    expect(isProbeCall('start', {})).toBe(false);
  });
  it('OCF_CHECK_LEVEL, also as OCF_RESKEY_OCF_CHECK_LEVEL', () => {
    expect(checkLevelFromEnv({})).toBe(0);
    expect(checkLevelFromEnv({ OCF_CHECK_LEVEL: '10' })).toBe(10);
    expect(checkLevelFromEnv({ OCF_RESKEY_OCF_CHECK_LEVEL: '20' })).toBe(20);
    expect(checkLevelFromEnv({ OCF_CHECK_LEVEL: 'x' })).toBeNaN();
  });
  it('reads promoted_max and falls back to the legacy master_max', () => {
    expect(metaFromEnv({ OCF_RESKEY_CRM_meta_master_max: '2' }, 1).promotedMax).toBe(2);
    expect(metaFromEnv({ OCF_RESKEY_CRM_meta_promoted_max: '1', OCF_RESKEY_CRM_meta_master_max: '2' }, 1).promotedMax).toBe(1);
    expect(metaFromEnv({ OCF_RESKEY_CRM_meta_notify: 'true', OCF_RESKEY_CRM_meta_clone_max: '3' }, 1)).toMatchObject({ notify: true, cloneMax: 3 });
  });
});
