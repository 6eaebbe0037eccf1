// One DRBD 8.4 resource of a drbd.conf as drbdadm sees it on this host: the local and peer `on` sections, the
// option sections with `common` merged in. Only the shapes the lab, the templates and the seed documents use;
// anything else throws Unsupported (drbdadm then runs the real drbdadm-84).
import { readConfig, Unsupported, type Section } from './conf-parse';

export interface HostConf { name: string; minor: number; device: string; disk: string; address: string; metaDisk: 'internal' }
export interface ResourceConf {
  name: string; file: string; line: number; self: HostConf; peer: HostConf;
  net: Record<string, string>; disk: Record<string, string>; options: Record<string, string>;
  handlers: Record<string, string>; startup: Record<string, string>;
}

// Option names drbdsetup-84 accepts (drbdsetup-84 help connect / attach / new-resource), and the sections' others.
const NET = new Set(['protocol', 'timeout', 'max-epoch-size', 'max-buffers', 'unplug-watermark', 'connect-int', 'ping-int', 'sndbuf-size',
  'rcvbuf-size', 'ko-count', 'allow-two-primaries', 'cram-hmac-alg', 'shared-secret', 'after-sb-0pri', 'after-sb-1pri', 'after-sb-2pri',
  'always-asbp', 'rr-conflict', 'ping-timeout', 'data-integrity-alg', 'tcp-cork', 'on-congestion', 'congestion-fill',
  'congestion-extents', 'csums-alg', 'csums-after-crash-only', 'verify-alg', 'use-rle', 'socket-check-timeout']);
const DISK = new Set(['size', 'max-bio-bvecs', 'on-io-error', 'fencing', 'disk-barrier', 'disk-flushes', 'disk-drain', 'md-flushes',
  'resync-rate', 'resync-after', 'al-extents', 'al-updates', 'discard-zeroes-if-aligned', 'disable-write-same', 'c-plan-ahead',
  'c-delay-target', 'c-fill-target', 'c-max-rate', 'c-min-rate', 'disk-timeout', 'read-balancing', 'rs-discard-granularity']);
const OPTIONS = new Set(['cpu-mask', 'on-no-data-accessible']);
const HANDLERS = new Set(['pri-on-incon-degr', 'pri-lost-after-sb', 'pri-lost', 'fence-peer', 'unfence-peer', 'local-io-error',
  'split-brain', 'before-resync-target', 'after-resync-target', 'before-resync-source', 'out-of-sync', 'initial-split-brain']);
const STARTUP = new Set(['wfc-timeout', 'degr-wfc-timeout', 'outdated-wfc-timeout', 'wait-after-sb', 'become-primary-on', 'stacked-timeout']);
const KNOWN: Record<string, Set<string>> = { net: NET, disk: DISK, options: OPTIONS, handlers: HANDLERS, startup: STARTUP };

// `key value;` statements of an option section (every option with exactly one value).
const options = (s: Section, kind: string): Record<string, string> => {
  const o: Record<string, string> = {};
  for (const st of s.body ?? []) {
    if (st.body || st.words.length !== 2 || !KNOWN[kind]!.has(st.words[0]!) || st.words[0]! in o) throw new Unsupported(`${st.file}:${st.line}: ${kind} ${st.words[0]}`);
    o[st.words[0]!] = st.words[1]!;
  }
  return o;
};

const sectionsOf = (body: readonly Section[], allowed: readonly string[]): Record<string, Record<string, string>> => {
  const out: Record<string, Record<string, string>> = {};
  for (const s of body) {
    const k = s.words[0]!;
    if (!s.body || s.words.length !== 1 || !allowed.includes(k) || out[k]) throw new Unsupported(`${s.file}:${s.line}: ${s.words.join(' ')}`);
    out[k] = options(s, k);
  }
  return out;
};

interface HostParts { device?: string; minor?: number; disk?: string; address?: string; meta?: string }

