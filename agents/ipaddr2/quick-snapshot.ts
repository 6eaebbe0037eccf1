import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import type { IpConfig } from './config';
import type { Addr, IpSnapshot, Link, Route } from './parse-ip';

// The IPv4 part of the `ip -batch` snapshot read without running ip, for monitor: routes from /proc/net/route,
// links from /sys/class/net, addresses from getifaddrs(3) (os.networkInterfaces). It stands in for ip only where
// it gives the same answer, and says so by returning undefined otherwise (the caller then runs ip):
// - getifaddrs (through libuv) lists the addresses of links that are up and running only, so the address's link
//   must be up (state UP or UNKNOWN): a monitor of an address on a link that is down runs ip;
// - /proc/net/route is the main table without route scopes: device routes (no gateway) stand for `scope link`,
//   and a tie between equally long routes on different devices, no route at all, loopback addresses, IPv6 and
//   interface altnames go to ip.

const RTF_UP = 0x1;
const RTF_GATEWAY = 0x2;
const RTF_REJECT = 0x200;

// /proc/net/route's little-endian hex IPv4 address as a number.
const hexAddr = (h: string): number => {
  const n = parseInt(h, 16);
  return (((n & 0xff) << 24) | ((n & 0xff00) << 8) | ((n >>> 8) & 0xff00) | (n >>> 24)) >>> 0;
};
const dotted = (n: number): string => [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff].join('.');
const parseDotted = (s: string): number => s.split('.').reduce((a, o) => ((a << 8) | Number(o)) >>> 0, 0);
// The prefix length of a contiguous netmask; undefined for a non-contiguous one.
const maskLen = (m: number): number | undefined => {
  for (let len = 0; len <= 32; len += 1) if ((len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0) === m) return len;
  return undefined;
};

// The routes `ip -o route list match <ip>[/<prefix>] scope link` would print, from /proc/net/route's text;
// undefined when the text is not in the expected shape.
export const routesFromProc = (text: string, ip: string, prefix: number | undefined): Route[] | undefined => {
  const lines = text.split('\n');
  if (!/^Iface\s+Destination\s+Gateway\s+Flags\s+RefCnt\s+Use\s+Metric\s+Mask\b/.test(lines[0] ?? '')) return undefined;
  const addr = parseDotted(ip);
  const within = prefix ?? 32;
  const out: Route[] = [];
  for (const line of lines.slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8) continue;
    const [dev, dstHex, , flagsHex, , , , maskHex] = f as [string, string, string, string, string, string, string, string];
    const flags = parseInt(flagsHex, 16);
    const mask = hexAddr(maskHex);
    const len = maskLen(mask);
    const dst = hexAddr(dstHex);
    if (len === undefined || !(flags & RTF_UP)) return undefined;
    if (len === 0 || len > within || ((addr & mask) >>> 0) !== dst) continue; // default routes are not listed by ip
    if (flags & RTF_GATEWAY) continue; // not scope link
    const reject = (flags & RTF_REJECT) !== 0;
    out.push({ type: reject ? 'unreachable' : 'unicast', prefix: `${dotted(dst)}/${len}`, prefixLen: len, dev: reject ? undefined : dev, src: undefined });
  }
  return out;
};

// One link as `ip -o link` gives it, from sysfs (name, UP flag, operational state; no altnames); undefined when
// no link has that name (`name` is a kernel route's device or a nic readConfig has checked: no '/').
const linkFromSys = (name: string): Link | undefined => {
  const read = (f: string) => readFileSync(`/sys/class/net/${name}/${f}`, 'utf8').trim();
  try {
    const up = (parseInt(read('flags'), 16) & 0x1) !== 0;
    return { ifindex: Number(read('ifindex')), ifname: name, flags: up ? ['UP'] : [], state: (read('operstate') || 'unknown').toUpperCase(), altnames: [] };
  } catch {
    return undefined;
  }
};

// The IPv4 addresses of running links, as `ip -o -f inet addr` lines would parse (device name without the label).
const addrsFromGetifaddrs = (): Addr[] =>
  Object.entries(networkInterfaces()).flatMap(([name, list]) => (list ?? [])
    .filter((a) => a.family === 'IPv4' && a.cidr)
    .map((a) => {
      const dev = name.split(':')[0] as string;
      return { ifindex: 0, ifname: dev, family: 'inet' as const, address: a.address, prefixLen: Number(a.cidr?.split('/')[1]),
        brd: undefined, label: name.includes(':') ? name : undefined, flags: [] };
    }));

const VISIBLE = new Set(['UP', 'UNKNOWN']);

// The snapshot for a monitor of cfg, or undefined when only ip can answer exactly.
export const quickSnapshot = (cfg: IpConfig): IpSnapshot | undefined => {
  if (cfg.family !== 'inet' || cfg.ip.startsWith('127.')) return undefined;
  let routes: Route[] | undefined;
  try {
    routes = routesFromProc(readFileSync('/proc/net/route', 'utf8'), cfg.ip, cfg.prefix);
  } catch {
    return undefined;
  }
  if (!routes) return undefined;
  const usable = routes.filter((r) => r.type === 'unicast' && (cfg.nic === undefined || r.dev === cfg.nic));
  const longest = Math.max(-1, ...usable.map((r) => r.prefixLen));
  if (new Set(usable.filter((r) => r.prefixLen === longest).map((r) => r.dev)).size > 1) return undefined; // a tie: ip's order decides
  const nic = cfg.nic ?? usable.find((r) => r.prefixLen === longest)?.dev;
  if (nic === undefined) return undefined; // no route: ip gives the exact error
  // Only the placement's link is read: resolvePlacement and linkDown look at no other.
  const link = linkFromSys(nic);
  if (!link) return undefined; // perhaps an altname
  if (!link.flags.includes('UP') || !VISIBLE.has(link.state)) return undefined; // its addresses are not listed
  return { routes, links: [link], addrs: addrsFromGetifaddrs() };
};
