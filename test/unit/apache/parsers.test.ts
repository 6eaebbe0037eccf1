import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { directIp, parseResponse, requestText } from '../../../agents/apache/http-check';
import { parseTestConf, testProblem } from '../../../agents/apache/parse-testconf';
import { compileGrepRegex } from '../../../agents/apache/regex';
import { splitOptions } from '../../../agents/apache/start';
import { loopbackFor } from '../../../agents/apache/check-http';
import { ROOT } from '../../helpers/dist';

const TESTCONF = readFileSync(join(ROOT, 'test', 'fixtures', 'apache', 'testconf.txt'), 'utf8');

describe('parseTestConf (README.webapps format)', () => {
  it('takes the first block when no name is given', () => {
    const r = parseTestConf(TESTCONF, '');
    expect(r).toEqual({ ok: true, test: { name: 'first', url: '/private/', match: 'secret-ok', user: 'alice', password: 's3cret', client: '', clientOpts: '' } });
  });
  it('finds a block by name, client options accepted', () => {
    const r = parseTestConf(TESTCONF, 'second');
    expect(r.ok && r.test?.url).toBe('http://127.0.0.1:18461/other');
    expect(r.ok && r.test?.clientOpts).toBe('-k');
  });
  it('an unknown keyword is an error, a missing block is none', () => {
    expect(parseTestConf(TESTCONF, 'broken')).toEqual({ ok: false, error: 'line 18: unknown keyword "bogus"' });
    expect(parseTestConf(TESTCONF, 'nope')).toEqual({ ok: true, test: undefined });
  });
  it('sanity as upstream: url+regex needed, user and password together', () => {
    expect(testProblem({ url: '', match: 'x', user: '', password: '' })).toMatch(/empty/);
    expect(testProblem({ url: '/', match: 'x', user: 'a', password: '' })).toMatch(/authentication/);
    expect(testProblem({ url: '/', match: 'x', user: 'a', password: 'b' })).toBeUndefined();
  });
});

describe('grep -Ei regexes', () => {
  it('default testregex matches the closing html tag, case-insensitively, per line', () => {
    expect(compileGrepRegex('</ *html *>').test('<p>x</p>\n</HTML >\n')).toBe(true);
    expect(compileGrepRegex('^Total Accesses').test('x\nTotal accesses: 3\n')).toBe(true);
  });
  it('POSIX classes and word anchors', () => {
    expect(compileGrepRegex('uptime:[[:space:]]+[[:digit:]]+').test('Uptime:  42')).toBe(true);
    expect(compileGrepRegex('\\<idle\\>').test('idle workers')).toBe(true);
    expect(compileGrepRegex('\\<idle\\>').test('idleness')).toBe(false);
  });
  it('a broken pattern throws', () => {
    expect(() => compileGrepRegex('(')).toThrow();
  });
});

describe('HTTP client pieces', () => {
  it('builds an HTTP/1.0 request with basic auth', () => {
    const t = requestText(new URL('http://127.0.0.1:81/a?b=1'), 'GET', { user: 'u', password: 'p:w' });
    expect(t).toBe('GET /a?b=1 HTTP/1.0\r\nHost: 127.0.0.1:81\r\nUser-Agent: hakit-apache-monitor\r\nAccept: */*\r\n' +
      `Connection: close\r\nAuthorization: Basic ${Buffer.from('u:p:w').toString('base64')}\r\n\r\n`);
  });
  it('parses status, headers, and a chunked body', () => {
    const r = parseResponse('HTTP/1.1 302 Found\r\nLocation: https://x/\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n');
    expect(r?.status).toBe(302);
    expect(r?.headers.get('location')).toBe('https://x/');
    expect(r?.body).toBe('abcde');
    expect(parseResponse('garbage')).toBeUndefined();
  });
  it('keeps only the headers the check reads (location, transfer-encoding), whatever else a server sends', () => {
    const many = Array.from({ length: 500 }, (_, i) => `X-H${i}: v`).join('\r\n');
    const r = parseResponse(`HTTP/1.1 301 Moved\r\n${many}\r\nLOCATION: /next\r\nServer: x\r\n\r\nbody`);
    expect([...(r?.headers.keys() ?? [])]).toEqual(['location']);
    expect(r?.headers.get('location')).toBe('/next');
    expect(r?.body).toBe('body');
  });
  it('loopback family follows the URL (upstream: ::1 for IPv6 URLs)', () => {
    expect(loopbackFor('http://localhost:80/', false)).toBe('127.0.0.1');
    expect(loopbackFor('http://[::1]:80/', false)).toBe('::1');
    expect(loopbackFor('http://localhost:80/', true)).toBe('::1');
  });
});

describe('splitOptions (no shell)', () => {
  it('splits at white space, quotes group', () => {
    expect(splitOptions('-DFOO -c "LogLevel debug"  -C \'X Y\'')).toEqual(['-DFOO', '-c', 'LogLevel debug', '-C', 'X Y']);
    expect(splitOptions('$(touch /tmp/x) `id`;ls')).toEqual(['$(touch', '/tmp/x)', '`id`;ls']);
    expect(splitOptions('')).toEqual([]);
  });
  it('an unbalanced quote is a configuration error', () => {
    expect(() => splitOptions('-c "oops')).toThrow(/unbalanced/);
  });
});

describe('directIp (which status URLs go over the tcp_wrap binding without a name lookup)', () => {
  const host = (url: string) => new URL(url).hostname.replace(/^\[|\]$/g, '');
  it('IP literals of the local address\'s family, and localhost as that family\'s loopback (as curl takes it)', () => {
    expect(directIp(host('http://127.0.0.1:8080/server-status'), '127.0.0.1')).toBe('127.0.0.1');
    expect(directIp(host('http://192.0.2.10/'), '127.0.0.1')).toBe('192.0.2.10');
    expect(directIp(host('http://127.1/'), '127.0.0.1')).toBe('127.0.0.1'); // the URL parser normalises IPv4
    expect(directIp(host('http://[::1]:80/'), '::1')).toBe('::1');
    expect(directIp(host('http://localhost/server-status'), '127.0.0.1')).toBe('127.0.0.1');
    expect(directIp(host('http://localhost/server-status'), '::1')).toBe('::1');
  });
  it('host names and family mismatches are left to node:net (its resolution and its errors)', () => {
    expect(directIp(host('http://www.example.com/'), '127.0.0.1')).toBeUndefined();
    expect(directIp(host('http://localhost.localdomain/'), '127.0.0.1')).toBeUndefined();
    expect(directIp(host('http://[::1]/'), '127.0.0.1')).toBeUndefined();
    expect(directIp(host('http://127.0.0.1/'), '::1')).toBeUndefined();
  });
});
