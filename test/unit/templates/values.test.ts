import { describe, expect, it } from 'vitest';
import { TEMPLATES, TemplateValueError, checkValue, findTemplate, instantiate, parseSettings, type ValueSpec } from '../../../src/templates/index';

const spec = (kind: ValueSpec['kind'], extra: Partial<ValueSpec> = {}): ValueSpec => ({ key: 'k', kind, description: '', default: '', ...extra });

// What each injection attempt must be refused with (the message names the problem).
const HOSTILE: [string, RegExp][] = [
  ['r0" op monitor', /quote/],
  ["r0' meta", /quote/],
  ['r0`id`', /quote/],
  ['r0\nprimitive evil ocf:heartbeat:Dummy', /newline/],
  ['r0\\', /backslash/],
  ['r0 params x=1', /whitespace/],
  ['$(reboot)', /metacharacter/],
  ['$(touch /tmp/x)', /whitespace/],
  ['r0;reboot', /metacharacter/],
  ['a|b', /metacharacter/],
  ['r0\u0000', /control character/],
  ['ré', /non-ASCII/],
  ['x'.repeat(100_000), /longer than/],
];

describe('template values: injection attempts are refused with a clear message', () => {
  for (const kind of ['id', 'host', 'path', 'url', 'iqn', 'word', 'ip', 'int'] as const) {
    it.each(HOSTILE)(`${kind}: %j`, (value, why) => {
      expect(() => checkValue(spec(kind), value)).toThrow(TemplateValueError);
      expect(() => checkValue(spec(kind), value)).toThrow(why);
    });
  }

  it.each(['primitive', 'ms', 'op', 'params', 'meta', 'rule', 'INFINITY', 'inf', 'order', 'clone', 'Promoted', 'node'])(
    'crm keyword %s is refused as an id and as a node name', (kw) => {
      expect(() => checkValue(spec('id'), kw)).toThrow(/crm keyword/);
      expect(() => checkValue(spec('host'), kw)).toThrow(/crm keyword/);
    });

  it('the message names the key and quotes the value', () => {
    expect(() => checkValue({ ...spec('id'), key: 'drbd_resource' }, 'a"b')).toThrow('drbd_resource="a\\"b": contains a quote character');
  });
});

describe('template values: kinds', () => {
  it.each([
    ['id', 'r0'], ['id', 'web-data_1'], ['host', 'node1'], ['host', 'xen-debian1.example.org'], ['ip', '192.0.2.1'],
    ['ip', '2001:db8::1'], ['path', '/dev/sdb1'], ['path', '/srv/www'], ['url', 'http://127.0.0.1/server-status'],
    ['url', 'http://[::1]:8080/server-status?auto'], ['iqn', 'iqn.2026-01.org.example:storage.r0'], ['word', 'noatime'],
  ] as const)('%s accepts %s', (kind, v) => expect(checkValue(spec(kind), v)).toBe(v));

  it.each([
    ['id', '0abc'], ['id', 'a.b'], ['host', '-node'], ['ip', '192.0.2.300'], ['ip', 'node1'], ['path', 'relative/path'],
    ['path', '/srv/../etc'], ['url', 'ftp://x/'], ['url', 'http://x/a#b'], ['iqn', 'IQN.2026-01.org.example'], ['int', '-1'], ['int', '1e3'],
  ] as const)('%s refuses %s', (kind, v) => expect(() => checkValue(spec(kind), v)).toThrow(TemplateValueError));

  it('int bounds and enum options', () => {
    expect(() => checkValue(spec('int', { min: 1, max: 65535 }), '70000')).toThrow(/above 65535/);
    expect(checkValue(spec('int', { min: 1, max: 65535 }), '007789')).toBe('7789');
    expect(() => checkValue(spec('enum', { options: ['gfs2', 'ocfs2'] }), 'ext4')).toThrow(/not one of: gfs2, ocfs2/);
  });

  it('required values may not be empty; optional ones may', () => {
    expect(() => checkValue(spec('path'), '')).toThrow(/a value is required/);
    expect(checkValue(spec('word', { optional: true }), '')).toBe('');
  });
});

describe('settings', () => {
  it('parses key=value, keeps "=" in values, refuses malformed and duplicate settings', () => {
    expect([...parseSettings(['a=1', 'b=x=y'])]).toEqual([['a', '1'], ['b', 'x=y']]);
    expect(() => parseSettings(['novalue'])).toThrow(/expected key=value/);
    expect(() => parseSettings(['a=1', 'a=2'])).toThrow(/given twice/);
  });

  it('unknown keys are refused with the list of known ones', () => {
    expect(() => instantiate(findTemplate('web')!, ['colour=red'])).toThrow(/unknown setting "colour"; this template takes: provider, node1/);
  });

  it('node names and addresses must differ', () => {
    expect(() => instantiate(findTemplate('web')!, ['node2=node1'])).toThrow(/node1 and node2 must differ/);
    expect(() => instantiate(findTemplate('iscsi')!, ['node2_addr=192.0.2.11'])).toThrow(/must differ/);
  });

  it('every example set of every template is valid', () => {
    for (const t of TEMPLATES) for (const set of Object.values(t.examples)) expect(() => instantiate(t, new Map(Object.entries(set)))).not.toThrow();
  });
});

describe('cross-value checks', () => {
  it('an IPv4 floating IP takes at most /32', () => {
    expect(() => instantiate(findTemplate('web')!, ['cidr_netmask=64'])).toThrow(/above 32 for the IPv4 address 192\.0\.2\.10/);
    expect(() => instantiate(findTemplate('web')!, ['vip=2001:db8::10', 'cidr_netmask=64'])).not.toThrow();
  });
});
