import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cliRunner, messages } from './tools';

// `--agents DIR`: make DIR visible as OCF provider "hakit" to crmsh and Pacemaker's tools without installing it.
// Pacemaker 2.1.5 has the OCF directory compiled in (/usr/lib/ocf/resource.d; OCF_ROOT is not honoured by
// crm_resource, which crmsh asks for meta-data), so the command re-runs itself in a private mount namespace
// (unshare --mount, root only) where a view of resource.d with hakit -> DIR is bind-mounted over the real one.
// Nothing changes outside that namespace; the view's directory is removed afterwards.

export const NS_ENV = 'HAKIT_AGENTS_VIEW';
const OCF_DIR = '/usr/lib/ocf/resource.d';

// True when this process already runs inside the namespace set up for --agents.
export const inAgentsNamespace = (): boolean => process.env[NS_ENV] !== undefined;

// Parent side: re-runs this very command in a private mount namespace; returns its exit code.
export const rerunWithAgents = async (dir: string): Promise<number> => {
  const view = mkdtempSync(join(tmpdir(), 'hakit-ocf-view-'));
  try {
    const run = cliRunner();
    const self = process.argv[1] ?? process.execPath;
    const r = await run.run('unshare', ['--mount', '--propagation', 'private', '--', self, ...process.argv.slice(2)], {
      env: { [NS_ENV]: JSON.stringify({ view, agents: resolve(dir) }) },
    });
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    if (r.notFound) process.stderr.write('hakit: unshare(1) not found\n');
    return r.code;
  } finally {
    rmSync(view, { recursive: true, force: true });
  }
};

// Child side (inside the namespace): builds the view (every installed provider plus hakit -> DIR) and mounts it.
export const mountAgentsView = async (): Promise<void> => {
  const { view, agents } = JSON.parse(process.env[NS_ENV] ?? '{}') as { view: string; agents: string };
  const run = cliRunner(30_000);
  const orig = join(view, 'orig');
  const top = join(view, 'resource.d');
  mkdirSync(orig);
  mkdirSync(top);
  const bind = async (src: string, dst: string) => {
    const r = await run.run('mount', ['--bind', src, dst]);
    if (r.code !== 0) throw new Error(`mount --bind ${src} ${dst} failed (root needed): ${messages(r).join(' / ')}`);
  };
  await bind(OCF_DIR, orig);
  for (const name of readdirSync(orig)) if (name !== 'hakit') symlinkSync(join(orig, name), join(top, name));
  symlinkSync(agents, join(top, 'hakit'));
  await bind(top, OCF_DIR);
};
