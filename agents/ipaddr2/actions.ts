import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { ArgsError, ConfigError, GenericError, NotInstalledError, OCF, PermError, pollWithin, writeFd, type OcfExitCode } from '../../src/ocf/index';
import { selfCommand } from '../../src/ocf/self';
import { killBackgroundSender, sendArps, sendUnsolicitedNa } from './announce';
import { fullLabel, readConfig, type Ctx, type IpConfig } from './config';
import { inspectNetwork, linkDown, resolvePlacement, servedAddr, type Placement } from './network';
import { parseAddrLine } from './parse-ip';
import { quickSnapshot } from './quick-snapshot';

const requireRoot = (ctx: Ctx) => {
  if (process.getuid?.() !== 0) throw new PermError(`You must be root for ${ctx.action} operation.`);
};

// network_namespace: run the same action again inside the namespace (ip netns exec), with the parameter cleared.
// A namespace that does not exist here: nothing can run in it (probe 7, stop 0), start cannot (2, this host).
const inNamespace = async (ctx: Ctx): Promise<OcfExitCode> => {
  const ns = ctx.params.network_namespace;
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/.test(ns)) throw new ConfigError(`invalid network_namespace [${ns.slice(0, 40)}]`);
  if (!existsSync(`/run/netns/${ns}`)) {
    if (ctx.action === 'stop' || ctx.action === 'monitor' || ctx.action === 'status') return ctx.action === 'stop' ? OCF.SUCCESS : OCF.NOT_RUNNING;
    throw new ArgsError(`network namespace ${ns} does not exist on this node`);
  }
  const [file, args] = selfCommand(ctx.agent, ctx.action);
  const r = await ctx.exec.run('ip', ['netns', 'exec', ns, file, ...args], { env: { OCF_RESKEY_network_namespace: '' } });
  if (r.stdout) writeFd(1, r.stdout);
  if (r.stderr) writeFd(2, r.stderr); // carries the inner exit reason
  return (OCF_CODES.has(r.code) ? r.code : OCF.ERR_GENERIC) as OcfExitCode;
};

const OCF_CODES = new Set<number>(Object.values(OCF));

interface State { cfg: IpConfig; pl: Placement; served: boolean; down: boolean }

// Reads the configuration and the network once; `undefined` with a reason when the address cannot be placed.
// `quick` (monitor): from the kernel's files when they answer exactly as ip would (quick-snapshot.ts).
const observe = async (ctx: Ctx, quick = false): Promise<{ state?: State; fail?: { code: 1 | 6; reason: string } }> => {
  const cfg = readConfig(ctx);
  const fast = quick && ctx.env.HAKIT_IPADDR2_QUICK !== '0' ? quickSnapshot(cfg) : undefined;
  const snap = fast ?? await inspectNetwork(ctx, cfg);
  const res = resolvePlacement(cfg, snap);
  if (!res.ok) return { fail: { code: res.code, reason: res.reason } };
  const pl = res.placement;
  return { state: { cfg, pl, served: !!servedAddr(cfg, pl, snap), down: linkDown(snap, pl.nic) } };
};

// monitor: 0 while the address is on its interface (and the link is up), 7 otherwise. Probes never fail.
export const monitor = async (ctx: Ctx): Promise<OcfExitCode> => {
  if (ctx.params.network_namespace) return inNamespace(ctx);
  let o: Awaited<ReturnType<typeof observe>>;
  try {
    o = await observe(ctx, true);
  } catch (e) {
    if (ctx.isProbe) return OCF.NOT_RUNNING; // probe: an address we cannot even parse is not running here
    throw new GenericError((e as Error).message); // recurring monitor: never 6 (fatal) from a monitor
  }
  if (!o.state) {
    if (ctx.isProbe) return OCF.NOT_RUNNING;
    ctx.reason(o.fail?.reason ?? 'cannot place the address');
    return OCF.ERR_GENERIC;
  }
  const { cfg, pl, served, down } = o.state;
  if (!served) return OCF.NOT_RUNNING;
  if (down && ctx.params.check_link_status) {
    ctx.reason(`${cfg.ip} is on ${pl.nic}, but the link is down`);
    return OCF.NOT_RUNNING;
  }
  if (cfg.family === 'inet' && ctx.params.arp_count_refresh > 0) await sendArps(ctx, cfg, pl, ctx.params.arp_count_refresh);
  return OCF.SUCCESS;
};

// status: the legacy action, printing running/stopped.
export const status = async (ctx: Ctx): Promise<OcfExitCode> => {
  const rc = await monitor(ctx);
  writeFd(1, rc === OCF.SUCCESS ? 'running\n' : 'stopped\n');
  return rc;
};

