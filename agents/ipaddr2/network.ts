import { NotInstalledError } from '../../src/ocf/index';
import type { Ctx, IpConfig } from './config';
import { bestRoute, parseIpBatch, type Addr, type IpSnapshot, type Link } from './parse-ip';

// One `ip -batch` run that reads the matching routes, all addresses and all links: a single process per monitor.
// Only values that passed readConfig's syntax checks are written into the batch.
export const inspectNetwork = async (ctx: Ctx, cfg: IpConfig): Promise<IpSnapshot> => {
  const match = cfg.prefix === undefined ? cfg.ip : `${cfg.ip}/${cfg.prefix}`;
  const lines = [
    `route list match ${match}${cfg.family === 'inet' ? ' scope link' : ''}`,
    'address show',
    'link show',
  ];
  if (cfg.family === 'inet' && cfg.ip.startsWith('127.')) lines.push(`route list match ${cfg.ip} table local scope host`);
  const r = await ctx.exec.run('ip', ['-o', '-f', cfg.family, '-force', '-batch', '-'], { input: `${lines.join('\n')}\n` });
  if (r.notFound) throw new NotInstalledError('ip (iproute2) is not installed');
  return parseIpBatch(r.stdout);
};

export interface Placement {
  nic: string;
  prefix: number;
  broadcast: string | undefined; // IPv4 only
}

export type Resolution = { ok: true; placement: Placement } | { ok: false; code: 1 | 6; reason: string };

// findif: the interface and prefix for the address, from the parameters or the longest matching route.
export const resolvePlacement = (cfg: IpConfig, snap: IpSnapshot): Resolution => {
  if (cfg.nic !== undefined && !findLink(snap.links, cfg.nic)) {
    return { ok: false, code: 6, reason: `Invalid interface name [${cfg.nic}]: no such device` };
  }
  let route = bestRoute(snap.routes, { dev: cfg.nic });
  if (!route && cfg.family === 'inet' && cfg.ip.startsWith('127.')) route = bestRoute(snap.routes, { dev: cfg.nic, type: 'local' });
  if ((cfg.nic === undefined || cfg.prefix === undefined) && !route) {
    return { ok: false, code: 1, reason: `Unable to find nic or netmask for ${cfg.ip}: no route matches it` };
  }
  const nic = cfg.nic ?? (route?.dev as string);
  const prefix = cfg.prefix ?? (route?.prefixLen as number);
  let broadcast = cfg.family === 'inet' ? cfg.broadcast : undefined;
  if (cfg.family === 'inet' && broadcast === undefined && route?.src) {
    broadcast = snap.addrs.find((a) => a.address === route?.src && a.brd)?.brd;
  }
  return { ok: true, placement: { nic, prefix, broadcast } };
};

// A link by name or alternative name.
export const findLink = (links: readonly Link[], name: string): Link | undefined =>
  links.find((l) => l.ifname === name || l.altnames.includes(name));

// The address as configured, on the resolved interface with the resolved prefix (IPaddr2's ip_served "ok").
export const servedAddr = (cfg: IpConfig, pl: Placement, snap: IpSnapshot): Addr | undefined =>
  snap.addrs.find((a) => a.family === cfg.family && a.address === cfg.ip && a.prefixLen === pl.prefix && a.ifname === pl.nic);

// check_link_status: DOWN or LOWERLAYERDOWN (no carrier) means the address cannot be served.
export const linkDown = (snap: IpSnapshot, nic: string): boolean => {
  const l = findLink(snap.links, nic);
  return !!l && (l.state === 'DOWN' || l.state === 'LOWERLAYERDOWN');
};
