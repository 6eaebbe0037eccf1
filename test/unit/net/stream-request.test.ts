// One request over the pipe_wrap / tcp_wrap bindings (src/net/stream-request.ts) against real unix socket and TCP
// servers, compared with what node:net gets from the same servers: the emulator's requests to its kernel (unix) and
// the apache monitor's status check (TCP from loopback).
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipeRequest, streamRequest } from '../../../src/net/stream-request';

const dir = mkdtempSync(join(tmpdir(), 'hk-unixreq-'));
const servers: Server[] = [];
// A server: per connection, waits for one line and answers `reply(line)` (undefined: never answers).
const serve = async (name: string, reply: (line: string) => string | undefined): Promise<string> => {
  const path = join(dir, name);
  const srv = createServer((c) => {
    let buf = '';
    c.on('data', (d) => {
      buf += d.toString();
      if (!buf.includes('\n')) return;
      const r = reply(buf.slice(0, buf.indexOf('\n')));
      if (r !== undefined) c.end(r);
    });
    c.on('error', () => undefined);
  });
  servers.push(srv);
  await new Promise<void>((res) => srv.listen(path, res));
  return path;
};
const viaNet = (path: string, text: string): Promise<string | undefined> => new Promise((resolve) => {
  const c = connect(path);
  let buf = '';
  c.on('connect', () => c.write(text));
  c.on('data', (d) => { buf += d.toString(); });
  c.on('end', () => resolve(buf));
  c.on('error', () => resolve(undefined));
});

describe('pipeRequest', () => {
  let echo = '';
  let big = '';
  let silent = '';
  beforeAll(async () => {
    echo = await serve('echo.sock', (l) => `${JSON.stringify({ got: JSON.parse(l), é: 'ü' })}\n`);
    big = await serve('big.sock', () => 'x'.repeat(3 * 1024 * 1024 + 17)); // several reads
    silent = await serve('silent.sock', () => undefined);
  });
  afterAll(() => { for (const s of servers) s.close(); rmSync(dir, { recursive: true, force: true }); });

  it('is available on this runtime (a tested Node major)', () => {
    expect(pipeRequest(join(dir, 'none.sock'), 'x\n', 100)).toBeInstanceOf(Promise);
  });
  it('sends a line and returns the whole reply, the same as node:net gets', async () => {
    const line = `${JSON.stringify({ op: 'status', n: 1 })}\n`;
    const got = await pipeRequest(echo, line, 5000);
    expect(got).toBe(await viaNet(echo, line));
    expect(JSON.parse(got!)).toEqual({ got: { op: 'status', n: 1 }, é: 'ü' });
  });
  it('reads a reply that takes many reads', async () => {
    const got = await pipeRequest(big, 'a\n', 5000);
    expect(got?.length).toBe(3 * 1024 * 1024 + 17);
    expect(got).toBe(await viaNet(big, 'a\n'));
  });
  it('no socket: undefined at once; a server that never answers: undefined after the timeout', async () => {
    expect(await pipeRequest(join(dir, 'none.sock'), 'x\n', 5000)).toBeUndefined();
    const t0 = Date.now();
    expect(await pipeRequest(silent, 'x\n', 300)).toBeUndefined();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(Date.now() - t0).toBeLessThan(3000);
  });
  it('HAKIT_STREAM_WRAP=0 turns it off (the caller then uses node:net)', () => {
    process.env.HAKIT_STREAM_WRAP = '0';
    try {
      expect(pipeRequest(echo, 'x\n', 100)).toBeUndefined();
      expect(streamRequest({ ip: '127.0.0.1', port: 9 }, 'x', { timeoutMs: 100 })).toBeUndefined();
    } finally { delete process.env.HAKIT_STREAM_WRAP; }
  });
});

// TCP servers on loopback: each answers per connection with reply(request, the client's socket), or never.
const tcpServe = async (host: string, reply: (req: string, c: Socket) => string | undefined, closeAfter = true): Promise<number> => {
  const srv = createServer((c) => {
    let buf = '';
    c.on('data', (d) => {
      buf += d.toString('latin1');
      if (!buf.includes('\r\n\r\n')) return;
      const r = reply(buf, c);
      if (r !== undefined) { if (closeAfter) c.end(r, 'latin1'); else c.write(r, 'latin1'); }
    });
    c.on('error', () => undefined);
  });
  servers.push(srv);
  await new Promise<void>((res) => srv.listen(0, host, res));
  return (srv.address() as { port: number }).port;
};
const tcpViaNet = (ip: string, port: number, text: string, localAddress?: string): Promise<{ data?: string; code?: string }> =>
  new Promise((resolve) => {
    const c = connect({ host: ip, port, localAddress, family: ip.includes(':') ? 6 : 4 });
    const chunks: Buffer[] = [];
    c.on('connect', () => c.write(text));
    c.on('data', (d) => chunks.push(d));
    c.on('end', () => resolve({ data: Buffer.concat(chunks).toString('latin1') }));
    c.on('error', (e: NodeJS.ErrnoException) => resolve({ code: e.code }));
  });