export const validateAll = async (ctx: Ctx): Promise<OcfExitCode> =>
  ctx.params.network_namespace ? inNamespace(ctx) : OCF.SUCCESS;

const ipArgs = (cfg: IpConfig) => ['-f', cfg.family];

// start: add the address (after the optional duplicate check), bring the link up, wait out IPv6 DAD, announce.
export const start = async (ctx: Ctx): Promise<OcfExitCode> => {
  requireRoot(ctx);
  if (ctx.params.network_namespace) return inNamespace(ctx);
  const o = await observe(ctx);
  if (!o.state) throw o.fail?.code === 6 ? new ConfigError(o.fail.reason) : new GenericError(o.fail?.reason ?? 'No nic found or specified');
  const { cfg, pl } = o.state;
  if (o.state.served && !(o.state.down && ctx.params.check_link_status)) return OCF.SUCCESS; // already served: no ARP
  const label = cfg.iflabel ? fullLabel(pl.nic, cfg.iflabel) : undefined;
  if (!o.state.served) {
    if (cfg.family === 'inet' && ctx.params.lvs_support) await moveLoopbackCopyAside(ctx, cfg);
    if (cfg.family === 'inet' && ctx.params.run_arping) await duplicateCheck(ctx, cfg, pl);
    if (cfg.family === 'inet6' && ctx.params.lvs_ipv6_addrlabel) {
      const r = await ctx.exec.run('ip', ['addrlabel', 'add', 'prefix', cfg.ip, 'label', String(ctx.params.lvs_ipv6_addrlabel_value)]);
      if (r.code !== 0) ctx.log.warn(`ip addrlabel add failed: ${r.stderr.trim()}`);
    }
    const add = [...ipArgs(cfg), 'addr', 'add', `${cfg.ip}/${pl.prefix}`];
    if (pl.broadcast) add.push('brd', pl.broadcast);
    add.push('dev', pl.nic);
    if (cfg.family === 'inet6' && ctx.params.nodad) add.push('nodad');
    if (ctx.params.noprefixroute) add.push('noprefixroute');
    if (label) add.push('label', label);
    if (cfg.family === 'inet6') add.push('preferred_lft', ctx.params.preferred_lft);
    ctx.log.info(`Adding ${cfg.family} address ${cfg.ip}/${pl.prefix}${pl.broadcast ? ` with broadcast address ${pl.broadcast}` : ''} to device ${pl.nic}${label ? ` (label ${label})` : ''}`);
    const r = await ctx.exec.run('ip', add);
    if (r.code !== 0) throw new GenericError(`Failed to add ${cfg.ip}: ${r.stderr.trim() || `ip exited ${r.code}`}`);
  }
  const up = await ctx.exec.run('ip', ['link', 'set', pl.nic, 'up']);
  if (up.code !== 0) throw new GenericError(`Failed to bring ${pl.nic} up: ${up.stderr.trim()}`);
  if (cfg.family === 'inet6' && !ctx.params.nodad) await waitForDad(ctx, cfg, pl);
  const after = await observe(ctx);
  if (!after.state?.served) throw new GenericError(`${cfg.ip} was added to ${pl.nic} but is not there any more`);
  if (after.state.down && ctx.params.check_link_status) {
    await ctx.exec.run('ip', [...ipArgs(cfg), 'addr', 'del', `${cfg.ip}/${pl.prefix}`, 'dev', pl.nic]);
    ctx.reason(`the link of ${pl.nic} is down (no carrier): ${cfg.ip} cannot be served on this node`);
    return OCF.ERR_INSTALLED;
  }
  if (cfg.family === 'inet') await sendArps(ctx, cfg, pl, ctx.params.arp_count);
  else await sendUnsolicitedNa(ctx, cfg, pl);
  return OCF.SUCCESS;
};

