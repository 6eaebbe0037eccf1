import { describe, expect, it } from 'vitest';
import { cloneVerdict, fsckWanted, isNetworkType, isNonBlockType, kernelSupports, kernelTypeFor } from '../../../agents/filesystem/fstypes';
import { parseDelay, parseForceUnmount, parseSignals } from '../../../agents/filesystem/signals';

describe('fsck policy (run_fsck)', () => {
  it.each([
    ['auto', 'ext2', true], ['auto', '', true], ['auto', 'ext4', false], ['auto', 'xfs', false], ['auto', 'nfs', false],
    ['force', 'xfs', true], ['no', 'ext2', false], ['auto', 'btrfs', true],
  ])('%s / %s -> %s', (mode, t, want) => expect(fsckWanted(mode, t)).toBe(want));
});

describe('clone guard', () => {
  it.each([
    ['ext4', false, false, 'refuse'], ['ext4', true, false, 'refuse'], ['ext4', false, true, 'warn'],
    ['xfs', false, false, 'refuse'], ['gfs2', false, false, 'ok'], ['ocfs2', false, false, 'ok'], ['nfs', false, false, 'ok'],
    ['btrfs', false, false, 'refuse'], ['btrfs', true, false, 'warn'], ['btrfs', false, true, 'warn'],
  ] as const)('%s ro=%s force=%s -> %s', (t, ro, force, want) => expect(cloneVerdict(t, ro, force)).toBe(want));
});

describe('types', () => {
  it('classifies', () => {
    expect(isNonBlockType('nfs4')).toBe(true);
    expect(isNonBlockType('none')).toBe(true);
    expect(isNonBlockType('ext4')).toBe(false);
    expect(isNetworkType('cifs')).toBe(true);
    expect(isNetworkType('gfs2')).toBe(false);
  });
  it('maps to the kernel name and reads /proc/filesystems', () => {
    expect(kernelTypeFor('fuse.sshfs')).toBe('fuse');
    expect(kernelTypeFor('efs')).toBe('nfs4');
    const pf = 'nodev\tsysfs\n\text4\nnodev\tfuse\n\txfs\n';
    expect(kernelSupports(pf, 'ext4')).toBe(true);
    expect(kernelSupports(pf, 'fuse')).toBe(true);
    expect(kernelSupports(pf, 'ext')).toBe(false);
    expect(kernelSupports(pf, 'btrfs')).toBe(false);
  });
});

describe('signals', () => {
  it('parses names and numbers', () => {
    expect(parseSignals('TERM', 't').map((s) => s.num)).toEqual([15]);
    expect(parseSignals(' SIGHUP  int 9 ', 't').map((s) => s.name)).toEqual(['SIGHUP', 'SIGINT', 'SIGKILL']);
  });
  it.each(['', 'FOO', '0', '65', '$(touch /tmp/x)', 'TERM;KILL'])('refuses %j', (raw) => {
    expect(() => parseSignals(raw, 'term_signals')).toThrow();
  });
  it('parses signal_delay', () => {
    expect(parseDelay('1')).toBe(1);
    expect(parseDelay('0.5')).toBe(0.5);
    expect(() => parseDelay('-1')).toThrow();
    expect(() => parseDelay('61')).toThrow();
    expect(() => parseDelay('1s')).toThrow();
  });
  it('reads force_unmount like upstream, with HEAD modifiers', () => {
    expect(parseForceUnmount('true')).toBe('true');
    expect(parseForceUnmount('yes')).toBe('true');
    expect(parseForceUnmount('safe')).toBe('safe');
    expect(parseForceUnmount('false')).toBe('false');
    expect(parseForceUnmount('move')).toBe('move');
    expect(parseForceUnmount('safe,move')).toBe('move');
    expect(parseForceUnmount('move,nomove')).toBe('safe');
    expect(parseForceUnmount('safe,noxargs')).toBe('safe');
    expect(parseForceUnmount('sfae')).toBeUndefined();
    expect(parseForceUnmount('safe,bogus')).toBeUndefined();
  });
});
