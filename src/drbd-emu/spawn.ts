// Client side of the emulated kernel: locate the tools, start a resource's daemon, send it one request.
import { existsSync, openSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { childProcess } from './child';
import { ensureDir } from './dataplane';
import { logPath, minorPath, runDir, sockPath } from './paths';
import { pipeRequest } from '../net/stream-request';

// dist/libexec/hakit (where the drbdadm/drbdsetup/drbdmeta/hakit-drbd-kernel symlinks are).
export const libexecDir = (): string => process.env.HAKIT_DRBD_LIBEXEC || join(dirname(process.execPath), '..', 'libexec', 'hakit');

// Sends one request to the daemon of `res`; undefined when no daemon runs for it. Through the pipe_wrap binding
// where that is usable (src/net/stream-request.ts), else node:net (loaded only then).
export const request = (res: string, req: Record<string, unknown>, timeoutMs = 30000): Promise<any | undefined> => {
  if (!existsSync(sockPath(res))) return Promise.resolve(undefined);
  const parse = (text: string | undefined): any | undefined => { try { return text === undefined ? undefined : JSON.parse(text); } catch { return undefined; } };
  const viaPipe = pipeRequest(sockPath(res), `${JSON.stringify(req)}\n`, timeoutMs);
  if (viaPipe) return viaPipe.then(parse);
  return new Promise((resolve) => {
    const { connect } = require('node:net') as typeof import('node:net');
    const c = connect(sockPath(res));
    let buf = '';
    const t = setTimeout(() => { c.destroy(); resolve(undefined); }, timeoutMs);
    c.on('connect', () => c.write(`${JSON.stringify(req)}\n`));
    c.on('data', (d) => { buf += d.toString(); });
    c.on('end', () => { clearTimeout(t); resolve(parse(buf)); });
    c.on('error', () => { clearTimeout(t); resolve(undefined); });
  });
};

// The resource a minor belongs to (undefined: minor not allocated).
export const resOfMinor = (minor: number): string | undefined => {
  try { return readFileSync(minorPath(minor), 'utf8').trim() || undefined; } catch { return undefined; }
};

// Starts the daemon for `res` (detached: it is the kernel) and waits for its socket.
export const startKernel = async (res: string): Promise<boolean> => {
  ensureDir(runDir());
  const out = openSync(logPath(res), 'a');
  const c = childProcess().spawn(join(libexecDir(), 'hakit-drbd-kernel'), [res], { detached: true, stdio: ['ignore', out, out] });
  c.unref();
  for (let i = 0; i < 200; i++) {
    if (existsSync(sockPath(res)) && (await request(res, { op: 'status' }, 1000))) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return false;
};
