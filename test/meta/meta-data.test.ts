import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAKIT, ROOT, agentPath } from '../helpers/dist';
import { AGENTS } from '../../agents/index';
import { buildMetadata } from '../../src/ocf/metadata';

const agents = execFileSync(HAKIT, ['agents'], { encoding: 'utf8' }).trim().split('\n');
const OFFICIAL = join(ROOT, 'test/fixtures/schemas/ocf-ra-api-1.1.rng');
const PCS = '/usr/share/pcs/data/ocf-1.1.rng';

const xmllint = (schema: string, xml: string) =>
  spawnSync('xmllint', ['--noout', '--relaxng', schema, '-'], { input: xml, encoding: 'utf8' });

describe.each(agents)('meta-data of %s', (agent) => {
  const run = () => spawnSync(agentPath(agent), ['meta-data'], { encoding: 'utf8', env: { PATH: '/nonexistent' } });

  it('is printed without root, parameters or PATH, and equals the golden file meta/<agent>.xml', () => {
    const r = run();
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(readFileSync(join(ROOT, 'meta', `${agent}.xml`), 'utf8'));
  });

  it('is what the framework builds from the spec (the golden file is spec-derived, not hand-written)', async () => {
    const load = AGENTS[agent];
    expect(load).toBeDefined();
    expect(`${buildMetadata(await (load as NonNullable<typeof load>)())}\n`).toBe(readFileSync(join(ROOT, 'meta', `${agent}.xml`), 'utf8'));
  });

  it('validates against the official OCF 1.1 RelaxNG schema', () => {
    const v = xmllint(OFFICIAL, run().stdout);
    expect(v.stderr).toContain('validates');
    expect(v.status).toBe(0);
  });

  it("validates against pcs's OCF 1.1 schema", () => {
    const v = xmllint(PCS, run().stdout);
    expect(v.stderr).toContain('validates');
    expect(v.status).toBe(0);
  });

  it('also passes the OCF 1.0 DTD that ocf-tester (resource-agents 4.12) validates against', () => {
    const v = spawnSync('xmllint', ['--noout', '--valid', '-'], { input: run().stdout, encoding: 'utf8', cwd: '/usr/share/resource-agents' });
    expect(v.stderr).toBe('');
    expect(v.status).toBe(0);
  });

  it('declares OCF 1.1, a timeout with a unit on every action, and a shortdesc on every parameter', () => {
    const xml = run().stdout;
    expect(xml).toContain('<version>1.1</version>');
    for (const m of xml.matchAll(/<action [^>]*>/g)) expect(m[0]).toMatch(/timeout="\d+s"/);
    const params = [...xml.matchAll(/<parameter name="[^"]+"[\s\S]*?<\/parameter>/g)];
    expect(params.length).toBeGreaterThan(0);
    for (const p of params) expect(p[0]).toMatch(/<shortdesc lang="en">[^<]+<\/shortdesc>/);
  });
});
