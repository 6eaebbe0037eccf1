// Pure parsers for `ip -o` output (iproute2 6.x): routes, addresses, links. Tested from recorded outputs.

export interface Route {
  type: string; // unicast, local, unreachable, blackhole, prohibit, throw, ...
  prefix: string; // "192.0.2.0/24"; "default" has none and is not returned
  prefixLen: number;
  dev: string | undefined;
  src: string | undefined;
}

export interface Addr {
  ifindex: number;
  ifname: string; // the device (the label, if any, is in `label`)
  family: 'inet' | 'inet6';
  address: string;
  prefixLen: number;
  brd: string | undefined;
  label: string | undefined; // IPv4 label, e.g. eth0:vip
  flags: string[]; // tentative, dadfailed, deprecated, secondary, nodad, noprefixroute ...
}

export interface Link {
  ifindex: number;
  ifname: string; // without the @peer suffix
  flags: string[]; // UP, LOWER_UP, ...
  state: string; // UP, DOWN, LOWERLAYERDOWN, UNKNOWN, DORMANT ...
  altnames: string[];
}

const ROUTE_TYPES = new Set(['unicast', 'local', 'broadcast', 'multicast', 'throw', 'unreachable', 'prohibit', 'blackhole', 'nat', 'anycast']);
const ADDR_LINE = /^(\d+):\s+(\S+)\s+(inet6?)\s+(\S+)\/(\d+)(.*)$/;
const LINK_LINE = /^(\d+):\s+([^:\s]+):\s+<([^>]*)>(.*)$/;

// Parses one `ip -o route` line; undefined for lines without a prefix (default routes) or other output.
export const parseRouteLine = (line: string): Route | undefined => {
  const f = line.trim().split(/\s+/);
  if (f.length === 0 || /^\d+:$/.test(f[0] ?? '')) return undefined;
  let type = 'unicast';
  if (ROUTE_TYPES.has(f[0] ?? '')) type = f.shift() as string;
  const prefix = f[0];
  if (!prefix || !prefix.includes('/')) return undefined;
  const len = Number(prefix.slice(prefix.indexOf('/') + 1));
  if (!Number.isInteger(len)) return undefined;
  const after = (k: string) => { const i = f.indexOf(k); return i >= 0 ? f[i + 1] : undefined; };
  return { type, prefix, prefixLen: len, dev: after('dev'), src: after('src') };
};

// Parses one `ip -o addr` line.
export const parseAddrLine = (line: string): Addr | undefined => {
  const m = ADDR_LINE.exec(line.split('\\')[0]?.trimEnd() ?? '');
  if (!m) return undefined;
  const rest = (m[6] ?? '').trim().split(/\s+/).filter(Boolean);
  const after = (k: string) => { const i = rest.indexOf(k); return i >= 0 ? rest[i + 1] : undefined; };
  const ifname = (m[2] ?? '').replace(/@.*$/, '');
  const scopeIdx = rest.indexOf('scope');
  const tailWords = scopeIdx >= 0 ? rest.slice(scopeIdx + 2) : rest;
  const last = tailWords[tailWords.length - 1];
  const label = m[3] === 'inet' && last && last !== ifname && last.startsWith(`${ifname}:`) ? last : undefined;
  const flags = tailWords.filter((w) => w !== label && w !== ifname);
  return {
    ifindex: Number(m[1]), ifname, family: m[3] as 'inet' | 'inet6', address: m[4] ?? '', prefixLen: Number(m[5]),
    brd: after('brd'), label, flags,
  };
};

// Parses one `ip -o link` line.
export const parseLinkLine = (line: string): Link | undefined => {
  const m = LINK_LINE.exec(line);
  if (!m) return undefined;
  const rest = (m[4] ?? '').split(/\s+/);
  const state = rest[rest.indexOf('state') + 1] ?? 'UNKNOWN';
  const altnames: string[] = [];
  rest.forEach((w, i) => { if (w === 'altname' && rest[i + 1]) altnames.push(rest[i + 1] as string); });
  return { ifindex: Number(m[1]), ifname: (m[2] ?? '').replace(/@.*$/, ''), flags: (m[3] ?? '').split(','), state, altnames };
};

export interface IpSnapshot { routes: Route[]; addrs: Addr[]; links: Link[] }

// Splits the combined output of one `ip -o -batch` run (routes, addresses and links in any order).
export const parseIpBatch = (out: string): IpSnapshot => {
  const snap: IpSnapshot = { routes: [], addrs: [], links: [] };
  for (const line of out.split('\n')) {
    if (!line.trim()) continue;
    const link = parseLinkLine(line);
    if (link) { snap.links.push(link); continue; }
    const addr = parseAddrLine(line);
    if (addr) { snap.addrs.push(addr); continue; }
    const route = parseRouteLine(line);
    if (route) snap.routes.push(route);
  }
  return snap;
};

// findif's choice: among the routes of kind `type` (optionally on `dev`), the longest prefix wins.
// Unreachable, blackhole, prohibit and throw routes never name a usable interface and are ignored.
export const bestRoute = (routes: readonly Route[], opts: { dev?: string; type?: string } = {}): Route | undefined => {
  let best: Route | undefined;
  for (const r of routes) {
    if (r.type !== (opts.type ?? 'unicast')) continue;
    if (opts.dev !== undefined && r.dev !== opts.dev) continue;
    if (!r.dev) continue;
    if (!best || r.prefixLen >= best.prefixLen) best = r;
  }
  return best;
};
