import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
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

// Child side (inside the namespace): builds the view (every installed provider bind-mounted at the same depth, so
// their relative links such as heartbeat/.ocf-shellfuncs still resolve, plus hakit -> DIR) and mounts it.
export const mountAgentsView = async (): Promise<void> => {
  const { view, agents } = JSON.parse(process.env[NS_ENV] ?? '{}') as { view: string; agents: string };
  const run = cliRunner(30_000);
  const top = join(view, 'resource.d');
  mkdirSync(top);
  const bind = async (src: string, dst: string, how = '--bind') => {
    const r = await run.run('mount', [how, src, dst]);
    if (r.code !== 0) throw new Error(`mount --bind ${src} ${dst} failed (root needed): ${messages(r).join(' / ')}`);
  };
  for (const e of readdirSync(OCF_DIR, { withFileTypes: true })) {
    if (e.name === 'hakit') continue;
    const src = join(OCF_DIR, e.name);
    if (e.isDirectory()) {
      mkdirSync(join(top, e.name));
      await bind(src, join(top, e.name));
    } else {
      symlinkSync(realpathSync(src), join(top, e.name));
    }
  }
  symlinkSync(agents, join(top, 'hakit'));
  await bind(top, OCF_DIR, '--rbind'); // recursive: the provider bind mounts inside the view come along
};
