import { accessSync, constants } from 'node:fs';
import { ConfigError, NotInstalledError } from '../../src/ocf/errors';
import { quote } from '../../src/ocf/params';
import { dumpAllowsTwoPrimaries, versionCode, versionString } from './parse-tools';
import { drbdadm, moduleVersion, openSession, type Ctx, type Session } from './session';

// Validation of ocf:linbit:drbd, split by what each action needs; pure checks first, then the host.

const SAFE_NAME = /^[-%+./0-9:=@A-Z_a-z]+$/;

// Parameter syntax: resource and config names, version formats (6 when wrong everywhere).
export const checkSyntax = (ctx: Ctx): void => {
  const { drbd_resource: res, drbdconf } = ctx.params;
  if (!res) throw new ConfigError('No resource name specified (drbd_resource)', 'drbd_resource');
  if (!SAFE_NAME.test(res) || res.length > 255) {
    throw new ConfigError(`drbd_resource ${quote(res)} must only contain [-%+./0-9:=@A-Z_a-z]`, 'drbd_resource');
  }
  if (drbdconf && (!SAFE_NAME.test(drbdconf) || drbdconf.length > 4096)) {
    throw new ConfigError(`drbdconf ${quote(drbdconf)} must only contain [-%+./0-9:=@A-Z_a-z]`, 'drbdconf');
  }
  for (const op of ['ge', 'lt'] as const) {
    const v = ctx.params[`require_drbd_module_version_${op}`];
    if (v && !/^\d+\.\d+\.\d+$/.test(v)) {
      throw new ConfigError(`require_drbd_module_version_${op}: invalid version format ${quote(v)} (x.y.z)`, `require_drbd_module_version_${op}`);
    }
  }
};

// The DRBD configuration file must be readable on this node (5: another node may have it).
export const checkConfFile = (ctx: Ctx): void => {
  const f = ctx.params.drbdconf;
  if (!f) return;
  try {
    accessSync(f, constants.R_OK);
  } catch {
    throw new NotInstalledError(`Configuration file ${f} does not exist or is not readable`);
  }
};

// Clone meta attributes the agent supports (only checked when Pacemaker sent them).
export const checkCloneMeta = (ctx: Ctx, v9: boolean): void => {
  const m = ctx.meta;
  const bad = (what: string, want: string, got: number) => new ConfigError(`meta attribute ${what} must be ${want}, found ${got}`);
  if (m.cloneNodeMax !== undefined && m.cloneNodeMax !== 1) throw bad('clone-node-max', '1', m.cloneNodeMax);
  if (m.promotedNodeMax !== undefined && m.promotedNodeMax !== 1) throw bad('promoted-node-max', '1', m.promotedNodeMax);
  if (m.promotedMax !== undefined && m.promotedMax > 2) throw bad('promoted-max', '<= 2', m.promotedMax);
  const dual = (m.promotedMax ?? 1) >= 2;
  if ((!v9 || dual) && m.cloneMax !== undefined && m.cloneMax > 2) throw bad('clone-max', '<= 2', m.cloneMax);
};

// notify=true is required (or its effect visible, or ignore_missing_notifications).
export const checkNotify = (ctx: Ctx): void => {
  if (ctx.params.ignore_missing_notifications || ctx.meta.notify) return;
  if (ctx.env.OCF_RESKEY_CRM_meta_notify_start_uname !== undefined) return;
  throw new ConfigError('notify=true is required on the promotable clone (or set ignore_missing_notifications=true)');
};

// The kernel module must be there, within require_drbd_module_version_ge/_lt (5 otherwise).
export const checkModuleVersion = async (s: Session): Promise<number> => {
  const code = await moduleVersion(s);
  if (code === undefined) throw new NotInstalledError('DRBD kernel module not available');
  const { require_drbd_module_version_ge: ge, require_drbd_module_version_lt: lt } = s.ctx.params;
  const geCode = ge ? versionCode(ge) : undefined;
  const ltCode = lt ? versionCode(lt) : undefined;
  if (geCode !== undefined && code < geCode) {
    throw new NotInstalledError(`DRBD kernel module ${versionString(code)} found, require_drbd_module_version_ge=${ge}`);
  }
  if (ltCode !== undefined && code >= ltCode) {
    throw new NotInstalledError(`DRBD kernel module ${versionString(code)} found, require_drbd_module_version_lt=${lt}`);
  }
  return code;
};

// `drbdadm -d -v dump <res>`: the resource must be defined (5); with promoted-max 2 it must allow two primaries (6).
export const checkResourceConfig = async (s: Session): Promise<string> => {
  const r = await drbdadm(s, ['-d', '-v', 'dump']);
  if (r.notFound) throw new NotInstalledError('drbdadm not found in PATH');
  if (r.code !== 0) {
    throw new NotInstalledError(`DRBD resource ${s.res} not found in configuration file ${s.ctx.params.drbdconf || '(default)'}`);
  }
  if ((s.ctx.meta.promotedMax ?? 1) >= 2 && !dumpAllowsTwoPrimaries(r.stdout)) {
    throw new ConfigError(`promoted-max > 1, but DRBD resource ${s.res} does not allow-two-primaries`);
  }
  return r.stdout;
};

// The agent's validate(): what each action needs before it runs (never called for monitor or stop).
export const validateDrbd = async (ctx: Ctx): Promise<void> => {
  checkSyntax(ctx);
  const s = openSession(ctx);
  switch (ctx.action) {
    case 'validate-all': {
      checkConfFile(ctx);
      const code = await checkModuleVersion(s);
      checkCloneMeta(ctx, code >= 0x090000);
      await checkResourceConfig(s);
      return;
    }
    case 'start':
      checkConfFile(ctx);
      checkNotify(ctx);
      checkCloneMeta(ctx, true); // refined after the module is loaded (start checks the version itself)
      await checkResourceConfig(s);
      return;
    case 'promote':
      checkNotify(ctx);
      checkCloneMeta(ctx, true);
      if ((ctx.meta.promotedMax ?? 1) >= 2) await checkResourceConfig(s);
      return;
    case 'demote':
    case 'reload':
      checkNotify(ctx);
      return;
    default:
      return;
  }
};
