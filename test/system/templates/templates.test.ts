import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEMPLATES, instantiate, renderAs } from '../../../src/templates/index';
import { DIST, HAKIT, ROOT } from '../../helpers/dist';
import { canonicalXml } from './canonical';
import { hakit, setArgs, type CliRun } from './run-cli';

// Every template × every example set, with the real tools: crmsh loads the crm and crm-ms forms, cibadmin the
// XML form, pcs -f the pcs form, each into its own scratch CIB; crm_verify is clean; the forms
// load to the same configuration; crm_simulate fails the service's node and finds the service and the Promoted
// DRBD on the other; drbdadm accepts the DRBD file under each node's host name. Provider hakit uses the built
// agents (dist/resource.d/hakit) through `verify --agents` (a private mount namespace: Pacemaker's OCF path is
// compiled in); provider heartbeat uses the installed ocf:heartbeat/ocf:linbit agents.

const AGENTS_DIR = join(DIST, 'resource.d', 'hakit');
const work = mkdtempSync(join(tmpdir(), 'hakit-tpl-sys-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeAll(() => {
  expect(existsSync(HAKIT), `build first: ${HAKIT}`).toBe(true);
  for (const a of ['drbd', 'Filesystem', 'IPaddr2', 'apache']) expect(existsSync(join(AGENTS_DIR, a)), `agent ${a} built`).toBe(true);
});

const VERIFY_TIMEOUT = 240_000;

// Runs jobs at most `limit` at a time (verify is mostly one long pcs run: two at once use both cores).
const limited = async <T>(jobs: (() => Promise<T>)[], limit = 2): Promise<T[]> => {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]!();
    }
  }));
  return out;
};

const APACHE_OK = join(ROOT, 'test', 'fixtures', 'cib', 'apache-ok.conf');

