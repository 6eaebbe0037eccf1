import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decodeMountField, isAtOrBelow, mountHolding, mountsBelow, parseMountinfo, parseMountinfoLine, topMountAt,
} from '../../../agents/filesystem/parse-mountinfo';
import { ROOT } from '../../helpers/dist';

// Recorded on the dev host with a loop ext4 at "/tmp/hk-fs-sp ace", a tmpfs below it, a bind mount of its
// data/ directory, a tab and a non-ASCII mount point, and two tmpfs stacked on one path.
const mixed = readFileSync(join(ROOT, 'test/fixtures/filesystem/mountinfo-mixed.txt'), 'latin1');

describe('parseMountinfo', () => {
  const entries = parseMountinfo(mixed);

  it('reads every line of a real table', () => {
    expect(entries.length).toBe(mixed.trim().split('\n').length);
    expect(entries.find((e) => e.mountPoint === '/')?.fstype).toBe('ext4');
  });

  it('decodes \\040 and \\011 and reads non-ASCII paths as UTF-8', () => {
    expect(entries.map((e) => e.mountPoint)).toEqual(expect.arrayContaining(['/tmp/hk-fs-sp ace', '/tmp/hk-fs-tab\tx', '/tmp/hk-fs-ü']));
  });

  it('keeps device numbers, root and source of a bind mount', () => {
    const bind = entries.find((e) => e.mountPoint === '/tmp/hk-fs-bind1');
    expect(bind).toMatchObject({ major: 7, minor: 0, root: '/data', source: '/dev/loop0', fstype: 'ext4' });
  });

  it('finds the top of stacked mounts', () => {
    expect(topMountAt(entries, '/tmp/hk-fs-bind2')?.source).toBe('tmpfs3');
    expect(topMountAt(entries, '/tmp/nothing-here')).toBeUndefined();
  });

  it('lists mounts below a directory, deepest first, without the directory itself', () => {
    expect(mountsBelow(entries, '/tmp/hk-fs-sp ace').map((e) => e.mountPoint)).toEqual(['/tmp/hk-fs-sp ace/sub']);
    expect(mountsBelow(entries, '/tmp/hk-fs-sp').length).toBe(0); // a prefix of a name is not "below"
  });

  it('tells which mount holds a path (longest mount point, top of a stack)', () => {
    expect(mountHolding(entries, '/tmp/hk-fs-sp ace/sub/x')?.fstype).toBe('tmpfs');
    expect(mountHolding(entries, '/tmp/hk-fs-sp ace/data/f')?.source).toBe('/dev/loop0');
    expect(mountHolding(entries, '/tmp/hk-fs-bind2/f')?.source).toBe('tmpfs3');
    expect(mountHolding(entries, '/etc/passwd')?.mountPoint).toBe('/');
  });
});

describe('parseMountinfoLine', () => {
  it('reads optional fields (shared/master) and the fields after the separator', () => {
    const e = parseMountinfoLine('36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 shared:7 - ext3 /dev/root rw,errors=continue');
    expect(e).toMatchObject({ id: 36, parentId: 35, major: 98, minor: 0, root: '/mnt1', mountPoint: '/mnt2', optional: ['master:1', 'shared:7'], fstype: 'ext3', source: '/dev/root', superOptions: 'rw,errors=continue' });
  });
  it('rejects malformed lines', () => {
    expect(parseMountinfoLine('garbage')).toBeUndefined();
    expect(parseMountinfoLine('1 2 x:y / / rw - ext4 /dev/a rw')).toBeUndefined();
    expect(parseMountinfoLine('1 2 7:0 / / rw ext4 /dev/a rw')).toBeUndefined();
  });
  it('decodes a backslash and a newline', () => {
    expect(decodeMountField('/a\\134b\\012c')).toBe('/a\\b\nc');
  });
});

describe('isAtOrBelow', () => {
  it.each([
    ['/a/b', '/a', true], ['/a', '/a', true], ['/ab', '/a', false], ['/a/b', '/', true], ['/', '/a', false],
  ])('%s under %s: %s', (p, d, want) => expect(isAtOrBelow(p, d)).toBe(want));
});
