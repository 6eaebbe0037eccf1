import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertSafeArgs, FORBIDDEN_ARGS } from '../../../agents/drbd/safety';
import { spec } from '../../../agents/drbd/spec';
import { runAgent } from '../../../src/ocf/dispatch';
import { events2, makeStub, ROOT } from './stub';

const AGENT_DIR = join(ROOT, 'agents', 'drbd');

describe('data safety: the agent never passes a data-destroying option', () => {
  const sources = readdirSync(AGENT_DIR).filter((f) => f.endsWith('.ts') && f !== 'safety.ts');
  it('the list covers what the issue forbids', () => {
    for (const f of ['--force', '--overwrite-data-of-peer', '--discard-my-data', 'invalidate-remote']) expect(FORBIDDEN_ARGS).toContain(f);
    expect(sources.length).toBeGreaterThan(10);
  });

  it.each(sources.map((f) => [f]))('%s contains none of them (safety.ts, the guard itself, excepted)', (f) => {
    const text = readFileSync(join(AGENT_DIR, f), 'utf8');
    for (const bad of ['--force', '--overwrite-data-of-peer', '--discard-my-data', 'invalidate-remote', "'invalidate'", 'connect --discard']) {
      expect(text.includes(bad), `${f} mentions ${bad}`).toBe(false);
    }
  });

  it('every drbdadm/drbdsetup call goes through the guard (no direct exec of them)', () => {
    for (const f of sources) {
      const text = readFileSync(join(AGENT_DIR, f), 'utf8');
      const direct = [...text.matchAll(/exec\.run\(\s*'(drbdadm|drbdsetup)'\s*,\s*\[([^\]]*)\]/g)];
      for (const m of direct.filter((x) => !x[0].includes('...args'))) expect(`${f}: ${m[0]}`).toMatch(/\['--version'\]/); // only the read-only version query
    }
    const session = readFileSync(join(AGENT_DIR, 'session.ts'), 'utf8');
    expect(session).toMatch(/assertSafeArgs\(args\);\s*return s\.ctx\.exec\.run\('drbdadm'/);
    expect(session).toMatch(/assertSafeArgs\(args\);\s*return s\.ctx\.exec\.run\('drbdsetup'/);
  });

  it.each(FORBIDDEN_ARGS.map((a) => [a]))('assertSafeArgs refuses %s', (a) => {
    expect(() => assertSafeArgs(['primary', a])).toThrow(/data-destroying/);
    expect(() => assertSafeArgs([`${a}=yes`])).toThrow(/data-destroying/);
  });
  it('assertSafeArgs lets ordinary commands through', () => {
    expect(() => assertSafeArgs(['-v', 'adjust', '--skip-net', 'primary', 'secondary', 'outdate', 'down'])).not.toThrow();
  });

  it('no action on any scenario issues a forbidden argument (all actions × states, argv logged by the stand-ins)', async () => {
    const states = ['empty', 'v9-both-inconsistent', 'v9-secondary-synctarget', 'v9-secondary-uptodate-connected',
      'v9-primary-uptodate-connected', 'v9-standalone-primary', 'v9-outdated-disconnected', 'v9-diskless-client'];
    const actions = ['start', 'stop', 'monitor', 'promote', 'demote', 'notify', 'reload', 'reload-agent', 'validate-all'];
    for (const st of states) {
      const s = makeStub({ 'drbdsetup.events2.out': events2(st), 'drbdadm.primary.rc': '17' });
      try {
        for (const a of actions) {
          const r = await s.run(a, { stop_outdates_secondary: 'true', unfence_if_all_uptodate: 'true' }, {
            OCF_RESKEY_CRM_meta_timeout: '500', OCF_RESKEY_CRM_meta_interval: '10000',
            OCF_RESKEY_CRM_meta_notify_type: 'post', OCF_RESKEY_CRM_meta_notify_operation: 'start',
            OCF_RESKEY_CRM_meta_notify_promoted_uname: 'node-b',
          });
          for (const c of r.calls) for (const bad of FORBIDDEN_ARGS) expect(c.split(' '), `${a} on ${st}: ${c}`).not.toContain(bad);
        }
      } finally {
        s.cleanup();
      }
    }
  }, 60_000);
});

describe('hostile parameter values never execute anything', () => {
  const marker = join(tmpdir(), 'hk-drbd-pwned');
  it.each([
    ['$(touch /tmp/hk-drbd-pwned)'], ['`touch /tmp/hk-drbd-pwned`'], ['r0; touch /tmp/hk-drbd-pwned'], ['r0\ntouch /tmp/hk-drbd-pwned'],
    ['x'.repeat(100_000)], ['r\u00ff\ufffd0'],
  ])('drbd_resource %j', async (res) => {
    rmSync(marker, { force: true });
    const s = makeStub({ 'drbdsetup.events2.out': events2('v9-secondary-uptodate-connected') });
    try {
      for (const a of ['start', 'promote', 'validate-all']) {
        const r = await s.run(a, { drbd_resource: res });
        expect(r.code).toBe(6);
        expect(r.reason).not.toMatch(/\n/);
      }
      for (const a of ['stop', 'monitor', 'notify', 'demote']) await s.run(a, { drbd_resource: res, drbdconf: '$(touch /tmp/hk-drbd-pwned)' });
      expect(existsSync(marker)).toBe(false);
    } finally {
      s.cleanup();
    }
  });
});

describe('meta-data', () => {
  const meta = async () => {
    let out = '';
    const code = await runAgent(spec, 'meta-data', {}, { stdout: (s) => { out += s; }, stderr: () => undefined });
    return { code, out };
  };

  it('validates against the OCF 1.1 schemas (both RNGs), with every linbit parameter', async () => {
    const { code, out } = await meta();
    expect(code).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'hk-drbd-meta-'));
    try {
      const f = join(dir, 'drbd.xml');
      writeFileSync(f, out);
      for (const rng of ['/work/shared/schemas/ocf-ra-api-1.1.rng', '/usr/share/pcs/data/ocf-1.1.rng'].filter(existsSync)) {
        const r = spawnSync('xmllint', ['--noout', '--relaxng', rng, f], { encoding: 'utf8' });
        expect(r.status, r.stderr).toBe(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    for (const p of ['drbd_resource', 'drbdconf', 'adjust_master_score', 'stop_outdates_secondary', 'ignore_missing_notifications',
      'wfc_timeout', 'remove_master_score_if_peer_primary', 'fail_promote_early_if_peer_primary', 'unfence_if_all_uptodate',
      'unfence_extra_args', 'require_drbd_module_version_ge', 'require_drbd_module_version_lt', 'connect_only_after_promote',
      'strict_promotion_score']) {
      expect(out).toContain(`<parameter name="${p}"`);
    }
    expect(out).toMatch(/<parameter name="unfence_extra_args"[\s\S]*?<content type="string"/);
    expect(out).toMatch(/<parameter name="wfc_timeout"[\s\S]*?<content type="integer" default="5"/);
  });

  it('OCF 1.1 roles, distinct monitor intervals, reload-agent, a timeout on every action', async () => {
    const { out } = await meta();
    expect(out).toContain('<version>1.1</version>');
    expect(out).toContain('<action name="monitor" timeout="20s" interval="20s" role="Unpromoted"/>');
    expect(out).toContain('<action name="monitor" timeout="20s" interval="10s" role="Promoted"/>');
    for (const a of ['start', 'stop', 'promote', 'demote', 'notify', 'reload', 'reload-agent', 'validate-all', 'meta-data']) {
      expect(out).toMatch(new RegExp(`<action name="${a}" timeout="\\d+s"`));
    }
    expect(out).not.toMatch(/Master|Slave/);
    expect(out).not.toContain('name="status"');
  });
});
