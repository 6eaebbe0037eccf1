import { describe, expect, it } from 'vitest';
import { parseMountinfo } from '../../../agents/filesystem/parse-mountinfo';
import { findMountUsers, onTarget, procIdentity } from '../../../agents/filesystem/proc-users';

// Which paths count as "on exactly this mount": the mount holding the path must be the target, by mount id.
const table = parseMountinfo([
  '27 1 254:0 / / rw - ext4 /dev/vda rw',
  '40 27 254:0 /srv/src /srv/b1 rw - ext4 /dev/vda rw',
  '41 27 254:0 /srv/src /srv/b2 rw - ext4 /dev/vda rw',
  '42 40 0:50 / /srv/b1/sub rw - tmpfs tmpfs rw',
  '43 27 7:1 / /srv/stack rw - ext4 /dev/loop1 rw',
  '44 43 7:2 / /srv/stack rw - ext4 /dev/loop2 rw',
].join('\n'));
const q = (id: number, path: string) => ({ target: table.find((e) => e.id === id)!, path, entries: table, skip: new Set<number>() });

describe('onTarget', () => {
  it('a bind mount: its own paths only, not the other bind of the same source, not the source on /, not a sub-mount', () => {
    const b1 = q(40, '/srv/b1');
    expect(onTarget(b1, '/srv/b1')).toBe(true);
    expect(onTarget(b1, '/srv/b1/file')).toBe(true);
    expect(onTarget(b1, '/srv/b2/file')).toBe(false);
    expect(onTarget(b1, '/srv/src/file')).toBe(false);
    expect(onTarget(b1, '/srv/b1/sub/x')).toBe(false);
    expect(onTarget(b1, '/srv/b10')).toBe(false);
    expect(onTarget(b1, '/')).toBe(false);
    expect(onTarget(b1, undefined)).toBe(false);
  });
  it('stacked mounts: only the top one holds the paths', () => {
    expect(onTarget(q(44, '/srv/stack'), '/srv/stack/f')).toBe(true);
    expect(onTarget(q(43, '/srv/stack'), '/srv/stack/f')).toBe(false);
  });
  it('the parent mount is not the child: paths of / never count for /srv/b1/sub', () => {
    expect(onTarget(q(42, '/srv/b1/sub'), '/srv/b1/other')).toBe(false);
    expect(onTarget(q(42, '/srv/b1/sub'), '/srv/b1/sub/a')).toBe(true);
  });
});

describe('the /proc walk on this host', () => {
  it('finds no user of a mount point nobody can reach, and reads its own identity', () => {
    expect(findMountUsers(q(40, '/srv/hk-fs-unit-nowhere'))).toEqual([]);
    expect(procIdentity(process.pid)?.comm).toMatch(/node|vitest/);
  });
});
