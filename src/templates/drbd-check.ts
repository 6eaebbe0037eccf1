import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Runner } from '../exec/run';
import type { Rendered } from './model';
import { renderDrbd } from './render-drbd';
import { messages, writeText } from './tools';

// The DRBD resource file checked by drbdadm's own parser as each node: `drbdadm -c FILE dump RES` under the node's
// host name (drbdadm picks its `on <host>` section by uname). The check re-runs this executable in a new UTS
// namespace (unshare --uts, root) as `hakit template drbdadm-as NODE FILE RES`, which sets the host name there and
// runs drbdadm; the host's own name is untouched.

// The parser of a DRBD version: drbdadm for 9; drbd-utils' drbdadm-84 for 8.4 (what drbdadm itself hands an 8.4
// kernel's resources to), where Debian (/usr/lib/drbd) or RHEL (/lib/drbd) installs it.
export const drbdadmFor = (version: string): string =>
  version === '8.4' ? ['/usr/lib/drbd/drbdadm-84', '/lib/drbd/drbdadm-84'].find((p) => existsSync(p)) ?? 'drbdadm-84' : 'drbdadm';

// Inside the UTS namespace: set the host name, run drbdadm dump; returns drbdadm's exit code.
export const drbdadmAs = async (run: Runner, node: string, file: string, res: string, version = '9'): Promise<number> => {
  const h = await run.run('hostname', [node]);
  if (h.code !== 0) {
    process.stderr.write(`hostname ${node} failed: ${messages(h).join(' / ')}\n`);
    return 1;
  }
  const drbdadm = drbdadmFor(version);
  const d = await run.run(drbdadm, ['-c', file, 'dump', res]);
  if (d.notFound) process.stderr.write(`${drbdadm} is not installed (drbd-utils)\n`);
  process.stdout.write(d.stdout);
  process.stderr.write(d.stderr);
  return d.code;
};

// Writes the DRBD file into `dir` and has drbdadm (drbdadm-84 for 8.4) parse it as every node; returns the problems
// (empty = accepted).
export const checkDrbdFile = async (run: Runner, r: Rendered, dir: string): Promise<string[]> => {
  const file = join(dir, `${r.drbd.name}.res`);
  writeText(file, renderDrbd(r.drbd));
  const self = process.argv[1] ?? process.execPath;
  const problems: string[] = [];
  for (const node of r.config.nodes) {
    const d = await run.run('unshare', ['--uts', '--', self, 'template', 'drbdadm-as', node, file, r.drbd.name, r.drbd.version]);
    const lines = messages(d).filter((l) => !/^modinfo: ERROR: Module drbd not found\.$/.test(l) && !/not found on this host\.?$|^IP .* not found on this host/.test(l));
    if (d.code !== 0) problems.push(`drbdadm dump as ${node} exited ${d.code}`, ...lines.filter((l) => !l.startsWith('#') && !/^\s/.test(l)).slice(0, 5));
    else if (!d.stdout.includes(`on ${node} {`)) problems.push(`drbdadm dump as ${node}: no "on ${node}" section in its output`);
  }
  return problems;
};
