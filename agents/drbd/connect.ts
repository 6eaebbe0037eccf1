import { existsSync } from 'node:fs';
import { pollWithin } from '../../src/ocf/budget';
import { NotInstalledError } from '../../src/ocf/errors';
import { drbdadm, drbdsetup, logFailure, promotedPeers, readProc, type Session } from './session';
import type { DrbdState } from './state';

// Bringing a resource up: module, kernel objects, disk, network. Every wait bounded by the action's budget.

const DEVICE_WAIT_LIMIT_MS = 20_000;
const MODULE_WAIT_LIMIT_MS = 5_000;

// Loads the drbd module with the configured parameters when /proc/drbd is missing (5 when that fails).
export const ensureModule = async (s: Session): Promise<void> => {
  if (readProc(s.ctx) !== undefined) return;
  const parms = await drbdadm(s, ['sh-mod-parms'], []);
  const extra = parms.code === 0 ? parms.stdout.split(/\s+/).filter((x) => /^[\w.,=-]+$/.test(x)) : [];
  const r = await s.ctx.exec.run('modprobe', ['-s', 'drbd', ...extra]);
  if (r.code !== 0) {
    logFailure(s, r);
    throw new NotInstalledError('Cannot load the drbd kernel module');
  }
  const ok = await pollWithin(s.ctx.budget, async () => (readProc(s.ctx) !== undefined ? true : undefined), {
    intervalMs: 100,
    limitMs: MODULE_WAIT_LIMIT_MS,
  });
  if (!ok) throw new NotInstalledError('drbd module loaded but /proc/drbd did not appear');
};

// The /dev/drbdN paths of the resource (drbdadm sh-dev).
const devicePaths = async (s: Session): Promise<string[]> => {
  const r = await drbdadm(s, ['sh-dev']);
  return r.code === 0 ? r.stdout.split(/\s+/).filter((x) => x.startsWith('/dev/')) : [];
};

// Creates the kernel objects and waits (bounded) for the device nodes; false when they cannot be created.
export const createDevices = async (s: Session): Promise<{ ok: boolean; why?: string }> => {
  for (const sub of ['new-resource', 'new-minor']) {
    const r = await drbdadm(s, [sub]);
    if (r.code !== 0) {
      logFailure(s, r);
      return { ok: false, why: `drbdadm ${sub} ${s.res} failed (rc ${r.code})` };
    }
  }
  const devs = await devicePaths(s);
  const ok = await pollWithin(s.ctx.budget, async () => (devs.every((d) => existsSync(d)) ? true : undefined), {
    intervalMs: 100,
    limitMs: DEVICE_WAIT_LIMIT_MS,
  });
  return ok ? { ok: true } : { ok: false, why: `device nodes ${devs.join(' ')} did not appear in time` };
};

// "No valid meta data found" (8.4, recorded in the VM kit), "No valid meta-data signature found" (9)
const NO_METADATA = /no valid meta[- ]?data|meta[- ]?data signature|create-md/i;

// Attaches the backing disks: `adjust --skip-net` on DRBD 9, `attach` on 8.x. A disk without DRBD meta-data is
// this host's configuration problem (5), and creating meta-data is the operator's decision, never the agent's:
// the kernel objects just created are removed again and NotInstalledError thrown.
export const attach = async (s: Session, v9: boolean): Promise<boolean> => {
  const r = await drbdadm(s, v9 ? ['adjust', '--skip-net'] : ['attach']);
  if (r.code === 0) return true;
  logFailure(s, r);
  if (NO_METADATA.test(`${r.stdout}\n${r.stderr}`)) {
    const d = await drbdadm(s, ['down']);
    if (d.code !== 0) logFailure(s, d, 'warn');
    throw new NotInstalledError(`no DRBD meta-data on the backing disk of ${s.res} (drbdadm create-md is the operator's decision)`);
  }
  return false;
};

// wfc_timeout in seconds, or undefined (empty / non-numeric: do not wait); never beyond the budget.
export const waitSeconds = (s: Session): number | undefined => {
  const raw = s.ctx.params.wfc_timeout.trim();
  if (!/^\d+$/.test(raw)) return undefined;
  const room = Math.floor((s.ctx.budget.remaining() - 2000) / 1000);
  const t = Math.min(Number(raw), room);
  return t > 0 ? t : undefined;
};

const wfcArgs = (t: number) => [`--wfc-timeout=${t}`, `--degr-wfc-timeout=${t}`, `--outdated-wfc-timeout=${t}`];

// Connects (drbdadm adjust) and waits at most wfc_timeout for the connection. On DRBD 9 a peer that Pacemaker
// reports promoted is connected first.
export const connect = async (s: Session, state: DrbdState, v9: boolean): Promise<void> => {
  if (v9) {
    const peer = (await promotedPeers(s))?.[0];
    if (peer && /^[-%+./0-9:=@A-Z_a-z]+$/.test(peer)) {
      const r = await drbdadm(s, ['adjust'], [`${s.res}:${peer}`]);
      if (r.code !== 0) logFailure(s, r, 'warn');
    }
  }
  const r = await drbdadm(s, ['adjust']);
  if (r.code !== 0) logFailure(s, r, 'warn');
  const t = waitSeconds(s);
  if (t === undefined) return;
  if (v9) {
    const w = await drbdsetup(s, ['wait-connect-resource', s.res, ...wfcArgs(t)], { timeoutMs: (t + 2) * 1000 });
    if (w.code !== 0) logFailure(s, w, 'info');
    return;
  }
  for (const v of state.volumes) {
    if (v.minor === undefined) continue;
    const w = await drbdsetup(s, ['wait-connect', String(v.minor), ...wfcArgs(t)], { timeoutMs: (t + 2) * 1000 });
    if (w.code !== 0) logFailure(s, w, 'info');
  }
};
