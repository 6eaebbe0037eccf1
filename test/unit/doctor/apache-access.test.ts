import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateAccess, locationBlocks, readApacheConfig, specCovers } from '../../../src/doctor/apache-access';

const dir = mkdtempSync(join(tmpdir(), 'hakit-apache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const verdict = (body: string, client = '127.0.0.1') => {
  const f = join(dir, `c${Math.random().toString(36).slice(2)}.conf`);
  writeFileSync(f, `<Location /server-status>\nSetHandler server-status\n${body}\n</Location>\n`);
  return evaluateAccess(locationBlocks(readApacheConfig(f))[0]!, client).allowed;
};

describe('server-status access for the loopback', () => {
  it.each([
    ['Require local', true],
    ['Require all granted', true],
    ['Require all denied', false],
    ['Require ip 127.0.0.1', true],
    ['Require ip 10.0.0.0/8', false],
    ['Require ip 10.0.0.0/8\nRequire ip 127', true],
    ['Require host .example.com', false],
    ['Require host localhost', true],
    ['Order deny,allow\nDeny from all\nAllow from .example.com', false],
    ['Order deny,allow\nDeny from all\nAllow from all', true],
    ['Order deny,allow\nDeny from all\nAllow from 127.0.0.0/255.0.0.0', true],
    ['Order allow,deny\nAllow from all\nDeny from 127.0.0.1', false],
    ['Order allow,deny', false],
    ['Order deny,allow', true],
  ])('%j → %s', (body, allowed) => expect(verdict(body)).toBe(allowed));

  it('no access directives: unknown, not a finding', () => expect(verdict('')).toBeUndefined());

  it('IPv6 loopback', () => {
    expect(verdict('Require ip ::1', '::1')).toBe(true);
    expect(verdict('Require ip 127.0.0.1', '::1')).toBe(false);
  });

  it('specs: partial addresses, CIDR, netmask', () => {
    expect(specCovers('127.0', '127.0.0.1')).toBe(true);
    expect(specCovers('127.0.0.0/8', '127.0.0.1')).toBe(true);
    expect(specCovers('128.0.0.0/8', '127.0.0.1')).toBe(false);
    expect(specCovers('127.0.0.0/255.255.255.0', '127.0.0.1')).toBe(true);
  });

  it('follows Include/IncludeOptional with globs relative to ServerRoot', () => {
    const root = join(dir, 'root');
    mkdirSync(join(root, 'mods-enabled'), { recursive: true });
    writeFileSync(join(root, 'apache2.conf'), `ServerRoot ${root}\nIncludeOptional mods-enabled/*.conf\n`);
    writeFileSync(join(root, 'mods-enabled', 'status.conf'), '<Location /server-status>\n  SetHandler server-status\n  Require local\n</Location>\n');
    const blocks = locationBlocks(readApacheConfig(join(root, 'apache2.conf')));
    expect(blocks.map((b) => b.path)).toEqual(['/server-status']);
    expect(evaluateAccess(blocks[0]!, '127.0.0.1').allowed).toBe(true);
  });
});
