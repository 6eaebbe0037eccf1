import { describe, expect, it } from 'vitest';
import { addToAddress, canonicalIPv6, dottedToPrefix, familyOf, inIPv4Subnet, isIPv4, parsePrefix } from '../../../agents/ipaddr2/address';

describe('IPv4 and IPv6 syntax', () => {
  it.each(['192.0.2.1', '10.0.0.0', '255.255.255.255', '1.2.3.4'])('%s is IPv4', (s) => expect(isIPv4(s)).toBe(true));
  it.each(['0.1.2.3', '256.1.1.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1.2.3.4 ', '$(id)', '1.2.3.4\n5'])('%j is not', (s) => expect(isIPv4(s)).toBe(false));
  it.each([
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['fe80::0001', 'fe80::1'],
    ['::', '::'],
    ['::1', '::1'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2:3:4:5:6'],
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
  ])('%s canonicalises to %s (RFC 5952)', (a, b) => expect(canonicalIPv6(a)).toBe(b));
  it.each(['1:::2', '2001:db8::1::2', '12345::1', 'g::1', '1:2:3:4:5:6:7:8:9', '::ffff:1.2.3.4', ':'])('%s is not IPv6', (s) =>
    expect(canonicalIPv6(s)).toBeUndefined());
  it('a colon means IPv6', () => {
    expect(familyOf('2001:db8::1')).toBe('inet6');
    expect(familyOf('192.0.2.1')).toBe('inet');
  });
});

describe('netmasks', () => {
  it.each([['255.255.255.0', 24], ['255.255.255.255', 32], ['255.0.0.0', 8], ['0.0.0.0', 0], ['255.255.254.0', 23]])('%s = /%i', (m, n) =>
    expect(dottedToPrefix(m)).toBe(n));
  it.each(['255.0.255.0', '255.255.255.1', '256.0.0.0', '1.2.3'])('%s is not a netmask', (m) => expect(dottedToPrefix(m)).toBeUndefined());
  it('prefix lengths as findif accepts them', () => {
    expect(parsePrefix('24', 32)).toBe(24);
    expect(parsePrefix('33', 32)).toBeUndefined();
    expect(parsePrefix('0', 32)).toBeUndefined();
    expect(parsePrefix('128', 128)).toBe(128);
    expect(parsePrefix('0024', 32)).toBeUndefined();
  });
  it('subnet membership', () => {
    expect(inIPv4Subnet('192.0.2.77', '192.0.2.0', 24)).toBe(true);
    expect(inIPv4Subnet('192.0.3.1', '192.0.2.0', 24)).toBe(false);
  });
});

describe('unique_clone_address increments', () => {
  it('adds the clone number to the last octet / group', () => {
    expect(addToAddress('192.0.2.10', 2)).toBe('192.0.2.12');
    expect(addToAddress('192.0.2.255', 1)).toBeUndefined();
    expect(addToAddress('2001:db8::10', 1)).toBe('2001:db8::11');
  });
});
