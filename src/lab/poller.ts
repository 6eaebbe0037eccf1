import { request } from 'node:http';

// The HTTP poller: run inside the switch namespace (hakit lab _poll URL), it GETs URL every `every` ms and prints
// one JSON line per attempt: {"t": epoch ms when sent, "ms": duration, "ok": 2xx?, "status", "body" (first 200 chars)}.

export interface PollSample { t: number; ms: number; ok: boolean; status: number; body: string; error?: string; }

// One GET with a timeout; never throws.
export const pollOnce = (url: string, timeoutMs: number): Promise<PollSample> =>
  new Promise((resolve) => {
    const t = Date.now();
    let done = false;
    const finish = (s: Omit<PollSample, 't' | 'ms'>) => {
      if (done) return;
      done = true;
      resolve({ t, ms: Date.now() - t, ...s });
    };
    const req = request(url, { agent: false, timeout: timeoutMs, headers: { connection: 'close' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { if (body.length < 4096) body += d; });
      res.on('end', () => finish({ ok: (res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300, status: res.statusCode ?? 0, body: body.slice(0, 200) }));
      res.on('error', (e) => finish({ ok: false, status: 0, body: '', error: e.message }));
    });
    req.on('timeout', () => { req.destroy(new Error('timeout')); });
    req.on('error', (e) => finish({ ok: false, status: 0, body: '', error: e.message }));
    req.end();
  });

// Polls `count` times (default: until killed), one JSON line per sample on stdout.
export const pollForever = async (url: string, every: number, timeoutMs: number, count = Infinity): Promise<void> => {
  for (let i = 0; i < count; i++) {
    const s = await pollOnce(url, timeoutMs);
    process.stdout.write(`${JSON.stringify(s)}\n`);
    const wait = every - (Date.now() - s.t);
    if (wait > 0 && i + 1 < count) await new Promise((r) => setTimeout(r, wait));
  }
};