const freePort = async (): Promise<number> => {
  const s = createServer();
  await new Promise<void>((res) => s.listen(0, '127.0.0.1', res));
  const { port } = s.address() as { port: number };
  await new Promise((res) => s.close(res));
  return port;
};
const v6 = (() => { try { return require('node:os').networkInterfaces().lo?.some((a: { family: string }) => a.family === 'IPv6'); } catch { return false; } })();

describe('streamRequest over TCP', () => {
  const REQ = 'GET /server-status?auto HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n';
  let http = 0;
  let big = 0;
  let silent = 0;
  let resets = 0;
  beforeAll(async () => {
    // answers with the request line and the peer address it saw, in latin1 bytes (é = 0xe9)
    http = await tcpServe('127.0.0.1', (req, c) => `HTTP/1.0 200 OK\r\n\r\n${req.split('\r\n')[0]} from ${c.remoteAddress} caf\u00e9\n`);
    big = await tcpServe('127.0.0.1', () => `HTTP/1.0 200 OK\r\n\r\n${'y'.repeat(2 * 1024 * 1024)}`);
    silent = await tcpServe('127.0.0.1', () => undefined);
    // answers, then resets the connection instead of closing it
    resets = await tcpServe('127.0.0.1', (_r, c) => { c.write('HTTP/1.0 200 OK\r\n\r\npartial'); setTimeout(() => c.resetAndDestroy(), 50); return undefined; });
  });

  it('sends the request from the given local address; the reply bytes are what node:net gets', async () => {
    const r = await streamRequest({ ip: '127.0.0.1', port: http, localAddress: '127.0.0.1' }, REQ, { timeoutMs: 5000 });
    expect(r?.ok).toBe(true);
    const text = r?.ok ? r.data.toString('latin1') : '';
    expect(text).toBe((await tcpViaNet('127.0.0.1', http, REQ, '127.0.0.1')).data);
    expect(text).toContain('GET /server-status?auto HTTP/1.0 from 127.0.0.1 caf\u00e9');
  });
  it('a reply of many reads arrives whole; maxBytes stops reading early and says so', async () => {
    const all = await streamRequest({ ip: '127.0.0.1', port: big }, REQ, { timeoutMs: 5000 });
    expect(all?.ok && all.data.length).toBe(2 * 1024 * 1024 + 19);
    expect(all?.ok && all.capped).toBe(false);
    const cut = await streamRequest({ ip: '127.0.0.1', port: big }, REQ, { timeoutMs: 5000, maxBytes: 100_000 });
    expect(cut?.ok && cut.capped).toBe(true);
    expect(cut?.ok && cut.data.length).toBeGreaterThanOrEqual(100_000);
  });
  it('refused: ECONNREFUSED with node:net\'s message; a silent server: ETIMEDOUT after the timeout', async () => {
    const port = await freePort();
    const r = await streamRequest({ ip: '127.0.0.1', port, localAddress: '127.0.0.1' }, REQ, { timeoutMs: 5000 });
    expect(r).toEqual({ ok: false, code: 'ECONNREFUSED', error: `connect ECONNREFUSED 127.0.0.1:${port}` });
    expect((await tcpViaNet('127.0.0.1', port, REQ)).code).toBe('ECONNREFUSED');
    const t0 = Date.now();
    const s = await streamRequest({ ip: '127.0.0.1', port: silent }, REQ, { timeoutMs: 300 });
    expect(s).toMatchObject({ ok: false, code: 'ETIMEDOUT' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(Date.now() - t0).toBeLessThan(3000);
  });
  it('a reset after an answer keeps the answer; a local address that is not this host\'s: EADDRNOTAVAIL', async () => {
    const r = await streamRequest({ ip: '127.0.0.1', port: resets }, REQ, { timeoutMs: 5000 });
    expect(r?.ok && r.data.toString('latin1')).toBe('HTTP/1.0 200 OK\r\n\r\npartial');
    const b = await streamRequest({ ip: '127.0.0.1', port: http, localAddress: '192.0.2.1' }, REQ, { timeoutMs: 5000 });
    expect(b).toMatchObject({ ok: false, code: 'EADDRNOTAVAIL' });
    expect((await tcpViaNet('127.0.0.1', http, REQ, '192.0.2.1')).code).toBe('EADDRNOTAVAIL');
  });
  it.runIf(v6)('IPv6: ::1 to ::1', async () => {
    const port = await tcpServe('::1', (req, c) => `HTTP/1.0 200 OK\r\n\r\n${req.split('\r\n')[0]} from ${c.remoteAddress}\n`);
    const r = await streamRequest({ ip: '::1', port, localAddress: '::1' }, REQ, { timeoutMs: 5000 });
    expect(r?.ok && r.data.toString('latin1')).toContain('from ::1');
    const refused = await streamRequest({ ip: '::1', port: await freePort(), localAddress: '::1' }, REQ, { timeoutMs: 5000 });
    expect(refused).toMatchObject({ ok: false, code: 'ECONNREFUSED' });
    expect(refused?.ok === false && refused.error).toMatch(/^connect ECONNREFUSED \[::1\]:\d+$/);
  });
});
