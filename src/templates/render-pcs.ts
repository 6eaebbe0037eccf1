import type { ClusterConfig, Op, Pairs, Primitive } from './model';

// pcs (0.11) commands that build the configuration into a CIB file, pushed at the end: a POSIX shell script.
// Every argument is a separate shell word; values are checked against strict character sets and single-quoted
// whenever they hold anything but the plainest characters.

const word = (s: string) => (/^[A-Za-z0-9_.:/@+=,-]+$/.test(s) ? s : `'${s}'`);
const kvs = (ps: Pairs) => ps.map(([k, v]) => `${k}=${v}`);
const opWords = (o: Op) => ['op', o.name, `interval=${o.interval}s`, `timeout=${o.timeout}s`, ...(o.role ? [`role=${o.role}`] : [])];
const agent = (p: Primitive) => (p.agent.cls === 'ocf' ? `ocf:${p.agent.provider}:${p.agent.type}` : p.agent.type);

// One `pcs -f "$CIB" ...` command per line, each an argument list (tests run them without a shell).
export const pcsCommands = (c: ClusterConfig): string[][] => {
  const cmds: string[][] = [];
  const groupOf = new Map<string, string>();
  for (const g of c.groups) for (const m of g.members) groupOf.set(m, g.id);
  const cloneOf = new Map(c.clones.map((cl) => [cl.child, cl]));
  if (c.properties.length) cmds.push(['property', 'set', ...kvs(c.properties)]);
  if (c.rscDefaults.length) cmds.push(['resource', 'defaults', 'update', ...kvs(c.rscDefaults)]);
  for (const p of c.primitives) {
    const ops = p.ops.flatMap(opWords);
    const meta = p.meta?.length ? ['meta', ...kvs(p.meta)] : [];
    if (p.agent.cls === 'stonith') {
      cmds.push(['stonith', 'create', p.id, agent(p), ...kvs(p.params), ...ops, ...meta]);
      continue;
    }
    const tail: string[] = [];
    const cl = cloneOf.get(p.id);
    if (cl) tail.push(cl.promotable ? 'promotable' : 'clone', cl.id, ...kvs(cl.meta));
    const g = groupOf.get(p.id);
    if (g) tail.push('--group', g);
    cmds.push(['resource', 'create', p.id, agent(p), ...kvs(p.params), ...ops, ...meta, ...tail, '--no-default-ops']);
  }
  for (const cl of c.clones) {
    if (groupOf.has(cl.child) || c.primitives.some((p) => p.id === cl.child)) continue;
    cmds.push(['resource', cl.promotable ? 'promotable' : 'clone', cl.child, cl.id, ...kvs(cl.meta)]);
  }
  // `--` before the negative score: pcs would read -INFINITY as an option otherwise.
  for (const l of c.locations) cmds.push(['constraint', 'location', 'add', l.id, l.rsc, l.node, '--', l.score]);
  for (const co of c.colocations) {
    cmds.push(['constraint', 'colocation', 'add', co.rsc, 'with', ...(co.withRole ? [co.withRole] : []), co.withRsc,
      'INFINITY', `id=${co.id}`]);
  }
  for (const o of c.orders) {
    cmds.push(['constraint', 'order', o.firstAction, o.first, 'then', o.thenAction, o.then, 'kind=Mandatory', `id=${o.id}`]);
  }
  return cmds;
};

// The pcs commands as a shell script working on a CIB file, pushed to the live cluster at the end.
export const renderPcs = (c: ClusterConfig): string => {
  const lines = [
    '#!/bin/sh',
    '# Builds the configuration in a CIB file, then pushes it; CIB=file keeps it offline (no push).',
    'set -eu',
    'push=no',
    'if [ -z "${CIB:-}" ]; then CIB=$(mktemp); pcs cluster cib > "$CIB"; push=yes; fi',
    ...pcsCommands(c).map((args) => `pcs -f "$CIB" ${args.map(word).join(' ')}`),
    'if [ "$push" = yes ]; then pcs cluster cib-push "$CIB" --config; rm -f "$CIB"; fi',
  ];
  return `${lines.join('\n')}\n`;
};
