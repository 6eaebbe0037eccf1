// The emulator's request client over the pipe_wrap binding (src/drbd-emu/unix-request.ts) against a real unix
// socket server, compared with what node:net receives from the same server.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipeRequest } from '../../../src/drbd-emu/unix-request';

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
  it('HAKIT_PIPE_WRAP=0 turns it off (the caller then uses node:net)', () => {
    process.env.HAKIT_PIPE_WRAP = '0';
    try { expect(pipeRequest(echo, 'x\n', 100)).toBeUndefined(); } finally { delete process.env.HAKIT_PIPE_WRAP; }
  });
});
