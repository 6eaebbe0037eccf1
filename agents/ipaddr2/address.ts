// Pure address arithmetic for IPaddr2: syntax checks, RFC 5952 canonical IPv6, netmasks, clone increments.

export type Family = 'inet' | 'inet6';

const OCTET_FIRST = '([1-9][0-9]?|1[0-9][0-9]|2[0-4][0-9]|25[0-5])';
const OCTET = '([0-9][0-9]?|1[0-9][0-9]|2[0-4][0-9]|25[0-5])';
const IPV4 = new RegExp(`^${OCTET_FIRST}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

// The family as IPaddr2 decides it: a ':' anywhere means IPv6.
export const familyOf = (ip: string): Family => (ip.includes(':') ? 'inet6' : 'inet');

// findif's IPv4 rule: four decimal octets, the first one not 0.
export const isIPv4 = (s: string): boolean => IPV4.test(s);

// Parses an IPv6 literal (no zone, no embedded IPv4) into 8 groups; undefined when invalid.
export const parseIPv6 = (s: string): number[] | undefined => {
  if (!/^[0-9a-fA-F:]+$/.test(s) || s.length > 39) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const part = (h: string) => (h === '' ? [] : h.split(':'));
  const head = part(halves[0] ?? '');
  const tail = halves.length === 2 ? part(halves[1] ?? '') : [];
  const groups = [...head, ...tail];
  if (groups.some((g) => g.length < 1 || g.length > 4)) return undefined;
  if (halves.length === 1 && groups.length !== 8) return undefined;
  if (halves.length === 2 && groups.length > 7) return undefined;
  const fill = halves.length === 2 ? 8 - groups.length : 0;
  return [...head, ...Array<string>(fill).fill('0'), ...tail].map((g) => parseInt(g, 16));
};

// RFC 5952 text form: lower case, no leading zeros, the longest run (≥2) of zero groups as "::" (first on ties).
export const formatIPv6 = (g: readonly number[]): string => {
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = g.map((n) => n.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
};

// The canonical IPv6 text, or undefined when the literal is invalid.
export const canonicalIPv6 = (s: string): string | undefined => {
  const g = parseIPv6(s);
  return g && formatIPv6(g);
};

// A dotted-quad netmask as a prefix length (findif's conversion); undefined when it is not a contiguous mask.
export const dottedToPrefix = (mask: string): number | undefined => {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(mask);
  if (!m) return undefined;
  const bytes = m.slice(1).map(Number);
  if (bytes.some((b) => b > 255)) return undefined;
  const n = bytes.reduce((acc, b) => acc * 256 + b, 0);
  for (let p = 0; p <= 32; p++) if (n === 2 ** 32 - 2 ** (32 - p)) return p;
  return undefined;
};

// A prefix length as findif accepts it: 1 to 3 digits, 1..max.
export const parsePrefix = (s: string, max: number): number | undefined => {
  if (!/^\d{1,3}$/.test(s)) return undefined;
  const n = Number(s);
  return n >= 1 && n <= max ? n : undefined;
};

// unique_clone_address: the address plus the clone instance number (IPv4 last octet, IPv6 last group).
export const addToAddress = (ip: string, inc: number): string | undefined => {
  if (familyOf(ip) === 'inet') {
    const parts = ip.split('.').map(Number);
    const last = (parts[3] ?? 0) + inc;
    if (last > 255) return undefined;
    parts[3] = last;
    return parts.join('.');
  }
  const g = parseIPv6(ip);
  if (!g) return undefined;
  const last = (g[7] ?? 0) + inc;
  if (last > 0xffff) return undefined;
  g[7] = last;
  return formatIPv6(g);
};

// Whether an IPv4 address lies in prefix/len.
export const inIPv4Subnet = (ip: string, net: string, len: number): boolean => {
  const toN = (s: string) => s.split('.').reduce((a, b) => a * 256 + Number(b), 0);
  const size = 2 ** (32 - len);
  return Math.floor(toN(ip) / size) === Math.floor(toN(net) / size);
};
