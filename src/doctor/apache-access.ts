import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';

// Reads an apache configuration (following Include/IncludeOptional) and decides whether the status URL is
// reachable for the apache agent's monitor, which always fetches it over loopback (127.0.0.1 or ::1).

export interface ConfLine { readonly file: string; readonly line: number; readonly text: string }

const globToRe = (g: string) => new RegExp(`^${g.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);

const expand = (pattern: string): string[] => {
  if (!/[*?]/.test(pattern)) {
    if (!existsSync(pattern)) return [];
    return statSync(pattern).isDirectory() ? readdirSync(pattern).sort().map((f) => join(pattern, f)) : [pattern];
  }
  const dir = dirname(pattern);
  if (!existsSync(dir)) return [];
  const re = globToRe(pattern.slice(dir.length + 1));
  return readdirSync(dir).filter((f) => re.test(f)).sort().map((f) => join(dir, f));
};

// The configuration's lines with includes expanded (comments dropped, continuation lines joined).
export const readApacheConfig = (file: string, depth = 0, root?: string): ConfLine[] => {
  if (depth > 8 || !existsSync(file)) return [];
  const raw = readFileSync(file, 'utf8').replace(/\\\n/g, ' ').split('\n');
  const out: ConfLine[] = [];
  let serverRoot = root ?? dirname(file);
  raw.forEach((text, i) => {
    const t = text.trim();
    if (!t || t.startsWith('#')) return;
    const sr = /^ServerRoot\s+"?([^"\s]+)"?/i.exec(t);
    if (sr) serverRoot = sr[1]!;
    const inc = /^Include(?:Optional)?\s+"?([^"\s]+)"?/i.exec(t);
    if (inc) {
      const target = isAbsolute(inc[1]!) ? inc[1]! : join(serverRoot, inc[1]!);
      for (const f of expand(target)) out.push(...readApacheConfig(f, depth + 1, serverRoot));
      return;
    }
    out.push({ file, line: i + 1, text: t });
  });
  return out;
};

export interface LocationBlock { readonly path: string; readonly start: ConfLine; readonly body: readonly ConfLine[] }

// Every <Location PATH> block (the body holds the directives directly inside it, nested containers included).
export const locationBlocks = (lines: readonly ConfLine[]): LocationBlock[] => {
  const out: LocationBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^<Location\s+"?([^">]+)"?\s*>/i.exec(lines[i]!.text);
    if (!m) continue;
    const body: ConfLine[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^<\/Location\s*>/i.test(lines[j]!.text); j++) body.push(lines[j]!);
    out.push({ path: m[1]!.trim(), start: lines[i]!, body });
    i = j;
  }
  return out;
};

const ipv4 = (s: string) => s.split('.').map(Number);

// Does an apache address spec (full or partial IP, a.b.c.d/nn, a.b.c.d/mask, host or .domain) cover the client?
export const specCovers = (spec: string, client: string): boolean => {
  const s = spec.toLowerCase();
  if (s === 'all') return true;
  if (client.includes(':')) return s === client || s === '::1/128' || s === 'localhost';
  const c = ipv4(client);
  if (/^[\d.]+\/\d+$/.test(s)) {
    const [net, bits] = s.split('/');
    const n = ipv4(net!);
    const b = Number(bits);
    const toInt = (a: number[]) => ((a[0]! << 24) | ((a[1] ?? 0) << 16) | ((a[2] ?? 0) << 8) | (a[3] ?? 0)) >>> 0;
    const mask = b === 0 ? 0 : (0xffffffff << (32 - b)) >>> 0;
    return (toInt(n) & mask) === (toInt(c) & mask);
  }
  if (/^[\d.]+\/[\d.]+$/.test(s)) {
    const [net, m] = s.split('/');
    const n = ipv4(net!);
    const mk = ipv4(m!);
    return c.every((x, i) => (x & mk[i]!) === ((n[i] ?? 0) & mk[i]!));
  }
  if (/^[\d.]+$/.test(s)) {
    const parts = s.replace(/\.$/, '').split('.').map(Number);
    return parts.every((x, i) => c[i] === x);
  }
  // host names: 127.0.0.1 reverse-resolves to localhost
  return s === 'localhost' || s === 'localhost.localdomain';
};

export interface AccessVerdict { readonly allowed: boolean | undefined; readonly why: string; readonly line: ConfLine | undefined }

// Whether the block lets `client` in: Require (2.4, any line may grant) or Order/Allow/Deny (mod_access_compat).
export const evaluateAccess = (block: LocationBlock, client: string): AccessVerdict => {
  const requires = block.body.filter((l) => /^Require\s/i.test(l.text));
  if (requires.length) {
    for (const l of requires) {
      const [, kind = '', ...args] = l.text.split(/\s+/);
      const k = kind.toLowerCase();
      if (k === 'not') continue;
      if ((k === 'all' && args[0]?.toLowerCase() === 'granted') || k === 'local') return { allowed: true, why: l.text, line: l };
      if ((k === 'ip' || k === 'host') && args.some((a) => specCovers(a, client))) return { allowed: true, why: l.text, line: l };
    }
    return { allowed: false, why: `no Require line grants ${client} (${requires.map((l) => l.text).join('; ')})`, line: requires[0] };
  }
  const order = block.body.find((l) => /^Order\s/i.test(l.text));
  const allows = block.body.filter((l) => /^Allow\s+from\s/i.test(l.text));
  const denies = block.body.filter((l) => /^Deny\s+from\s/i.test(l.text));
  if (!order && !allows.length && !denies.length) return { allowed: undefined, why: 'no access directives in the block', line: undefined };
  const matches = (ls: ConfLine[]) => ls.find((l) => l.text.split(/\s+/).slice(2).some((a) => specCovers(a, client)));
  const allowHit = matches(allows);
  const denyHit = matches(denies);
  const allowFirst = order ? /allow\s*,\s*deny/i.test(order.text) : false;
  const allowed = allowFirst ? allowHit !== undefined && denyHit === undefined : denyHit === undefined || allowHit !== undefined;
  const line = allowed ? allowHit : denyHit ?? order ?? allows[0];
  const why = allowed ? `${allowHit?.text ?? 'not denied'}` : `${order?.text ?? 'Order deny,allow'}: ${denyHit ? denyHit.text : 'no Allow matches'} for ${client}`;
  return { allowed, why, line };
};
