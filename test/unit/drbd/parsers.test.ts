import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEvents2 } from '../../../agents/drbd/parse-events2';
import { parseProcDrbd, stateFromProc } from '../../../agents/drbd/parse-proc-drbd';
import {
  dumpAllowsTwoPrimaries, parseDrbdadmVersion, parseScore, versionCode, versionString,
} from '../../../agents/drbd/parse-tools';
import { parseLocateXml } from '../../../agents/drbd/parse-locate';
import { summarizeState } from '../../../agents/drbd/state';
import { FIX, fixture, locateXml } from './stub';

describe('parseProcDrbd: the seed documents\' real /proc/drbd samples', () => {
  it.each([
    ['8.2.6-connected-both-inconsistent.txt', '8.2.6', 0, 'Connected', 'Secondary', 'Secondary', 'Inconsistent', 'Inconsistent', undefined],
    ['8.2.6-syncsource.txt', '8.2.6', 0, 'SyncSource', 'Primary', 'Secondary', 'UpToDate', 'Inconsistent', 4.0],
    ['8.2.6-primary-uptodate.txt', '8.2.6', 0, 'Connected', 'Primary', 'Secondary', 'UpToDate', 'UpToDate', undefined],
    ['8.2.6-dual-primary.txt', '8.2.6', 0, 'Connected', 'Primary', 'Primary', 'UpToDate', 'UpToDate', undefined],
    ['8.3.11-connected-both-inconsistent.txt', '8.3.11', 0, 'Connected', 'Secondary', 'Secondary', 'Inconsistent', 'Inconsistent', undefined],
    ['8.3.11-syncsource.txt', '8.3.11', 0, 'SyncSource', 'Primary', 'Secondary', 'UpToDate', 'Inconsistent', 0.2],
    ['8.3.11-secondary-uptodate.txt', '8.3.11', 0, 'Connected', 'Secondary', 'Primary', 'UpToDate', 'UpToDate', undefined],
    ['8.4.2-connected-both-inconsistent.txt', '8.4.2', 1, 'Connected', 'Secondary', 'Secondary', 'Inconsistent', 'Inconsistent', undefined],
    ['8.4.2-synctarget.txt', '8.4.2', 1, 'SyncTarget', 'Secondary', 'Primary', 'Inconsistent', 'UpToDate', 88.8],
    ['8.4.2-secondary-uptodate.txt', '8.4.2', 1, 'Connected', 'Secondary', 'Primary', 'UpToDate', 'UpToDate', undefined],
    ['8.4.11-real-primary-wfconnection.txt', '8.4.11', 0, 'WFConnection', 'Primary', 'Unknown', 'UpToDate', 'DUnknown', undefined],
  ])('%s', (file, version, minor, cs, role, peerRole, disk, peerDisk, synced) => {
    const p = parseProcDrbd(fixture(`proc/${file}`));
    expect(p.version).toBe(version);
    expect(p.minors).toHaveLength(1);
    expect(p.minors[0]).toMatchObject({ minor, cs, role, peerRole, disk, peerDisk, syncedPercent: synced });
  });

  it('reads oos and the module version without any resource', () => {
    expect(parseProcDrbd(fixture('proc/8.4.2-synctarget.txt')).minors[0]?.outOfSyncKiB).toBe(5892828);
    const none = parseProcDrbd(fixture('proc/8.3.11-no-resources.txt'));
    expect(none).toMatchObject({ version: '8.3.11', api: 'api:88/proto:86-96', minors: [] });
  });

  it('an Unconfigured minor is not running', () => {
    const p = parseProcDrbd(fixture('proc/8.3.11-unconfigured.txt'));
    expect(p.minors[0]).toMatchObject({ minor: 0, cs: 'Unconfigured', role: undefined });
    expect(stateFromProc(p, [0]).role).toBe('Unconfigured');
  });

  it.each([
    ['8.4.2-synctarget.txt', [1], 'Secondary', { diskAllUpToDate: false, somePeerAllUpToDate: true, somePeerPrimary: true }],
    ['8.2.6-syncsource.txt', [0], 'Primary', { diskAllUpToDate: true, somePeerAllUpToDate: false, pdskAnyUnknown: false }],
    ['8.4.2-connected-both-inconsistent.txt', [1], 'Secondary', { diskAllConsistent: false, somePeerAllUpToDate: false }],
    ['8.4.2-secondary-uptodate.txt', [0], 'Unconfigured', { configured: false }], // minor 0 is not this resource's
  ])('stateFromProc %s minors %j → %s', (file, minors, role, flags) => {
    const st = stateFromProc(parseProcDrbd(fixture(`proc/${file}`)), minors);
    expect(st.role).toBe(role);
    expect(summarizeState(st)).toMatchObject(flags);
  });
});

