import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AGENTS } from '../../../agents/index';
import type { Runner } from '../../../src/exec/run';
import { parseCib } from '../../../src/doctor/cib';
import { metadataDefects } from '../../../src/doctor/drbd-metadata';
import { lintCib } from '../../../src/doctor/lint';
import { buildMetadata } from '../../../src/ocf/metadata';
import { TEMPLATES, instantiate, renderAs } from '../../../src/templates/index';
import { ROOT } from '../../helpers/dist';

// The broken configurations (crm scripts with one planted mistake each, and the seed 001 web config as written)
// were turned into CIB XML by crmsh (`show xml`); each must give exactly its expected findings.
const FIX = join(ROOT, 'test', 'fixtures', 'cib');
const expected = JSON.parse(readFileSync(join(FIX, 'expected.json'), 'utf8')) as Record<string, { rules: string[]; apacheConfig: string; crm?: string }>;
const LINBIT_META = readFileSync(join(FIX, 'linbit-drbd-metadata.xml'), 'utf8');

// Stands in for running /usr/lib/ocf/resource.d/linbit/drbd meta-data (recorded from drbd-utils 9.22 here).
const recordedAgent: Runner = {
  run: async (file, args) => ({ file, args, code: 0, signal: null, stdout: LINBIT_META, stderr: '', timedOut: false, notFound: false, ms: 0 }),
  background: () => undefined,
};

describe('doctor flags each planted mistake, and nothing else', () => {
  it.each(Object.entries(expected))('%s', async (name, exp) => {
    const xml = readFileSync(join(FIX, `${(exp.crm ?? `${name}.crm`).replace(/\.crm$/, '')}.xml`), 'utf8');
    const report = await lintCib(xml, { run: recordedAgent, apacheConfig: join(FIX, exp.apacheConfig) });
    expect(report.findings.map((f) => f.rule).sort()).toEqual([...exp.rules].sort());
    for (const f of report.findings) {
      expect(f.line).toBeGreaterThan(0);
      expect(f.fix.length).toBeGreaterThan(10);
    }
  });

  it('points at the line to fix (seed 001: default-action-timeout and stonith-enabled nvpairs)', async () => {
    const xml = readFileSync(join(FIX, 'seed-001-web.xml'), 'utf8');
    const lines = xml.split('\n');
    const report = await lintCib(xml, { apacheConfig: join(FIX, 'seed-001-httpd-denied.conf') });
    const dat = report.findings.find((f) => f.rule === 'default-action-timeout')!;
    expect(lines[dat.line - 1]).toContain('name="default-action-timeout"');
    const st = report.findings.find((f) => f.rule === 'stonith-disabled')!;
    expect(lines[st.line - 1]).toContain('name="stonith-enabled" value="false"');
    const ap = report.findings.find((f) => f.rule === 'apache-status')!;
    expect(ap.fix).toContain('seed-001-httpd-denied.conf line 9');
    expect(ap.message).toContain('Deny from all');
  });
});

describe('doctor passes the templates\' output', () => {
  for (const t of TEMPLATES) {
    it.each(Object.entries(t.examples))(`${t.name} %s`, async (_n, set) => {
      const xml = renderAs(instantiate(t, new Map(Object.entries(set))), 'xml');
      const report = await lintCib(xml, { apacheConfig: join(FIX, 'apache-ok.conf') });
      expect(report.findings).toEqual([]);
    });
  }
});

describe('drbd meta-data defects', () => {
  it('finds the known defects in ocf:linbit:drbd 9.22', () => {
    const d = metadataDefects(LINBIT_META);
    expect(d).toContain('parameter require_drbd_module_version_lt has no <shortdesc>');
    expect(d).toContain('parameter require_drbd_module_version_ge has an empty <shortdesc>');
    expect(d).toContain('action validate-all has no timeout');
    expect(d.some((x) => /role Master/.test(x))).toBe(true);
    expect(d.some((x) => /unfence_extra_args is typed boolean/.test(x))).toBe(true);
  });

  it('finds none in ocf:hakit:drbd', async () => {
    expect(metadataDefects(buildMetadata(await AGENTS.drbd!()))).toEqual([]);
  });
});

describe('CIB parsing', () => {
  it('reads legacy <master>, role names as written, and op intervals in ms', () => {
    const cib = parseCib(readFileSync(join(FIX, 'seed-001-web.xml'), 'utf8'));
    const ms = cib.clones.find((c) => c.id === 'ms_drbd')!;
    expect(ms).toMatchObject({ legacyMaster: true, promotable: true, child: 'res_drbd' });
    expect(cib.primitives.find((p) => p.id === 'res_drbd')!.ops).toMatchObject([{ name: 'monitor', intervalMs: 20_000, role: undefined }]);
    expect(cib.colocations[0]).toMatchObject({ rsc: 'rg_web', withRsc: 'ms_drbd', withRole: 'Master' });
    expect(cib.groups[0]!.members).toEqual(['res_vip', 'res_filesystem', 'res_httpd']);
  });
});
