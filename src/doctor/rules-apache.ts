import type { Cib } from './cib';
import type { Finding } from './finding';
import { evaluateAccess, locationBlocks, readApacheConfig } from './apache-access';

// apache status URL vs its configuration: the agent's monitor fetches the status URL over loopback; a
// <Location /server-status> that denies 127.0.0.1 makes every monitor fail (the seed document's outage).

export interface ApacheOptions {
  // Read this file instead of the primitive's configfile (the config of the node, copied where doctor runs).
  readonly apacheConfig?: string;
}

const urlParts = (url: string | undefined): { host: string; path: string } | undefined => {
  if (!url) return undefined;
  const m = /^https?:\/\/(\[[^\]]+\]|[^/:]+)(?::\d+)?(\/[^?#]*)?/i.exec(url);
  return m ? { host: m[1]!.replace(/^\[|\]$/g, ''), path: m[2] ?? '/' } : undefined;
};

// Finds apache primitives whose status URL their configuration denies to the loopback (or does not serve).
export const checkApacheStatus = (cib: Cib, opts: ApacheOptions = {}): { findings: Finding[]; notes: string[] } => {
  const findings: Finding[] = [];
  const notes: string[] = [];
  for (const p of cib.primitives.filter((x) => x.cls === 'ocf' && x.type === 'apache')) {
    const conf = opts.apacheConfig ?? p.params.get('configfile') ?? '/etc/apache2/apache2.conf';
    const lines = readApacheConfig(conf);
    if (!lines.length) {
      notes.push(`${p.id}: apache configuration ${conf} not readable here; status URL not checked (use --apache-config)`);
      continue;
    }
    const blocks = locationBlocks(lines);
    const url = urlParts(p.params.get('statusurl'));
    const handler = blocks.find((b) => b.body.some((l) => /^SetHandler\s+server-status/i.test(l.text)));
    const block = url ? blocks.find((b) => b.path === url.path) ?? (handler?.path === url.path ? handler : undefined) : handler;
    const el = `primitive ${p.id}`;
    if (!block) {
      findings.push({ rule: 'apache-status', severity: 'error', element: el, line: p.line,
        message: `no <Location ${url?.path ?? '/server-status'}> with SetHandler server-status in ${conf}: the monitor's status page does not exist`,
        fix: `add <Location ${url?.path ?? '/server-status'}> SetHandler server-status, Require local </Location> to ${conf}` });
      continue;
    }
    const client = url && (url.host === '::1') ? '::1' : '127.0.0.1';
    const v = evaluateAccess(block, client);
    if (v.allowed === false) {
      const where = v.line ?? block.start;
      findings.push({ rule: 'apache-status', severity: 'error', element: `${el} (${where.file}:${where.line})`, line: p.line,
        message: `the status URL ${url ? p.params.get('statusurl') : block.path} is denied to ${client} by its <Location ${block.path}> (${v.why}); the monitor fetches it over loopback and fails`,
        fix: `in ${where.file} line ${where.line}: allow the loopback, e.g. "Require local" (2.4) or "Allow from 127.0.0.1" (2.2 Order deny,allow)` });
    }
  }
  return { findings, notes };
};
