import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { agentPath, upstreamAgentPath } from '../../helpers/dist';
import { runAgentBinary, type AgentRun } from '../../helpers/run-agent';
import { createInstance, destroyInstance, HTTPD, instancePids, masterPid, type TestInstance } from '../../fixtures/apache/instance.mjs';

export { createInstance, destroyInstance, HTTPD, instancePids, masterPid, type TestInstance };

export const HAKIT_APACHE = agentPath('apache');
export const UPSTREAM_APACHE = upstreamAgentPath('heartbeat', 'apache');

export const PROBE = { OCF_RESKEY_CRM_meta_interval: '0' };
export const RECURRING = { OCF_RESKEY_CRM_meta_interval: '10000' };

// One agent call for an instance, as Pacemaker makes it (resource name derived from the instance dir).
export const call = (
  agent: string, action: string, inst: TestInstance, extra: Record<string, string> = {}, env: Record<string, string> = {},
): AgentRun & { ms: number } => {
  const t = Date.now();
  const r = runAgentBinary(agent, action, { ...inst.params, ...extra },
    { OCF_RESOURCE_INSTANCE: inst.dir.replace('/tmp/', ''), HA_VARRUN: `${inst.dir}/run`, HA_RSCTMP: `${inst.dir}/run`, ...env });
  return { ...r, ms: Date.now() - t };
};

// Whether a process exists and is not a zombie.
export const alive = (pid: number | undefined): boolean => {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return false;
  const s = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return !/^\S+ \(.*\) [ZX] /.test(s);
};

// HTTP status of a URL on this host (curl, test side only), or 0 when nothing answers.
export const httpStatus = (url: string): number => {
  const r = spawnSync('curl', ['-sk', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', '5', url], { encoding: 'utf8' });
  return Number(r.stdout || 0);
};

// Starts an instance directly with apache2 (not through an agent), with its envvars.
export const startDirect = (inst: TestInstance): void => {
  const env: Record<string, string> = { ...process.env } as Record<string, string>;
  const text = readFileSync(inst.envvars, 'utf8');
  const dir = inst.dir;
  for (const m of text.matchAll(/^export (\w+)=(.*)$/gm)) {
    env[m[1] as string] = (m[2] as string).replace(/^"|"$/g, '').replace(/\$\{?HKAP_DIR\}?/g, dir);
  }
  const r = spawnSync(HTTPD, ['-f', inst.conf], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`apache2 failed: ${r.stderr}`);
};

// Waits (bounded) until cond() holds.
export const waitFor = (cond: () => boolean, ms = 10_000): boolean => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (cond()) return true;
    spawnSync('sleep', ['0.05']);
  }
  return cond();
};