// stop: remove the address if it is served here; an address that cannot be placed is not running (0).
export const stop = async (ctx: Ctx): Promise<OcfExitCode> => {
  requireRoot(ctx);
  if (ctx.params.network_namespace) return inNamespace(ctx);
  let o: Awaited<ReturnType<typeof observe>>;
  try {
    o = await observe(ctx);
  } catch (e) {
    ctx.log.warn(`stop: ${(e as Error).message}; the address cannot be configured here`);
    return OCF.SUCCESS;
  }
  if (!o.state) {
    ctx.log.warn(`stop: ${o.fail?.reason}`);
    return OCF.SUCCESS;
  }
  const { cfg, pl } = o.state;
  killBackgroundSender(ctx, cfg.ip);
  if (o.state.served) {
    ctx.log.info(`Removing ${cfg.ip}/${pl.prefix} from ${pl.nic}`);
    const r = await ctx.exec.run('ip', [...ipArgs(cfg), 'addr', 'delete', `${cfg.ip}/${pl.prefix}`, 'dev', pl.nic]);
    if (r.code !== 0) throw new GenericError(`Unable to remove IP [${cfg.ip}] from interface [${pl.nic}]: ${r.stderr.trim()}`);
    if (ctx.params.flush_routes) await ctx.exec.run('ip', [cfg.family === 'inet' ? '-4' : '-6', 'route', 'flush', 'cache']);
  }
  if (cfg.family === 'inet6' && ctx.params.lvs_ipv6_addrlabel) {
    await ctx.exec.run('ip', ['addrlabel', 'del', 'prefix', cfg.ip, 'label', String(ctx.params.lvs_ipv6_addrlabel_value)]);
  }
  if (cfg.family === 'inet' && ctx.params.lvs_support) await restoreLoopbackCopy(ctx, cfg);
  return OCF.SUCCESS;
};

// run_arping: duplicate address detection before adding an IPv4 address; a reply means a collision (1).
const duplicateCheck = async (ctx: Ctx, cfg: IpConfig, pl: Placement) => {
  const r = await ctx.exec.run('arping', ['-q', '-c', '2', '-w', '3', '-D', '-I', pl.nic, cfg.ip]);
  if (r.notFound) throw new NotInstalledError('run_arping needs arping (iputils-arping)');
  if (r.code === 1) throw new GenericError(`IPv4 address collision ${cfg.ip} [DAD]`);
};

// IPv6: wait while the address is tentative; a failed duplicate address detection removes it and fails (1).
const waitForDad = async (ctx: Ctx, cfg: IpConfig, pl: Placement) => {
  const state = await pollWithin(ctx.budget, async () => {
    const r = await ctx.exec.run('ip', ['-o', '-f', 'inet6', 'addr', 'show', 'dev', pl.nic, 'to', `${cfg.ip}/128`]);
    const a = r.stdout.split('\n').map(parseAddrLine).find((x) => x?.address === cfg.ip);
    if (a?.flags.includes('dadfailed')) return 'dadfailed';
    return a?.flags.includes('tentative') ? undefined : 'ok';
  }, { intervalMs: 100, limitMs: 10_000 });
  if (state === 'dadfailed') {
    await ctx.exec.run('ip', ['-f', 'inet6', 'addr', 'del', `${cfg.ip}/${pl.prefix}`, 'dev', pl.nic]);
    throw new GenericError(`IPv6 address collision ${cfg.ip} [DAD]`);
  }
  if (state === undefined) ctx.log.warn(`IPv6 address ${cfg.ip}: DAD is still tentative`);
};

const vlFile = (ctx: Ctx, ip: string) => `${ctx.env.HA_RSCTMP || '/run/resource-agents'}/${ip}`;

// lvs_support: a /32 copy of the VIP on lo is removed on start and remembered, to be put back after stop.
const moveLoopbackCopyAside = async (ctx: Ctx, cfg: IpConfig) => {
  const r = await ctx.exec.run('ip', ['-o', '-f', 'inet', 'addr', 'show', 'dev', 'lo']);
  const onLo = r.stdout.split('\n').map(parseAddrLine).find((a) => a?.address === cfg.ip && a.prefixLen === 32);
  if (!onLo) return;
  ctx.log.info(`Removing conflicting loopback ${cfg.ip}/32 from lo`);
  try {
    mkdirSync(vlFile(ctx, '').replace(/\/$/, ''), { recursive: true });
    writeFileSync(vlFile(ctx, cfg.ip), `${cfg.ip} 32 lo\n`);
  } catch (e) {
    ctx.log.err(`Could not save conflicting loopback lo; it will not be restored: ${(e as Error).message}`);
  }
  await ctx.exec.run('ip', ['-f', 'inet', 'addr', 'delete', `${cfg.ip}/32`, 'dev', 'lo']);
};

const restoreLoopbackCopy = async (ctx: Ctx, cfg: IpConfig) => {
  const f = vlFile(ctx, cfg.ip);
  if (!existsSync(f) || !readFileSync(f, 'utf8').trim()) return;
  ctx.log.info(`Restoring loopback IP Address ${cfg.ip}/32 on lo`);
  const r = await ctx.exec.run('ip', ['-f', 'inet', 'addr', 'add', `${cfg.ip}/32`, 'dev', 'lo']);
  if (r.code !== 0) ctx.log.warn(`could not restore ${cfg.ip}/32 on lo: ${r.stderr.trim()}`);
  rmSync(f, { force: true });
};