describe('parseEvents2 (drbd-utils events2 format)', () => {
  it('reads resource, connection, device and peer-device lines of the resource only', () => {
    const st = parseEvents2(fixture('events2/v9-other-resources.txt'), 'r0');
    expect(st.role).toBe('Secondary');
    expect(st.volumes).toEqual([{ volume: 0, minor: 0, disk: 'UpToDate', client: false, quorum: true }]);
    expect(st.peers).toHaveLength(1);
    expect(st.peers[0]).toMatchObject({ id: '1', name: 'node-b', connection: 'Connected', role: 'Secondary' });
  });

  it('reads resync progress, quorum, clients and several volumes', () => {
    expect(parseEvents2(fixture('events2/v9-secondary-synctarget.txt'), 'r0').peers[0]?.volumes[0]).toMatchObject({
      replication: 'SyncTarget', peerDisk: 'UpToDate', donePercent: 42.17,
    });
    expect(parseEvents2(fixture('events2/v9-no-quorum.txt'), 'r0').volumes[0]?.quorum).toBe(false);
    const client = parseEvents2(fixture('events2/v9-diskless-client.txt'), 'r0');
    expect(client.volumes[0]).toMatchObject({ disk: 'Diskless', client: true });
    expect(client.peers.map((p) => p.name)).toEqual(['node-a', 'node-b']);
    const two = parseEvents2(fixture('events2/v9-two-volumes-mixed.txt'), 'r0');
    expect(two.volumes.map((v) => v.disk)).toEqual(['UpToDate', 'Inconsistent']);
    expect(two.peers[0]?.volumes.map((v) => v.replication)).toEqual(['Established', 'SyncTarget']);
  });

  it.each([
    ['empty.txt', 'r0'],
    ['v9-primary-uptodate-connected.txt', 'r9'],
  ])('%s for %s → Unconfigured', (file, res) => {
    expect(parseEvents2(fixture(`events2/${file}`), res)).toMatchObject({ role: 'Unconfigured', volumes: [], peers: [] });
  });

  it.each([
    ['real84-primary-disconnected', 'Primary'],
    ['real84-secondary-disconnected', 'Secondary'],
  ])('recorded on the real 8.4 kernel: %s', (name, role) => {
    const st = parseEvents2(fixture(`events2/${name}.txt`), 'r0');
    expect(st).toMatchObject({ role, volumes: [{ volume: 0, minor: 0, disk: 'UpToDate', client: false, quorum: undefined }] });
    expect(st.peers).toEqual([{ id: '0', name: 'peer', connection: 'Connecting', role: 'Unknown', volumes: [
      { volume: 0, replication: 'Off', peerDisk: 'DUnknown', peerClient: false, donePercent: undefined }] }]);
    expect(summarizeState(st)).toMatchObject({ haveQuorum: true, pdskAnyUnknown: true, somePeerPrimary: false, standAlonePeers: [] });
  });

  it('8.4-style lines without peer-node-id still pair connection and peer-device', () => {
    const st = parseEvents2(
      'exists resource name:r0 role:Primary suspended:no\n' +
        'exists connection name:r0 connection:Connected role:Secondary\n' +
        'exists device name:r0 volume:0 minor:0 disk:UpToDate\n' +
        'exists peer-device name:r0 volume:0 replication:Established peer-disk:UpToDate resync-suspended:no\n' +
        'exists -\n',
      'r0',
    );
    expect(st.peers).toHaveLength(1);
    expect(summarizeState(st)).toMatchObject({ primary: true, diskAllUpToDate: true, pdskAllUpToDate: true, haveQuorum: true });
  });

  it('ignores anything after "exists -" and non-snapshot lines', () => {
    const st = parseEvents2('change resource name:r0 role:Primary\nexists -\nexists resource name:r0 role:Primary\n', 'r0');
    expect(st.role).toBe('Unconfigured');
  });
});

