import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/dist';
import { canonicalXml } from './canonical';
import { hakit } from './run-cli';

// `hakit doctor` with the real tools: the recorded CIBs (made by crmsh from the broken crm scripts) through
// --cib, with the installed ocf:linbit:drbd's real meta-data; the seed 001 web config as written converted by
// crmsh (--crm) in the test. (The templates' own output passing doctor is checked in templates.test.ts, on the
// CIBs crmsh and pcs loaded.)

const FIX = join(ROOT, 'test', 'fixtures', 'cib');
const expected = JSON.parse(readFileSync(join(FIX, 'expected.json'), 'utf8')) as Record<string, { rules: string[]; apacheConfig: string; crm?: string }>;

const rulesOf = (stdout: string): string[] => (JSON.parse(stdout) as { findings: { rule: string }[] }).findings.map((f) => f.rule).sort();

describe('hakit doctor flags each planted mistake (recorded CIBs, --cib)', () => {
  it.each(Object.entries(expected))('%s', async (name, exp) => {
    const xml = join(FIX, `${(exp.crm ?? `${name}.crm`).replace(/\.crm$/, '')}.xml`);
    const r = await hakit(['doctor', '--cib', xml, '--apache-config', join(FIX, exp.apacheConfig), '--json']);
    expect(r.code, r.stderr).toBe(1);
    expect(rulesOf(r.stdout)).toEqual([...exp.rules].sort());
  });
});

describe('seed 001 web config as written, converted by crmsh in the test (--crm)', () => {
  it('crmsh\'s conversion equals the recorded fixture, and doctor reports the same findings with lines', async () => {
    const crm = join(FIX, 'seed-001-web.crm');
    const r = await hakit(['doctor', '--crm', crm, '--apache-config', join(FIX, 'seed-001-httpd-denied.conf')]);
    expect(r.code, r.stderr).toBe(1);
    for (const rule of new Set(expected['seed-001-web']!.rules)) expect(r.stdout).toContain(`[${rule}]`);
    expect(r.stdout).toMatch(/^line \d+: nvpair default-action-timeout: \[default-action-timeout\] error: /m);
    expect(r.stdout).toMatch(/^line \d+: primitive res_drbd: \[drbd-monitor-roles\] error: no recurring monitor for the Promoted role/m);
    expect(r.stdout).toContain('fix: in ' + join(FIX, 'seed-001-httpd-denied.conf') + ' line 9');
    expect(r.stdout).toMatch(/^8 finding\(s\)$/m);
    const rules = [...r.stdout.matchAll(/^(?:line \d+: )?\S+ [^[]*\[([a-z-]+)\]/gm)].map((m) => m[1]).sort();
    expect(rules).toEqual([...expected['seed-001-web']!.rules].sort());
  });

  it('the recorded seed CIB is what crmsh makes of the script', async () => {
    // crmsh cannot commit it (schema validation fails on default-action-timeout), so doctor asks crmsh for
    // `show xml`; the recorded fixture was made the same way.
    const { cibFromCrm } = await import('../../../src/doctor/load');
    const { cliRunner } = await import('../../../src/templates/tools');
    const fresh = await cibFromCrm(cliRunner(), join(FIX, 'seed-001-web.crm'));
    expect(canonicalXml(fresh)).toEqual(canonicalXml(readFileSync(join(FIX, 'seed-001-web.xml'), 'utf8')));
  });
});

describe('doctor usage and errors', () => {
  it('unknown source → 2; unreadable CIB → 1 with a message', async () => {
    expect((await hakit(['doctor', 'nonsense'])).code).toBe(2);
    const missing = await hakit(['doctor', '--cib', '/nonexistent/cib.xml']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('hakit: doctor: ');
  });
});
