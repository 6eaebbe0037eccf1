import type { Instance } from './config';
import { fetchUrl } from './http-check';

// One HTTP check of the monitor: fetch a URL from loopback and match the body; the verdict carries the reason.
export type HttpVerdict =
  | { ok: true }
  | { ok: false; refused: boolean; reason: string };

export interface HttpCheck {
  url: string;
  regex: RegExp;
  regexSource: string;
  auth?: { user: string; password: string };
  what: string; // "status page", "test URL" (for messages)
}

// Loopback address of the right family: ::1 when asked or when the URL is IPv6 (upstream's rule).
export const loopbackFor = (url: string, useIpv6: boolean): '127.0.0.1' | '::1' =>
  useIpv6 || url.includes('::') || /^\w+:\/\/\[/.test(url) ? '::1' : '127.0.0.1';

const deniedHint = (inst: Instance, url: string): string => {
  const loc = inst.statusLocation;
  if (loc && url.endsWith(loc.path)) {
    return `allow 127.0.0.1 in <Location ${loc.path}> at ${loc.file}:${loc.line} (e.g. "Require local")`;
  }
  return 'allow requests from 127.0.0.1 to it in the httpd configuration';
};

// Runs a check; never throws. 2xx (after redirects) and a matching body pass.
export const runHttpCheck = async (
  inst: Instance, c: HttpCheck, o: { deadline: number; useIpv6: boolean },
): Promise<HttpVerdict> => {
  const r = await fetchUrl(c.url, { localAddress: loopbackFor(c.url, o.useIpv6), deadline: o.deadline, auth: c.auth });
  if (!r.ok) {
    const refused = r.code === 'ECONNREFUSED' || r.code === 'ECONNRESET';
    const why = r.code === 'ETIMEDOUT' ? `${r.error} (is httpd hung or stopped?)` : r.error;
    return { ok: false, refused, reason: `${c.what} ${r.url}: ${why}` };
  }
  if (r.status === 401 || r.status === 403) {
    return { ok: false, refused: false,
      reason: `${c.what} ${r.url} is denied (HTTP ${r.status}) to this node's loopback: ${deniedHint(inst, r.url)}` };
  }
  if (r.status < 200 || r.status > 299) return { ok: false, refused: false, reason: `${c.what} ${r.url} answered HTTP ${r.status}` };
  if (!c.regex.test(r.body)) {
    return { ok: false, refused: false, reason: `${c.what} ${r.url} does not match ${JSON.stringify(c.regexSource.slice(0, 100))}` };
  }
  return { ok: true };
};

// Upstream's last resort when nothing at all was configured: any HTTP answer from the index page means alive.
export const indexAnswers = async (inst: Instance, o: { deadline: number; useIpv6: boolean }): Promise<boolean> => {
  const r = await fetchUrl(`${inst.baseUrl}/`, { localAddress: loopbackFor(inst.baseUrl, o.useIpv6), deadline: o.deadline, method: 'HEAD' });
  return r.ok;
};
