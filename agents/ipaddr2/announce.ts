import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isTrue } from '../../src/ocf/index';
import type { Ctx, IpConfig } from './config';
import type { Placement } from './network';

// Gratuitous ARP (IPv4) and unsolicited neighbour advertisements (IPv6) after the address is added.

const haBin = (ctx: Ctx) => ctx.env.HA_BIN || '/usr/libexec/heartbeat';
const rscTmp = (ctx: Ctx) => ctx.env.HA_RSCTMP || '/run/resource-agents';

// The pidfile of a background sender, as upstream names it ($HA_RSCTMP/send_arp-<ip>).
export const senderPidfile = (ctx: Ctx, ip: string): string => `${rscTmp(ctx)}/send_arp-${ip}`;

export const ARP_SENDERS = ['send_arp', 'iputils_arping', 'libnet_arping', 'ipoibarping'] as const;

// Which program announces IPv4: the parameter, else send_arp when resource-agents is installed, else iputils arping.
export const chooseArpSender = (ctx: Ctx): string => {
  if (ctx.params.arp_sender) return ctx.params.arp_sender;
  return existsSync(`${haBin(ctx)}/send_arp`) ? 'send_arp' : 'iputils_arping';
};

const splitOpts = (s: string): string[] => s.split(/\s+/).filter(Boolean);

// The sender's command line for `count` announcements (argument array, never a shell).
export const arpCommand = (ctx: Ctx, ip: string, nic: string, count: number): [string, string[]] => {
  const opts = splitOpts(ctx.params.send_arp_opts);
  const interval = ctx.params.arp_interval;
  switch (chooseArpSender(ctx)) {
    case 'send_arp':
      return [`${haBin(ctx)}/send_arp`, [...opts, '-i', String(interval), '-r', String(count), '-p', senderPidfile(ctx, ip), nic, ip, 'auto', 'not_used', 'not_used']];
    case 'libnet_arping':
      return ['arping', [...opts, '-U', '-c', String(count), '-i', nic, '-S', ip, ip]];
    case 'ipoibarping':
      return ['ipoibarping', ['-q', '-c', String(count), '-U', '-I', nic, ip]];
    default: // iputils_arping
      return ['arping', [...opts, '-U', '-c', String(count), '-i', (interval / 1000).toFixed(3), '-I', nic, ip]];
  }
};

// Sends `count` gratuitous ARPs, in the background (pidfile kept for stop) or waiting for them.
export const sendArps = async (ctx: Ctx, cfg: IpConfig, pl: Placement, count: number): Promise<void> => {
  if (count <= 0 || pl.nic.startsWith('lo')) return;
  const [file, args] = arpCommand(ctx, cfg.ip, pl.nic, count);
  const bg = ctx.params.arp_bg === '' ? true : isTrue(ctx.params.arp_bg);
  ctx.log.info(`sending ${count} gratuitous ARPs for ${cfg.ip} on ${pl.nic} (${file.split('/').pop()}${bg ? ', background' : ''})`);
  if (bg) {
    const pid = ctx.exec.background(file, args);
    if (pid !== undefined && !file.endsWith('/send_arp')) writePidfile(ctx, cfg.ip, pid);
    return;
  }
  const r = await ctx.exec.run(file, args);
  if (r.code !== 0) ctx.log.warn(`could not send gratuitous ARPs for ${cfg.ip}: ${r.notFound ? `${file} not found` : r.stderr.trim()}`);
};

// Sends unsolicited neighbour advertisements with resource-agents' send_ua, when it is installed.
export const sendUnsolicitedNa = async (ctx: Ctx, cfg: IpConfig, pl: Placement): Promise<void> => {
  if (pl.nic.startsWith('lo') || ctx.params.arp_count <= 0) return;
  const file = `${haBin(ctx)}/send_ua`;
  if (!existsSync(file)) {
    ctx.log.warn(`${file} not found (resource-agents): no unsolicited neighbour advertisements sent for ${cfg.ip}`);
    return;
  }
  const args = ['-i', String(ctx.params.arp_interval), '-c', String(ctx.params.arp_count), cfg.ip, String(pl.prefix), pl.nic];
  const bg = ctx.params.arp_bg === '' ? false : isTrue(ctx.params.arp_bg);
  if (bg) { ctx.exec.background(file, args); return; }
  const r = await ctx.exec.run(file, args);
  if (r.code !== 0) throw new Error(`send_ua failed: ${r.stderr.trim()}`);
};

const writePidfile = (ctx: Ctx, ip: string, pid: number) => {
  try {
    mkdirSync(rscTmp(ctx), { recursive: true });
    writeFileSync(senderPidfile(ctx, ip), `${pid}\n`);
  } catch (e) {
    ctx.log.warn(`cannot write ${senderPidfile(ctx, ip)}: ${(e as Error).message}`);
  }
};

// Stops a sender still running from start (only if the pid is really an ARP sender for this address).
export const killBackgroundSender = (ctx: Ctx, ip: string): void => {
  const file = senderPidfile(ctx, ip);
  let pid: number;
  try {
    pid = Number(readFileSync(file, 'utf8').trim());
  } catch {
    return;
  }
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    if (cmdline.includes(ip) && /arp|arping/.test(cmdline[0] ?? '')) {
      process.kill(pid, 'SIGTERM');
      ctx.log.info(`killed previously running ARP sender for ${ip} (pid ${pid})`);
    }
  } catch {
    /* already gone */
  }
  rmSync(file, { force: true });
};
