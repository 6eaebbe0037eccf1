import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hakit } from './run-cli';

// The CLI surface of templates, doctor and meta: help on every command, exit codes scripts rely on
// (0 ok, 1 check failed, 2 usage), injection attempts refused before anything is rendered.

const work = mkdtempSync(join(tmpdir(), 'hakit-tpl-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('help and exit codes', () => {
  it.each([
    ['template'], ['template', 'list'], ['template', 'show'], ['template', 'render'], ['template', 'verify'],
    ['template', 'simulate'], ['doctor'], ['meta'],
  ])('hakit %s --help → 0', async (...cmd) => {
    const r = await hakit([...cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: hakit /);
  });

  it('list names the four templates; show lists values and defaults', async () => {
    const l = await hakit(['template', 'list']);
    expect(l.code).toBe(0);
    expect(l.stdout.split('\n').filter(Boolean).map((x) => x.split(/\s+/)[0])).toEqual(['web', 'drbd-fs', 'dual-primary', 'iscsi']);
    const s = await hakit(['template', 'show', 'dual-primary']);
    expect(s.code).toBe(0);
    expect(s.stdout).toMatch(/^ {2}fstype\s+cluster filesystem type \[gfs2\|ocfs2\]; default gfs2$/m);
  });

  it('usage errors → 2 with a message: unknown template, unknown format, unknown key, missing argument', async () => {
    for (const args of [['template', 'render', 'nope'], ['template', 'render', 'web', '-f', 'yaml'], ['template', 'render', 'web', '--set', 'colour=red'],
      ['template', 'render'], ['template', 'verify', 'web', '-f', 'crm,json'], ['template', 'simulate', 'nope'], ['meta', 'NoSuchAgent']]) {
      const r = await hakit(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.length, args.join(' ')).toBeGreaterThan(0);
      expect(r.stdout).toBe('');
    }
  });
});

describe('injection attempts through --set are refused, nothing rendered or run', () => {
  const marker = join(work, 'pwned');
  it.each([
    ['drbd_resource', 'r0" op monitor interval=1s', 'quote'],
    ['vip', '192.0.2.10\nprimitive evil ocf:heartbeat:Dummy', 'newline'],
    ['fs_dir', '/srv/www\\', 'backslash'],
    ['node1', 'primitive', 'crm keyword'],
    ['drbd_resource', 'INFINITY', 'crm keyword'],
    ['apache_config', `$(touch ${marker})`, 'whitespace'],
    ['statusurl', 'http://127.0.0.1/`touch x`', 'quote'],
    ['fs_dir', "/srv/www';touch /tmp/x;'", 'quote'],
    ['nic', 'eth0;reboot', 'metacharacter'],
  ])('%s=%j', async (key, value, why) => {
    for (const format of ['crm', 'pcs', 'drbd']) {
      const r = await hakit(['template', 'render', 'web', '--set', `${key}=${value}`, '-f', format]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(new RegExp(`^hakit: template web: ${key}=.*: .*${why}`));
    }
    expect(existsSync(marker)).toBe(false);
  });
});

describe('hakit meta', () => {
  it.each(['drbd', 'Filesystem', 'IPaddr2', 'apache'])('%s: meta-data validates against the OCF 1.1 schemas; --table lists it', async (agent) => {
    const r = await hakit(['meta', agent]);
    expect(r.code).toBe(0);
    const f = join(work, `${agent}.xml`);
    writeFileSync(f, r.stdout);
    const { spawnSync } = await import('node:child_process');
    for (const rng of ['/usr/share/pcs/data/ocf-1.1.rng']) {
      const x = spawnSync('xmllint', ['--noout', '--relaxng', rng, f], { encoding: 'utf8' });
      expect(x.status, x.stderr).toBe(0);
    }
    const t = await hakit(['meta', agent, '--table']);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(new RegExp(`^${agent} `));
    expect(t.stdout).toMatch(/^parameter\s+type\s+flags\s+default\s+description$/m);
    expect(t.stdout).toMatch(/^monitor\s+\d+s\s+\d+s/m);
  });

  it('drbd: distinct monitor intervals for the two roles in the table', async () => {
    const t = await hakit(['meta', 'drbd', '--table']);
    const mons = [...t.stdout.matchAll(/^monitor\s+\d+s\s+(\d+)s\s+(Promoted|Unpromoted)/gm)];
    expect(mons.map((m) => m[2]).sort()).toEqual(['Promoted', 'Unpromoted']);
    expect(mons[0]![1]).not.toBe(mons[1]![1]);
  });
});
