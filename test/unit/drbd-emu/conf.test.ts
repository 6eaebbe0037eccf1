// The resource-file reader of drbdadm's fast path (drbd 8.4 syntax as the lab, the templates and the seed documents
// write it): what it understands, and that everything else is left to the real drbdadm-84 (Unsupported).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAdmArgs, inSync } from '../../../src/drbd-emu/adm-fast';
import { Unsupported } from '../../../src/drbd-emu/conf-parse';
import { loadResource } from '../../../src/drbd-emu/conf-resource';
import type { Snapshot } from '../../../src/drbd-emu/types';
import { labDrbdConf } from '../../../src/lab/drbd-setup';
import { renderDrbd } from '../../../src/templates/render-drbd';

const dir = mkdtempSync(join(tmpdir(), 'hk-adm-conf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (text: string, name = `c${n++}.conf`): string => { const f = join(dir, name); writeFileSync(f, text); return f; };
const HOSTS = `  on alpha { device /dev/drbd0 minor 0; disk /dev/vdb; address ipv4 10.0.0.1:7789; meta-disk internal; }
  on beta { device /dev/drbd0 minor 0; disk /dev/vdc; address ipv4 10.0.0.2:7789; meta-disk internal; }\n`;

describe('loadResource', () => {
  it('reads /etc/drbd.conf with its includes (glob, sorted), common merged under the resource options', () => {
    mkdirSync(join(dir, 'drbd.d'));
    file('global { usage-count no; udev-always-use-vnr; }\ncommon {\n\thandlers {\n\t}\n\tstartup {\n\t}\n\tnet { protocol A; max-buffers 2048; }\n\tdisk { on-io-error detach; }\n}\n', 'drbd.d/global_common.conf');
    file(`# a comment\nresource r0 {\n  net { protocol C; after-sb-0pri discard-zero-changes; }\n  disk { c-plan-ahead 0; resync-rate 16M; }\n  options { cpu-mask 1; }\n  handlers { split-brain "/usr/lib/drbd/notify-split-brain.sh root"; }\n${HOSTS}}\n`, 'drbd.d/r0.res');
    file('resource r1 {\n  on alpha { device /dev/drbd1 minor 1; disk /dev/vdd; address 10.0.0.1:7790; meta-disk internal; }\n  on beta { device /dev/drbd1 minor 1; disk /dev/vdd; address 10.0.0.2:7790; meta-disk internal; }\n}\n', 'drbd.d/r1.res');
    const top = file('include "drbd.d/global_common.conf";\ninclude "drbd.d/*.res";\n', 'drbd.conf');
    const r = loadResource(top, 'r0', 'beta');
    expect(r.self).toEqual({ name: 'beta', minor: 0, device: '/dev/drbd0', disk: '/dev/vdc', address: 'ipv4:10.0.0.2:7789', metaDisk: 'internal' });
    expect(r.peer.name).toBe('alpha');
    expect(r.net).toEqual({ protocol: 'C', 'max-buffers': '2048', 'after-sb-0pri': 'discard-zero-changes' });
    expect(r.disk).toEqual({ 'on-io-error': 'detach', 'c-plan-ahead': '0', 'resync-rate': '16M' });
    expect(r.options).toEqual({ 'cpu-mask': '1' });
    expect(r.handlers['split-brain']).toBe('/usr/lib/drbd/notify-split-brain.sh root');
    expect(r.file).toBe(join(dir, 'drbd.d', 'r0.res'));
    expect(loadResource(top, 'r1', 'alpha').self).toMatchObject({ minor: 1, address: 'ipv4:10.0.0.1:7790' });
  });

  it('takes device/disk/meta-disk at resource level as the hosts\' defaults; device forms', () => {
    const f = file('resource r3 {\n  device minor 3;\n  disk /dev/sdb1;\n  meta-disk internal;\n  on a { address 10.1.1.1:7000; }\n  on b { address 10.1.1.2:7000; disk /dev/sdc1; }\n}\n');
    expect(loadResource(f, 'r3', 'b').self).toEqual({ name: 'b', minor: 3, device: '/dev/drbd3', disk: '/dev/sdc1', address: 'ipv4:10.1.1.2:7000', metaDisk: 'internal' });
    expect(loadResource(file(`resource r0 {\n  device /dev/drbd7;\n${HOSTS.replace(/device [^;]*;/g, '')}}\n`), 'r0', 'alpha').self.minor).toBe(7);
  });

  it('reads the lab\'s resource file made from the template (not the DRBD 9 file: node-id, fencing in net)', () => {
    const res = { name: 'r0', minor: 0, metaDisk: 'internal', allowTwoPrimaries: false,
      hosts: [{ name: 'node1', address: '192.0.2.11', port: 7789, disk: '/dev/hkl-disk' }, { name: 'node2', address: '192.0.2.12', port: 7789, disk: '/dev/hkl-disk' }] };
    expect(() => loadResource(file(renderDrbd({ ...res, version: '9' })), 'r0', 'node1')).toThrow(Unsupported);
    const r = loadResource(file(labDrbdConf(renderDrbd({ ...res, version: '8.4' }))), 'r0', 'node2');
    expect(r.self).toMatchObject({ minor: 0, device: '/dev/drbd0', disk: '/dev/hkl-disk', address: 'ipv4:192.0.2.12:7789' });
    expect(r.net).toEqual({ 'after-sb-0pri': 'discard-zero-changes', 'after-sb-1pri': 'discard-secondary', 'after-sb-2pri': 'disconnect', protocol: 'C' });
  });

  it('leaves every other shape to drbdadm-84', () => {
    const bad = [
      `resource r0 {\n  volume 0 { device /dev/drbd0; disk /dev/vdb; meta-disk internal; }\n  on alpha { address 10.0.0.1:7789; }\n  on beta { address 10.0.0.2:7789; }\n}\n`,
      `resource r0 {\n  floating 10.0.0.1:7789 { device /dev/drbd0; disk /dev/vdb; meta-disk internal; }\n}\n`,
      `resource r0 {\n${HOSTS.replace('disk /dev/vdb', 'disk none')}}\n`,
      `resource r0 {\n${HOSTS.replace('meta-disk internal', 'meta-disk /dev/vde')}}\n`,
      `resource r0 {\n${HOSTS}  on gamma { device /dev/drbd0 minor 0; disk /dev/vdb; address 10.0.0.3:7789; meta-disk internal; }\n}\n`,
      `resource r0 {\n  net { no-such-option 1; }\n${HOSTS}}\n`,
      `resource r0 {\n  net { allow-two-primaries; }\n${HOSTS}}\n`,
      `resource r0 {\n  stacked-on-top-of r9 { device /dev/drbd10; address 10.0.0.9:7789; }\n${HOSTS}}\n`,
      `resource r0 {\n${HOSTS.replace('ipv4 10.0.0.1', 'ipv6 [fd00::1]')}}\n`,
      `resource r0 {\n${HOSTS}`, // unterminated
      `resource r0 {\n${HOSTS}}\nresource r0 {\n${HOSTS}}\n`, // twice
      'include "missing.conf";\n',
      `skip { resource r0 {\n${HOSTS}} }\n`,
    ];
    for (const b of bad) expect(() => loadResource(file(b), 'r0', 'alpha'), b).toThrow(Unsupported);
    expect(() => loadResource(file(`resource r0 {\n${HOSTS}}\n`), 'r0', 'delta'), 'no section for this host').toThrow(Unsupported);
    expect(() => loadResource(file(`resource r0 {\n${HOSTS}}\n`), 'r9', 'alpha'), 'unknown resource').toThrow(Unsupported);
  });
});

describe('parseAdmArgs', () => {
  it('takes the forms the agents and the lab use, nothing else', () => {
    expect(parseAdmArgs(['-c', '/x.conf', '-v', 'adjust', 'r0'], '/etc/drbd.conf')).toEqual({ conf: '/x.conf', verbose: true, force: false, cmd: 'adjust', res: 'r0' });
    expect(parseAdmArgs(['--config-file=/y', 'primary', '--force', 'r0'], '')).toMatchObject({ conf: '/y', force: true, cmd: 'primary' });
    expect(parseAdmArgs(['-c/z', '--peer', 'node2', '-v', 'adjust', 'r0'], '')).toMatchObject({ conf: '/z', peer: 'node2' });
    expect(parseAdmArgs(['role', 'r0'], '/etc/drbd.conf')).toMatchObject({ conf: '/etc/drbd.conf', cmd: 'role', res: 'r0' });
    for (const a of [['-d', 'primary', 'r0'], ['-S', 'sh-dev', 'r0'], ['role', 'all'], ['role'], ['role', 'r0', 'r1'], ['--', '--clear-bitmap', 'new-current-uuid', 'r0'],
      ['role', 'r0:peer'], ['-c'], ['role', '$(touch /tmp/x)']]) expect(parseAdmArgs(a, '/etc/drbd.conf'), a.join(' ')).toBeUndefined();
    expect(parseAdmArgs(['role', 'r0'], '')).toBeUndefined(); // another default configuration file would be read
  });
});

describe('inSync (adjust has nothing to do)', () => {
  const conf = loadResource(file(`resource r0 {\n  net { protocol C; }\n  disk { resync-rate 16M; }\n${HOSTS}}\n`), 'r0', 'alpha');
  const snap = (o: Partial<Snapshot> = {}): Snapshot => ({
    name: 'r0', minor: 0, vnr: 0, role: 'Secondary', peer: 'Unknown', cstate: 'WFConnection', disk: 'UpToDate', pdsk: 'DUnknown',
    susp: false, userIsp: false, peerIsp: false, aftrIsp: false, configured: { disk: true, net: true }, protocol: 'C', sizeKiB: 1000,
    stats: { ns: 0, nr: 0, dw: 0, dr: 0, al: 0, bm: 0, oosKiB: 0 }, res_opts: {},
    disk_conf: { backing: '/dev/vdb', meta: '/dev/vdb', idx: 'internal', opts: { 'resync-rate': '16M' } },
    net_conf: { local: 'ipv4:10.0.0.1:7789', peer: 'ipv4:10.0.0.2:7789', opts: { protocol: 'C', 'discard-my-data': 'yes' } }, ...o,
  });
  it('holds when disk, addresses and every option match', () => expect(inSync(snap(), conf)).toBe(true));
  it('fails on any difference', () => {
    for (const o of [{ minor: 1 }, { disk_conf: undefined }, { net_conf: undefined }, { res_opts: { 'cpu-mask': '1' } },
      { disk_conf: { backing: '/dev/vdz', meta: '/dev/vdz', idx: 'internal', opts: { 'resync-rate': '16M' } } },
      { disk_conf: { backing: '/dev/vdb', meta: '/dev/vdb', idx: 'internal', opts: {} } },
      { net_conf: { local: 'ipv4:10.0.0.1:7789', peer: 'ipv4:10.0.0.3:7789', opts: { protocol: 'C' } } },
      { net_conf: { local: 'ipv4:10.0.0.1:7789', peer: 'ipv4:10.0.0.2:7789', opts: { protocol: 'A' } } }] as Partial<Snapshot>[]) {
      expect(inSync(snap(o), conf), JSON.stringify(o)).toBe(false);
    }
  });
});
