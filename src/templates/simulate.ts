import { join } from 'node:path';
import type { Runner } from '../exec/run';
import { parseCrmMonPlacements, type Placement } from './cluster-state';
import type { Rendered } from './model';
import { renderXml } from './render-xml';
import { cliRunner, emptyCib, messages, onCib, scratchDir, writeText } from './tools';

// `hakit template simulate`: crm_simulate on a scratch CIB holding the template. Both nodes come up with an
// UpToDate DRBD (promotion score 10000 on each, as the drbd agent would set), the transition runs; then one node
// fails (fenced by its fence device) and the next transition runs. It passes when the service ends up on the
// surviving node with DRBD Promoted there.

export interface Simulation {
  readonly ok: boolean;
  readonly failed: string;
  readonly survivor: string;
  readonly before: readonly Placement[];
  readonly after: readonly Placement[];
  readonly problems: readonly string[];
}

const PROMOTION_SCORE = '10000';

// The primitives that make up the service (group members or the cloned primitive).
const serviceMembers = (r: Rendered): string[] => {
  const g = r.config.groups.find((x) => x.id === r.service);
  if (g) return [...g.members];
  const c = r.config.clones.find((x) => x.id === r.service);
  return c ? [c.child] : [r.service];
};

const drbdPrimitive = (r: Rendered) => r.config.clones.find((c) => c.id === r.promotable)!.child;

const step = async (run: Runner, args: string[]) => {
  const res = await run.run('crm_simulate', args);
  if (res.code !== 0) throw new Error(`crm_simulate ${args.join(' ')} exited ${res.code}: ${messages(res).slice(-5).join(' / ')}`);
};

const placements = async (run: Runner, cib: string): Promise<Placement[]> => {
  const res = await onCib(run, cib, 'crm_mon', ['-1', '--output-as=xml']);
  if (res.code !== 0) throw new Error(`crm_mon exited ${res.code}: ${messages(res).join(' / ')}`);
  return parseCrmMonPlacements(res.stdout);
};

// Runs the two transitions; `fail` picks the node to fail (default: where the service first runs).
export const simulateFailover = async (r: Rendered, fail?: string, run: Runner = cliRunner()): Promise<Simulation> => {
  const { dir, cleanup } = scratchDir();
  try {
    const nodes = r.config.nodes;
    if (fail !== undefined && !nodes.includes(fail)) throw new Error(`--fail ${fail}: not a node of this template (${nodes.join(', ')})`);
    const base = join(dir, 'base.xml');
    const conf = join(dir, 'configuration.xml');
    await emptyCib(run, base);
    writeText(conf, renderXml(r.config));
    const load = await onCib(run, base, 'cibadmin', ['--replace', '--scope', 'configuration', '--xml-file', conf]);
    if (load.code !== 0) throw new Error(`cibadmin could not load the configuration: ${messages(load).join(' / ')}`);
    const up = join(dir, 'up.xml');
    await step(run, ['--xml-file', base, ...nodes.flatMap((n) => ['--node-up', n]), '--save-output', up]);
    for (const n of nodes) {
      const a = await onCib(run, up, 'crm_attribute', ['--node', n, '--name', `master-${drbdPrimitive(r)}`, '--update', PROMOTION_SCORE, '--lifetime', 'reboot']);
      if (a.code !== 0) throw new Error(`crm_attribute exited ${a.code}: ${messages(a).join(' / ')}`);
    }
    const started = join(dir, 'started.xml');
    await step(run, ['--xml-file', up, '--simulate', '--save-output', started]);
    const before = await placements(run, started);
    const members = serviceMembers(r);
    const victim = fail ?? before.find((p) => p.id === members[0] && p.node)?.node ?? nodes[0]!;
    const survivor = nodes.find((n) => n !== victim)!;
    const failed = join(dir, 'failed.xml');
    await step(run, ['--xml-file', started, '--node-fail', victim, '--simulate', '--save-output', failed]);
    const after = await placements(run, failed);
    const problems: string[] = [];
    for (const m of members) {
      const on = after.filter((p) => p.id === m && p.node).map((p) => p.node);
      if (!on.includes(survivor)) problems.push(`${m} is not running on ${survivor}`);
      if (on.includes(victim)) problems.push(`${m} still placed on the failed node ${victim}`);
    }
    const drbd = drbdPrimitive(r);
    if (!after.some((p) => p.id === drbd && p.node === survivor && p.role === 'Promoted')) problems.push(`${drbd} is not Promoted on ${survivor}`);
    return { ok: problems.length === 0, failed: victim, survivor, before, after, problems };
  } finally {
    cleanup();
  }
};

const table = (ps: readonly Placement[]) => {
  const w = Math.max(8, ...ps.map((p) => p.id.length));
  return ps.map((p) => `  ${p.id.padEnd(w)}  ${p.role.padEnd(10)}  ${p.node ?? '-'}`);
};

// The simulation as text: both placements and the verdict.
export const formatSimulation = (s: Simulation): string => [
  'initial placement (both nodes up, DRBD UpToDate on both):',
  ...table(s.before),
  `after ${s.failed} fails (fenced):`,
  ...table(s.after),
  s.ok ? `ok: service and DRBD Promoted on ${s.survivor}` : `FAILED: ${s.problems.join('; ')}`,
  '',
].join('\n');