// device/disk/address/meta-disk statements (in an `on` section, or at resource level as defaults).
const hostStatement = (st: Section, h: HostParts): boolean => {
  const [k, ...v] = st.words;
  if (st.body) return false;
  if (k === 'device') {
    if (v.length === 1 && /^\/dev\/drbd(\d+)$/.test(v[0]!)) { h.device = v[0]; h.minor = Number(/\d+$/.exec(v[0]!)![0]); return true; }
    if (v.length === 3 && v[1] === 'minor' && /^\d+$/.test(v[2]!) && v[0]!.startsWith('/dev/')) { h.device = v[0]; h.minor = Number(v[2]); return true; }
    if (v.length === 2 && v[0] === 'minor' && /^\d+$/.test(v[1]!)) { h.device = `/dev/drbd${v[1]}`; h.minor = Number(v[1]); return true; }
    throw new Unsupported(`${st.file}:${st.line}: device`);
  }
  if (k === 'disk' && v.length === 1 && v[0] !== 'none' && v[0]!.startsWith('/')) { h.disk = v[0]; return true; }
  if (k === 'meta-disk' && v.length === 1 && v[0] === 'internal') { h.meta = 'internal'; return true; }
  if (k === 'address') {
    const a = v.length === 2 && v[0] === 'ipv4' ? v[1]! : v.length === 1 ? v[0]! : '';
    if (/^\d{1,3}(\.\d{1,3}){3}:\d{1,5}$/.test(a)) { h.address = `ipv4:${a}`; return true; }
  }
  throw new Unsupported(`${st.file}:${st.line}: ${st.words.join(' ')}`);
};

const host = (name: string, parts: HostParts, where: Section): HostConf => {
  if (parts.device === undefined || parts.minor === undefined || !parts.disk || !parts.address || parts.meta !== 'internal') {
    throw new Unsupported(`${where.file}:${where.line}: incomplete host section ${name}`);
  }
  return { name, minor: parts.minor, device: parts.device, disk: parts.disk, address: parts.address, metaDisk: 'internal' };
};

// Option sections of the resource with those of `common` merged in (the resource's value wins).
const merge = (res: Record<string, string> = {}, common: Record<string, string> = {}): Record<string, string> => ({ ...common, ...res });

// The resource `name` from config file `file`, seen from host `hostname`.
export const loadResource = (file: string, name: string, hostname: string): ResourceConf => {
  const top = readConfig(file);
  let common: Record<string, Record<string, string>> = {};
  const found: Section[] = [];
  for (const s of top) {
    const k = s.words[0];
    if (k === 'global' && s.body && s.words.length === 1) continue;
    if (k === 'common' && s.body && s.words.length === 1) { common = sectionsOf(s.body, ['net', 'disk', 'options', 'handlers', 'startup']); continue; }
    if (k === 'resource' && s.body && s.words.length === 2) { if (s.words[1] === name) found.push(s); continue; }
    throw new Unsupported(`${s.file}:${s.line}: ${s.words.join(' ')}`);
  }
  if (found.length !== 1) throw new Unsupported(`resource ${name} defined ${found.length} times`);
  const res = found[0]!;
  const defaults: HostParts = {};
  const opt: Section[] = [];
  const ons: { names: string[]; parts: HostParts; s: Section }[] = [];
  for (const st of res.body!) {
    if (st.words[0] === 'on' && st.body) {
      if (st.words.length !== 2) throw new Unsupported(`${st.file}:${st.line}: on`);
      const parts: HostParts = {};
      for (const x of st.body) if (!hostStatement(x, parts)) throw new Unsupported(`${x.file}:${x.line}: ${x.words.join(' ')}`);
      ons.push({ names: [st.words[1]!], parts, s: st });
    } else if (st.body) opt.push(st);
    else hostStatement(st, defaults);
  }
  const own = sectionsOf(opt, ['net', 'disk', 'options', 'handlers', 'startup']);
  if (ons.length !== 2) throw new Unsupported(`resource ${name}: ${ons.length} host sections`);
  const [a, b] = ons.map((o) => host(o.names[0]!, { ...defaults, ...o.parts }, o.s)) as [HostConf, HostConf];
  if (a.name === b.name || a.address === b.address) throw new Unsupported(`resource ${name}: host sections clash`);
  const self = a.name === hostname ? a : b.name === hostname ? b : undefined;
  if (!self) throw new Unsupported(`resource ${name}: no host section for ${hostname}`);
  const peer = self === a ? b : a;
  return {
    name, file: res.file, line: res.line, self, peer,
    net: merge(own.net, common.net), disk: merge(own.disk, common.disk), options: merge(own.options, common.options),
    handlers: merge(own.handlers, common.handlers), startup: merge(own.startup, common.startup),
  };
};
