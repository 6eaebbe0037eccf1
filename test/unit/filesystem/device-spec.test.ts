import { describe, expect, it } from 'vitest';
import { bindRemountOptions, hasOption, mountSource, parseDevice, udevLinkFor } from '../../../agents/filesystem/device-spec';

describe('parseDevice', () => {
  it.each([
    ['-U 1234-abcd', 'UUID=1234-abcd'],
    ['-U1234', 'UUID=1234'],
    ['-L data', 'LABEL=data'],
    ['--uuid=u-1', 'UUID=u-1'],
    ['--uuid u-1', 'UUID=u-1'],
    ['--label=my data', 'LABEL=my data'],
    ['UUID=abc', 'UUID=abc'],
    ['LABEL="quoted"', 'LABEL=quoted'],
    ['PARTUUID=p1', 'PARTUUID=p1'],
    ['/dev/drbd0', '/dev/drbd0'],
    ['server:/export', 'server:/export'],
    ['//srv/share', '//srv/share'],
  ])('%s -> %s', (raw, source) => {
    const d = parseDevice(raw);
    expect(d.kind).not.toBe('invalid');
    if (d.kind !== 'invalid') expect(mountSource(d)).toBe(source);
  });

  it.each(['', '   ', '-o exec', '--bind', '-U', '-U -x', 'UUID=', '/dev/a\n/dev/b', 'LABEL=a/b'])('refuses %j', (raw) => {
    expect(parseDevice(raw).kind).toBe('invalid');
  });

  it('gives the udev link of a tag, escaped as udev does', () => {
    const d = parseDevice('-L my data');
    expect(d.kind === 'tag' && udevLinkFor(d)).toBe('/dev/disk/by-label/my\\x20data');
    const u = parseDevice('UUID=ab-12');
    expect(u.kind === 'tag' && udevLinkFor(u)).toBe('/dev/disk/by-uuid/ab-12');
  });
});

describe('options', () => {
  it('finds whole options only', () => {
    expect(hasOption('bind,ro', 'ro')).toBe(true);
    expect(hasOption('errors=remount-ro', 'ro')).toBe(false);
    expect(hasOption('noatime', 'bind')).toBe(false);
  });
  it('turns bind options into a bind remount (bare bind needs none)', () => {
    expect(bindRemountOptions('bind')).toBeUndefined();
    expect(bindRemountOptions('bind,ro')).toBe('remount,bind,ro');
    expect(bindRemountOptions('ro, bind ,noexec')).toBe('remount,bind,ro,noexec');
  });
});