describe.each(TEMPLATES.map((t) => [t.name, t] as const))('template %s', (name, t) => {
  const sets = Object.entries(t.examples);
  // Every parameter set goes through every form, pcs included (pcs takes ~0.5-2 s per command, a dozen per
  // template: the slowest part of the suite, and the one that proves the pcs form of each set).
  const formsOf = (_setName: string) => ['crm', 'crm-ms', 'pcs', 'xml'];
  const keepOf = (setName: string) => join(work, `${name}-${setName}`);
  const verified = new Map<string, CliRun>();

  // All of this template's verify runs (every example set with provider hakit, the default set with heartbeat),
  // two at a time.
  beforeAll(async () => {
    const jobs = [
      ...sets.map(([setName, set]) => async () => [setName, await hakit(['template', 'verify', name, ...setArgs(set),
        '-f', [...formsOf(setName), 'drbd'].join(','), '--agents', AGENTS_DIR, '--keep', keepOf(setName)])] as const),
      async () => ['heartbeat', await hakit(['template', 'verify', name, '--set', 'provider=heartbeat', '-f', 'crm,xml',
        '--keep', keepOf('heartbeat')])] as const,
    ];
    for (const [k, r] of await limited(jobs)) verified.set(k, r);
  }, 600_000);

  for (const [setName, set] of sets) {
    it(`${setName}: crmsh, pcs and cibadmin load it, crm_verify is clean, all forms agree, drbdadm takes the DRBD file (provider hakit)`, () => {
      const r = verified.get(setName)!;
      expect(r.stderr).toBe('');
      expect(r.code, r.stdout).toBe(0);
      const list = formsOf(setName);
      for (const f of list) expect(r.stdout).toMatch(new RegExp(`^ok   ${f}: loaded by \\S+, crm_verify clean$`, 'm'));
      const nodes = instantiate(t, new Map(Object.entries(set))).config.nodes;
      expect(r.stdout).toMatch(new RegExp(`^ok   drbd: drbdadm dump accepts it as ${nodes[0]} and ${nodes[1]}$`, 'm'));
      const read = (f: string) => readFileSync(join(keepOf(setName), `${f}.cib.xml`), 'utf8');
      const ref = canonicalXml(read('crm'));
      expect(ref.primitives.some((p) => p.agent === 'ocf:hakit:drbd')).toBe(true);
      for (const f of list) expect(canonicalXml(read(f), f !== 'pcs'), `${f} vs crm`).toEqual(f === 'pcs' ? { ...ref, nodes: [] } : ref);
    });

    it(`${setName}: hakit doctor finds nothing in what crmsh and pcs loaded`, async () => {
      for (const f of formsOf(setName)) {
        const d = await hakit(['doctor', '--cib', join(keepOf(setName), `${f}.cib.xml`), '--apache-config', APACHE_OK]);
        expect(d.stdout, f).toBe('no findings\n');
        expect(d.code).toBe(0);
      }
    });
    it(`${setName}: simulated failure of the service's node ends with the service and DRBD Promoted on the other`, async () => {
      const r = await hakit(['template', 'simulate', name, ...setArgs(set)]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const rendered = instantiate(t, new Map(Object.entries(set)));
      const [n1, n2] = rendered.config.nodes;
      const after = r.stdout.slice(r.stdout.indexOf(`after ${n1} fails`));
      expect(after, r.stdout).not.toBe('');
      const members = rendered.config.groups.find((g) => g.id === rendered.service)?.members
        ?? [rendered.config.clones.find((c) => c.id === rendered.service)!.child];
      for (const m of members) expect(after).toMatch(new RegExp(`^  ${m}\\s+Started\\s+${n2}$`, 'm'));
      expect(after).toMatch(new RegExp(`^  p_drbd_\\S+\\s+Promoted\\s+${n2}$`, 'm'));
      expect(after).not.toMatch(new RegExp(`\\s${n1}$`, 'm'));
      expect(r.stdout).toContain(`ok: service and DRBD Promoted on ${n2}`);
    });

    it(`${setName}: drbdadm accepts the DRBD file as each node, and refuses it on another host`, () => {
      const rendered = instantiate(t, new Map(Object.entries(set)));
      const file = join(work, `${name}-${setName}.res`);
      writeFileSync(file, renderAs(rendered, 'drbd'));
      const asHost = (host: string) => spawnSync('unshare', ['--uts', 'sh', '-c', 'hostname "$1" && exec drbdadm -c "$2" dump "$3"', 'sh', host, file, rendered.drbd.name], { encoding: 'utf8' });
      for (const node of rendered.config.nodes) {
        const d = asHost(node);
        expect(d.status, d.stderr).toBe(0);
        expect(d.stdout).toContain(`resource ${rendered.drbd.name} {`);
        expect(d.stdout).toContain(`on ${node} {`);
        expect(d.stdout).toMatch(/protocol\s+C;/);
        expect(d.stdout).toMatch(/fencing\s+resource-and-stonith;/);
        expect(d.stdout).toMatch(/fence-peer\s+\/usr\/lib\/drbd\/crm-fence-peer\.9\.sh;/);
        expect(d.stdout).toContain(`device           /dev/drbd${rendered.drbd.minor} minor ${rendered.drbd.minor};`);
        expect(/allow-two-primaries\s+yes;/.test(d.stdout)).toBe(rendered.dualPrimary);
      }
      const other = asHost('not-a-node');
      expect(other.status).not.toBe(0);
      expect(other.stderr).toContain('not defined in your config (for this host)');
    });
  }

  it('default set, provider heartbeat: crmsh and cibadmin load it with the installed agents, crm_verify clean', () => {
    const r = verified.get('heartbeat')!;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const crm = canonicalXml(readFileSync(join(keepOf('heartbeat'), 'crm.cib.xml'), 'utf8'));
    expect(crm.primitives.filter((p) => p.agent.includes(':hakit:'))).toEqual([]);
    expect(crm.primitives.some((p) => p.agent === 'ocf:linbit:drbd')).toBe(true);
    expect(canonicalXml(readFileSync(join(keepOf('heartbeat'), 'xml.cib.xml'), 'utf8'))).toEqual(crm);
  });
});

describe('verify fails when the agents are missing', () => {
  it('--agents pointing at an empty directory: crmsh reports the missing meta-data and verify exits 1', async () => {
    const empty = join(work, 'no-agents');
    mkdirSync(empty);
    const r = await hakit(['template', 'verify', 'drbd-fs', '-f', 'crm', '--agents', empty]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL crm: not accepted when loading$/m);
    expect(r.stdout).toContain('ocf:hakit:drbd: got no meta-data');
  }, VERIFY_TIMEOUT);
});

describe('verify catches a broken configuration', () => {
  it('equal DRBD monitor intervals for both roles: crmsh warns, the crm form fails', async () => {
    const { findTemplate } = await import('../../../src/templates/index');
    const { verifyRendered } = await import('../../../src/templates/verify');
    const r = instantiate(findTemplate('web')!, new Map([['provider', 'heartbeat']]));
    const primitives = r.config.primitives.map((p) => (p.agent.type !== 'drbd' ? p
      : { ...p, ops: p.ops.map((o) => (o.name === 'monitor' ? { ...o, interval: 30 } : o)) }));
    const [res] = await verifyRendered({ ...r, config: { ...r.config, primitives } }, ['crm']);
    expect(res!.ok).toBe(false);
    expect(res!.details.join('\n')).toContain('interval in monitor must be unique');
  }, VERIFY_TIMEOUT);
});

describe('the DRBD file for the DRBD 8.4 module (drbd_version=8.4)', () => {
  it.each(TEMPLATES.map((t) => [t.name] as const))('%s: drbdadm-84 takes the 8.4 file as both nodes', async (name) => {
    const r = await hakit(['template', 'verify', name, '--set', 'drbd_version=8.4', '-f', 'drbd']);
    expect(r.stderr).toBe('');
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/^ok   drbd: drbdadm-84 dump accepts it as node1 and node2$/m);
  }, VERIFY_TIMEOUT);

  it('drbdadm-84 refuses the DRBD 9 file (what drbdadm does on a node with the 8.4 module); drbdadm takes it', async () => {
    const { findTemplate } = await import('../../../src/templates/index');
    const file = join(work, 'r0-9.res');
    writeFileSync(file, renderAs(instantiate(findTemplate('web')!, new Map()), 'drbd'));
    const as84 = spawnSync('unshare', ['--uts', '--', HAKIT, 'template', 'drbdadm-as', 'node1', file, 'r0', '8.4'], { encoding: 'utf8' });
    expect(as84.status).not.toBe(0);
    expect(as84.stderr).toMatch(/Parse error: 'an option keyword' expected,\s+but got 'fencing'/);
    const as9 = spawnSync('unshare', ['--uts', '--', HAKIT, 'template', 'drbdadm-as', 'node1', file, 'r0'], { encoding: 'utf8' });
    expect(as9.status, as9.stderr).toBe(0);
    expect(as9.stdout).toContain('on node1 {');
  });
});
