import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bestRoute, parseAddrLine, parseIpBatch, parseRouteLine } from '../../../agents/ipaddr2/parse-ip';
import { resolvePlacement, servedAddr, linkDown } from '../../../agents/ipaddr2/network';
import { ROOT } from '../../helpers/dist';

const fx = (f: string) => readFileSync(join(ROOT, 'test/fixtures/ipaddr2', f), 'utf8');

describe('parseIpBatch on a recorded `ip -o -f inet -batch` (routes, addresses, links)', () => {
  const snap = parseIpBatch(fx('batch-inet.txt'));
  it('splits the three kinds of output', () => {
    expect(snap.routes).toEqual([{ type: 'unicast', prefix: '198.51.100.0/24', prefixLen: 24, dev: 'hkip-a0', src: '198.51.100.10' }]);
    expect(snap.addrs.map((a) => `${a.ifname} ${a.address}/${a.prefixLen}`)).toEqual([
      'lo 127.0.0.1/8', 'hkip-d0 198.51.100.130/25', 'hkip-a0 198.51.100.10/24', 'hkip-a0 198.51.100.1/24']);
    expect(snap.links.map((l) => `${l.ifname}:${l.state}`)).toEqual(['lo:UNKNOWN', 'hkip-d1:DOWN', 'hkip-d0:LOWERLAYERDOWN', 'hkip-a0:UP']);
  });
  it('reads IPv4 labels, broadcast and flags', () => {
    const vip = snap.addrs.find((a) => a.address === '198.51.100.10');
    expect(vip).toMatchObject({ label: 'hkip-a0:vip', brd: '198.51.100.255', ifname: 'hkip-a0' });
    expect(snap.addrs.find((a) => a.address === '198.51.100.1')?.flags).toContain('secondary');
  });
  it('resolves nic, prefix and broadcast (copied from the route source address) like findif', () => {
    const cfg = { family: 'inet' as const, ip: '198.51.100.10', prefix: undefined, nic: undefined, iflabel: undefined, broadcast: undefined };
    const res = resolvePlacement(cfg, snap);
    expect(res).toEqual({ ok: true, placement: { nic: 'hkip-a0', prefix: 24, broadcast: '198.51.100.255' } });
    if (!res.ok) throw new Error('unreachable');
    expect(servedAddr(cfg, res.placement, snap)?.label).toBe('hkip-a0:vip');
    expect(servedAddr(cfg, { ...res.placement, prefix: 25 }, snap)).toBeUndefined();
    expect(servedAddr(cfg, { ...res.placement, nic: 'hkip-d0' }, snap)).toBeUndefined();
    expect(linkDown(snap, 'hkip-d0')).toBe(true);
    expect(linkDown(snap, 'hkip-a0')).toBe(false);
  });
  it('a configured nic that does not exist is 6; no route and no nic/netmask is 1', () => {
    const base = { family: 'inet' as const, ip: '198.51.100.10', prefix: undefined, iflabel: undefined, broadcast: undefined };
    expect(resolvePlacement({ ...base, nic: 'nope0' }, snap)).toMatchObject({ ok: false, code: 6 });
    expect(resolvePlacement({ ...base, nic: undefined }, { ...snap, routes: [] })).toMatchObject({ ok: false, code: 1 });
    expect(resolvePlacement({ ...base, nic: 'hkip-a0', prefix: 24 }, { ...snap, routes: [] })).toMatchObject({ ok: true });
  });
});

describe('routes', () => {
  it('ignores unreachable, blackhole and prohibit routes', () => {
    const unreach = fx('route-unreachable.txt').split('\n').map(parseRouteLine).filter((r) => r !== undefined);
    expect(unreach[0]?.type).toBe('unreachable');
    expect(bestRoute(unreach)).toBeUndefined();
    const bh = parseRouteLine('blackhole 2001:db8:6::/48 dev lo metric 1024 pref medium');
    expect(bh?.type).toBe('blackhole');
    expect(bestRoute([bh!])).toBeUndefined();
    expect(bestRoute([parseRouteLine('prohibit 198.51.100.0/28 ')!])).toBeUndefined();
  });
  it('picks the longest prefix, optionally on one device', () => {
    const rs = ['198.51.100.0/24 dev a proto kernel scope link src 198.51.100.1', '198.51.100.0/25 dev b scope link', '198.51.0.0/16 dev c']
      .map((l) => parseRouteLine(l)!);
    expect(bestRoute(rs)?.dev).toBe('b');
    expect(bestRoute(rs, { dev: 'a' })?.prefixLen).toBe(24);
    expect(parseRouteLine('default via 198.51.100.254 dev a')).toBeUndefined();
  });
  it('parses the local table for 127.* addresses', () => {
    const rs = fx('route-local.txt').split('\n').map(parseRouteLine).filter((r) => r !== undefined);
    expect(bestRoute(rs, { type: 'local' })).toMatchObject({ prefix: '127.0.0.0/8', dev: 'lo' });
  });
  it('parses IPv6 address flags (tentative, dadfailed, nodad)', () => {
    expect(parseAddrLine('6: eth0    inet6 2001:db8::5/64 scope global tentative dadfailed \\       valid_lft forever preferred_lft forever')?.flags)
      .toEqual(['tentative', 'dadfailed']);
    const six = parseIpBatch(fx('batch-inet6.txt'));
    expect(six.addrs.find((a) => a.address === '2001:db8:5::1')?.flags).toEqual(['nodad']);
    expect(six.routes[0]).toMatchObject({ prefix: '2001:db8:5::/64', dev: 'hkip-a0' });
  });
});
