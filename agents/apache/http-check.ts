import type { Socket } from 'node:net';
import { streamRequest } from '../../src/net/stream-request';

// The monitor's HTTP client, in-process (no wget/curl): bound to loopback as upstream's clients are, so only a
// server on THIS node can answer; follows redirects; accepts self-signed certificates (it checks liveness,
// not identity); bounded by a deadline so a stopped (SIGSTOP) httpd fails the check instead of hanging it.
// A minimal HTTP/1.0 client: plain http to an IP literal or `localhost` goes through the tcp_wrap binding
// (src/net/stream-request.ts: no node:net or stream modules, ~4 ms of a monitor); any other host name, or where the
// binding is not usable, through node:net; https through node:tls (loaded only then). node:http pulls in undici on
// Node 26, which costs more CPU than the whole rest of a monitor call.

export interface FetchOptions {
  localAddress: '127.0.0.1' | '::1';
  deadline: number; // epoch ms
  auth?: { user: string; password: string };
  method?: 'GET' | 'HEAD';
  maxRedirects?: number;
  maxBody?: number;
}

export type FetchResult =
  | { ok: true; status: number; body: string; url: string; redirects: number }
  | { ok: false; error: string; code: string | undefined; url: string };

export interface RawResponse {
  status: number;
  headers: Map<string, string>;
  body: string;
}

const MAX_BODY = 4 * 1024 * 1024;

// Decodes a chunked body (servers should not send one to an HTTP/1.0 client, but tolerate it).
const dechunk = (b: string): string => {
  let out = '';
  let i = 0;
  for (;;) {
    const eol = b.indexOf('\r\n', i);
    if (eol < 0) return out;
    const size = parseInt(b.slice(i, eol), 16);
    if (!Number.isFinite(size) || size <= 0) return out;
    out += b.slice(eol + 2, eol + 2 + size);
    i = eol + 2 + size + 2;
  }
};

const USED_HEADERS = new Set(['location', 'transfer-encoding']);

// Parses a raw HTTP response (latin1 text); undefined when there is no status line.
export const parseResponse = (raw: string): RawResponse | undefined => {
  const end = raw.indexOf('\r\n\r\n');
  const head = end < 0 ? raw : raw.slice(0, end);
  const m = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(head);
  if (!m) return undefined;
  // Only the headers the check reads: a table keyed by whatever a server sends would be a server's to fill.
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n').slice(1)) {
    const c = line.indexOf(':');
    const name = c > 0 ? line.slice(0, c).trim().toLowerCase() : '';
    if (USED_HEADERS.has(name)) headers.set(name, line.slice(c + 1).trim());
  }
  let body = end < 0 ? '' : raw.slice(end + 4);
  if (/chunked/i.test(headers.get('transfer-encoding') ?? '')) body = dechunk(body);
  return { status: Number(m[1]), headers, body };
};

// The request text for one URL.
export const requestText = (url: URL, method: string, auth?: { user: string; password: string }): string => {
  const lines = [`${method} ${url.pathname || '/'}${url.search} HTTP/1.0`, `Host: ${url.host}`,
    'User-Agent: hakit-apache-monitor', 'Accept: */*', 'Connection: close'];
  if (auth) lines.push(`Authorization: Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
};

type Once = { res?: RawResponse; error?: string; code?: string };

// What the whole answer of a server amounts to.
const answer = (data: Buffer): Once => {
  if (data.length === 0) return { error: 'connection closed without an answer', code: 'ECONNRESET' };
  const res = parseResponse(data.toString('latin1'));
  return res ? { res } : { error: 'no HTTP answer (connection closed)', code: 'ECONNRESET' };
};

// The IP to connect to from `local` without resolving a name: the URL's IP literal of the same family, or the
// loopback address for `localhost` (as curl takes it, RFC 6761); undefined: leave it to node:net.
export const directIp = (host: string, local: FetchOptions['localAddress']): string | undefined => {
  if (host === 'localhost') return local;
  const v6 = host.includes(':');
  if (v6 !== (local === '::1')) return undefined;
  return v6 || /^\d{1,3}(\.\d{1,3}){3}$/.test(host) ? host : undefined;
};

const once = (url: URL, o: FetchOptions): Promise<Once> => {
  const left = o.deadline - Date.now();
  if (left <= 0) return Promise.resolve({ error: 'no time left', code: 'ETIMEDOUT' });
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  const cap = (o.maxBody ?? MAX_BODY) + 64 * 1024;
  const text = requestText(url, o.method ?? 'GET', o.auth);
  const ip = url.protocol === 'http:' ? directIp(host, o.localAddress) : undefined;
  const lean = ip === undefined ? undefined
    : streamRequest({ ip, port, localAddress: o.localAddress }, text, { timeoutMs: left, maxBytes: cap });
  if (lean) return lean.then((r) => (r.ok ? answer(r.data) : { error: r.error, code: r.code }));
  const base = { host, port, localAddress: o.localAddress, family: o.localAddress === '::1' ? 6 : 4 };
  let sock: Socket;
  let ready: string;
  if (url.protocol === 'https:') {
    // node:tls (and crypto) only when needed; a dynamic import() of a builtin does not work in the SEA
    const tls = process.getBuiltinModule('node:tls') as typeof import('node:tls');
    const { isIP } = process.getBuiltinModule('node:net') as typeof import('node:net');
    sock = tls.connect({ ...base, rejectUnauthorized: false, servername: isIP(host) ? undefined : host });
    ready = 'secureConnect';
  } else {
    sock = (process.getBuiltinModule('node:net') as typeof import('node:net')).connect(base);
    ready = 'connect';
  }
  return new Promise<Once>((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (v: Once) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(v);
    };
    const parse = () => finish(answer(Buffer.concat(chunks)));
    const timer = setTimeout(() => finish({ error: `no answer within ${left} ms`, code: 'ETIMEDOUT' }), left);
    sock.once(ready, () => sock.write(text));
    sock.on('data', (d: Buffer) => {
      chunks.push(d);
      size += d.length;
      if (size >= cap) parse();
    });
    sock.on('end', parse);
    sock.on('close', parse); // nothing received: answer() says "connection closed without an answer"
    sock.on('error', (e: NodeJS.ErrnoException) => {
      if (chunks.length && e.code === 'ECONNRESET') parse();
      else finish({ error: e.message, code: e.code });
    });
  });
};

// GETs (or HEADs) a URL from loopback, following up to 10 redirects; never throws.
export const fetchUrl = async (raw: string, o: FetchOptions): Promise<FetchResult> => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, error: `not a valid URL: ${JSON.stringify(raw.slice(0, 200))}`, code: 'EINVALURL', url: raw };
  }
  const max = o.maxRedirects ?? 10;
  for (let hops = 0; ; hops++) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return { ok: false, error: `unsupported URL scheme ${url.protocol}`, code: 'EINVALURL', url: url.href };
    }
    const r = await once(url, o);
    if (!r.res) return { ok: false, error: r.error ?? 'no response', code: r.code, url: url.href };
    const loc = r.res.headers.get('location');
    if (r.res.status >= 300 && r.res.status < 400 && loc && hops < max) {
      try {
        url = new URL(loc, url);
      } catch {
        return { ok: false, error: `bad redirect to ${JSON.stringify(loc.slice(0, 200))}`, code: 'EINVALURL', url: url.href };
      }
      continue;
    }
    return { ok: true, status: r.res.status, body: r.res.body.slice(0, o.maxBody ?? MAX_BODY), url: url.href, redirects: hops };
  }
};
