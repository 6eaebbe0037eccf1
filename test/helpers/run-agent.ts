import { spawnSync } from 'node:child_process';

export interface AgentRun {
  code: number;
  stdout: string;
  stderr: string;
  reason: string | undefined; // the ocf-exit-reason line, if any
}

// Runs an agent binary as Pacemaker does: OCF_RESKEY_* in the environment, the action as the only argument.
export const runAgentBinary = (
  path: string,
  action: string,
  params: Record<string, string>,
  extraEnv: Record<string, string> = {},
  opts: { netns?: string; timeoutMs?: number } = {},
): AgentRun => {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
    OCF_ROOT: '/usr/lib/ocf',
    OCF_RA_VERSION_MAJOR: '1',
    OCF_RA_VERSION_MINOR: '1',
    OCF_RESOURCE_INSTANCE: 'test-rsc',
    ...extraEnv,
  };
  for (const [k, v] of Object.entries(params)) env[`OCF_RESKEY_${k}`] = v;
  const [file, args] = opts.netns ? ['ip', ['netns', 'exec', opts.netns, path, action]] : [path, [action]];
  const r = spawnSync(file, args, { env, encoding: 'utf8', timeout: opts.timeoutMs ?? 120_000 });
  const reason = /^ocf-exit-reason:(.*)$/m.exec(r.stderr ?? '')?.[1];
  return { code: r.status ?? 128, stdout: r.stdout ?? '', stderr: r.stderr ?? '', reason };
};
