import { describe, expect, it } from 'vitest';
import { routesFromProc } from '../../../agents/ipaddr2/quick-snapshot';

// /proc/net/route as recorded in a test namespace: a default route, two device routes of one /24 (one /26 more
// specific on another device), an unreachable /25 (Iface "*", RTF_REJECT) and a gateway route.
const PROC = `Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
eth0\t00000000\t010264C6\t0003\t0\t0\t0\t00000000\t0\t0\t0
eth0\t006433C6\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
*\t806433C6\t00000000\t0201\t0\t0\t0\t80FFFFFF\t0\t0\t0
dum1\t007100CB\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
dum0\t407100CB\t00000000\t0001\t0\t0\t0\tC0FFFFFF\t0\t0\t0
eth0\t00000A0A\t010264C6\t0003\t0\t0\t0\t0000FFFF\t0\t0\t0
`;

describe('routesFromProc (what `ip route list match <ip>[/<len>] scope link` lists)', () => {
  it('lists the device routes containing the address, longest last as in the table; no default, no gateway', () => {
    expect(routesFromProc(PROC, '198.51.100.20', undefined)).toEqual([
      { type: 'unicast', prefix: '198.51.100.0/24', prefixLen: 24, dev: 'eth0', src: undefined },
    ]);
    expect(routesFromProc(PROC, '203.0.113.70', undefined)?.map((r) => `${r.prefix} ${r.dev}`)).toEqual(['203.0.113.0/24 dum1', '203.0.113.64/26 dum0']);
  });
  it('keeps unreachable routes as such, without a device', () => {
    expect(routesFromProc(PROC, '198.51.100.200', undefined)?.map((r) => `${r.type} ${r.prefix} ${r.dev}`)).toEqual([
      'unicast 198.51.100.0/24 eth0', 'unreachable 198.51.100.128/25 undefined']);
  });
  it('with a prefix, only routes no longer than it (match semantics)', () => {
    expect(routesFromProc(PROC, '203.0.113.70', 24)?.map((r) => r.prefix)).toEqual(['203.0.113.0/24']);
  });
  it('skips gateway routes and answers nothing for an address no route contains', () => {
    expect(routesFromProc(PROC, '10.10.1.1', undefined)).toEqual([]);
  });
  it('refuses a file of another shape', () => {
    expect(routesFromProc('something else\n', '10.0.0.1', undefined)).toBeUndefined();
    expect(routesFromProc(PROC.replace('00FFFFFF', 'FF00FFFF'), '198.51.100.20', undefined)).toBeUndefined(); // non-contiguous mask
  });
});