describe('real recordings from the VM kit (test/fixtures/drbd/real)', () => {
  const dir = join(FIX, 'real');
  const files = existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String) : [];
  // the kit's hk-record names them <step>.<node>.events2-res.out / .events2.out / .proc-drbd.out
  const nonEmpty = (f: string) => fixture(`real/${f}`).trim() !== '';
  const events = files.filter((f) => /events2(-res)?\.(out|txt)$/.test(f) && nonEmpty(f));
  const procs = files.filter((f) => /proc-drbd\.(out|txt)$/.test(f) && nonEmpty(f));
  it('the folder is read (recordings are added as the VM suite produces them)', () => {
    expect(Array.isArray(files)).toBe(true);
  });
  it.each(events.map((f) => [f]))('events2 %s parses to a known role', (f) => {
    const text = fixture(`real/${f}`);
    const res = /^exists resource name:(\S+)/m.exec(text)?.[1] ?? 'r0';
    const st = parseEvents2(text, res);
    const line = text.split('\n').find((l) => l.startsWith(`exists resource name:${res} `));
    const role = line ? /role:(\S+)/.exec(line)?.[1] : undefined;
    expect(st.role).toBe(role ?? 'Unconfigured');
    const devices = text.split('\n').filter((l) => l.startsWith(`exists device name:${res} `));
    expect(st.volumes.map((v) => v.disk)).toEqual(devices.map((l) => /disk:(\S+)/.exec(l)?.[1]));
    const conns = text.split('\n').filter((l) => l.startsWith(`exists connection name:${res} `));
    expect(st.peers.length).toBeGreaterThanOrEqual(conns.length === 0 ? 0 : 1);
  });
  it.each(procs.map((f) => [f]))('/proc/drbd %s parses a version', (f) => {
    expect(parseProcDrbd(fixture(`real/${f}`)).version).toMatch(/^8\.4\.\d+$/);
  });
});

describe('tool outputs', () => {
  it('drbdadm --version', () => {
    expect(parseDrbdadmVersion('DRBDADM_VERSION_CODE=0x091600\nDRBD_KERNEL_VERSION_CODE=0x08040b\n')).toEqual({ kernel: 0x08040b, utils: 0x091600 });
    // this host: utils without a loaded module
    expect(parseDrbdadmVersion('DRBD_KERNEL_VERSION_CODE=0x000000\nDRBD_KERNEL_VERSION=0\nDRBDADM_VERSION_CODE=0x091600\n').kernel).toBeUndefined();
    expect(versionString(0x08040b)).toBe('8.4.11');
    expect(versionCode('9.2.12')).toBe(0x09020c);
    expect(versionCode('x.y')).toBeUndefined();
  });

  it.each([
    ['  net {\n    allow-two-primaries yes;\n  }', true],
    ['\tallow-two-primaries;', true],
    ['    allow-two-primaries no;', false],
    ['    # allow-two-primaries yes;', false],
    ['', false],
  ])('dump %j allows two primaries: %s', (dump, want) => {
    expect(dumpAllowsTwoPrimaries(dump)).toBe(want);
  });

  it('crm_resource --locate XML (Pacemaker 2.1 format)', () => {
    expect(parseLocateXml(locateXml([['node-a', false], ['node-b', true]]))).toEqual({ nodes: ['node-a', 'node-b'], promoted: ['node-b'] });
    expect(parseLocateXml(locateXml([]))).toEqual({ nodes: [], promoted: [] });
    expect(parseLocateXml('resource p_drbd is running on: node-b Promoted')).toBeUndefined();
    expect(parseLocateXml('<pacemaker-result><nodes resource="x"><node state="promoted">n&amp;1</node></nodes></pacemaker-result>'))
      .toEqual({ nodes: ['n&1'], promoted: ['n&1'] });
  });

  it.each([['10000\n', 10000], ['', undefined], ['INFINITY', 1_000_000], ['-INFINITY', -1_000_000], ['abc', undefined]])(
    'crm_attribute -G -q %j → %s', (out, want) => {
      expect(parseScore(out)).toBe(want);
    },
  );
});
