import type { AgentContext } from '../../src/ocf/index';
import { ConfigError } from '../../src/ocf/index';
import type { Params } from './params';
import { addToAddress, canonicalIPv6, dottedToPrefix, familyOf, isIPv4, parsePrefix, type Family } from './address';

export type Ctx = AgentContext<Params>;

// What the parameters say, checked for syntax only (no look at the host). Every value that reaches an `ip`
// command line has passed these checks.
export interface IpConfig {
  family: Family;
  ip: string; // canonical (RFC 5952 for IPv6), clone increment applied
  prefix: number | undefined; // from cidr_netmask, if given
  nic: string | undefined; // base interface, if given
  iflabel: string | undefined; // the label suffix; the full label is <nic>:<iflabel> once the nic is known
  broadcast: string | undefined;
}

// Linux interface names: 1-15 bytes, no white space, no '/', not "." or "..".
export const isIfName = (s: string): boolean => /^[^\s/:]{1,15}$/.test(s) && s !== '.' && s !== '..';

const bad = (msg: string) => new ConfigError(msg);

// Derives the address configuration from the parameters; throws ConfigError (6) for values wrong everywhere.
export const readConfig = (ctx: Ctx): IpConfig => {
  const { params: pr, meta } = ctx;
  if (!pr.ip) throw bad('IP address (the ip parameter) is mandatory');
  const family = familyOf(pr.ip);
  let ip = pr.ip;
  if (family === 'inet') {
    if (!isIPv4(ip)) throw bad(`IP address [${clip(ip)}] not valid`);
  } else {
    const c = canonicalIPv6(ip);
    if (!c) throw bad(`IP address [${clip(ip)}] not valid`);
    ip = c;
  }
  if (pr.unique_clone_address) {
    const inc = Number(meta.clone ?? '0') + 1;
    const bumped = addToAddress(ip, inc);
    if (!bumped) throw bad(`unique_clone_address: ${ip} + ${inc} is out of range`);
    ip = bumped;
  }
  let nic: string | undefined = pr.nic || undefined;
  let iflabel = pr.iflabel;
  if (nic?.includes(':')) {
    iflabel = nic.slice(nic.indexOf(':') + 1);
    nic = nic.slice(0, nic.indexOf(':'));
  }
  if (nic !== undefined && !isIfName(nic)) throw bad(`Invalid interface name [${clip(nic)}]`);
  let prefix: number | undefined;
  const mask = pr.cidr_netmask.trim();
  if (mask) {
    let m = mask;
    if (family === 'inet' && mask.includes('.')) {
      const conv = dottedToPrefix(mask);
      if (conv === undefined) throw bad(`Invalid netmask specification [${clip(mask)}]`);
      ctx.log.warn(`Please convert dotted quad netmask ${mask} to CIDR notation ${conv}!`);
      m = String(conv);
    }
    prefix = parsePrefix(m, family === 'inet' ? 32 : 128);
    if (prefix === undefined) throw bad(`Invalid netmask specification [${clip(mask)}]`);
  }
  const broadcast = pr.broadcast || undefined;
  if (broadcast !== undefined && family === 'inet' && !isIPv4(broadcast) && broadcast !== '+' && broadcast !== '-') {
    throw bad(`Invalid broadcast address [${clip(broadcast)}]`);
  }
  if (iflabel) {
    if (family === 'inet6') throw bad('iflabel is not supported for IPv6 addresses (the kernel has no IPv6 labels)');
    if (/[\s/]/.test(iflabel)) throw bad(`Interface label [${clip(iflabel)}] is not valid`);
    if (nic !== undefined) fullLabel(nic, iflabel);
  }
  return { family, ip, prefix, nic, iflabel: iflabel || undefined, broadcast };
};

// A value cut for messages (hostile 100 kB parameters must not flood the log).
export const clip = (s: string): string => JSON.stringify(s.length > 64 ? `${s.slice(0, 61)}...` : s).slice(1, -1);

// <nic>:<iflabel>, which the kernel limits to 15 characters.
export const fullLabel = (nic: string, iflabel: string): string => {
  const label = `${nic}:${iflabel}`;
  if (label.length > 15) throw bad(`Interface label [${clip(label)}] exceeds maximum character limit of 15`);
  return label;
};
