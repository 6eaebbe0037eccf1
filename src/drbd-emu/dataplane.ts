// The block device side: loop devices (over the FUSE-served data area while attached, over an empty placeholder
// otherwise), their read-only and autoclear flags, the hold that runs their ioctls, and who holds them open. Every
// command that may touch the FUSE file runs asynchronously: the same event loop has to answer that file's requests.
import { childProcess } from './child';
import { closeSync, constants, existsSync, ftruncateSync, mkdirSync, openSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

// Runs a program without blocking the event loop; `extraFd` becomes the child's fd 3.
export const runAsync = (file: string, args: string[], extraFd?: number): Promise<{ code: number; out: string; err: string }> =>
  new Promise((res) => {
    const c = childProcess().spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe', ...(extraFd !== undefined ? [extraFd] : [])] });
    let out = '';
    let err = '';
    c.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
    c.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
    c.on('error', (e) => res({ code: 127, out: '', err: e.message }));
    c.on('close', (code) => res({ code: code ?? 128, out: out.trim(), err: err.trim() }));
  });
const must = async (file: string, args: string[]): Promise<string> => {
  const r = await runAsync(file, args);
  if (r.code !== 0) throw new Error(`${file} ${args.join(' ')}: ${r.err || `exit ${r.code}`}`);
  return r.out;
};

// Binds a free loop device (or `dev`) to `file` and returns /dev/loopN. `ro`: a read-only loop device (the flag
// belongs to this binding and ends with it, unlike blockdev --setro, which sticks to the minor for its next user).
export const loopAttach = async (file: string, dev?: string, ro = false): Promise<string> => {
  const o = ro ? ['--read-only'] : [];
  return dev ? (await must('losetup', [...o, dev, file]), dev) : must('losetup', ['--find', '--show', ...o, file]);
};
// Detaches /dev/loopN, clearing the read-only flag first (it would survive into the next user of the minor).
export const loopDetach = async (dev: string): Promise<void> => {
  await runAsync('blockdev', ['--setrw', dev]);
  await runAsync('losetup', ['-d', dev]);
};
export const loopMinor = (dev: string): number => Number(/loop(\d+)$/.exec(dev)?.[1] ?? -1);

// Makes (or replaces) the device node `path` for /dev/loopN.
export const makeNode = (path: string, loopDev: string): void => {
  mkdirSync(dirname(path), { recursive: true });
  rmSync(path, { force: true });
  const r = childProcess().spawnSync('mknod', ['-m', '660', path, 'b', '7', String(loopMinor(loopDev))], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mknod ${path}: ${r.stderr.trim()}`);
};
// Re-binds loop device `dev` (if still ours) to `file`; when its minor was taken meanwhile, a fresh one. The
// minor's sticky read-only flag (blockdev --setro by a previous user) is cleared: `ro` alone decides.
export const rebind = async (dev: string | undefined, file: string, ro = false): Promise<string> => {
  let got: string | undefined;
  if (dev) {
    await loopDetach(dev);
    try { got = await loopAttach(file, dev, ro); } catch { /* minor taken by someone else, or still running down */ }
  }
  got ??= await loopAttach(file, undefined, ro);
  await runAsync('blockdev', ['--setrw', got]);
  return got;
};

// The hold on the device's loop device: a small process that opens it, sets LO_FLAGS_AUTOCLEAR (ioctl
// LOOP_SET_STATUS64: losetup has no option for it), says "ok" and keeps it open until its stdin closes. So the loop
// device detaches itself once the emulated kernel is gone (stdin EOF) and the last user (a mount) lets go, instead of
// lingering over a dead FUSE file. A separate process, because the last close may write back cached pages through
// the FUSE file: the FUSE server itself must never be the one blocked in it (a SIGKILLed server would deadlock).
// While it lives it runs the device's ioctls on command, one line each, answered "ok" or "err ...": `flush`
// (BLKFLSBUF: write back dirty pages, drop the cached ones) and `size <file>` (stat the bound file, which makes FUSE
// ask its size again, then LOOP_SET_CAPACITY). Microseconds, where starting blockdev/losetup costs milliseconds.
const HOLD = `import fcntl, os, struct, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
b = bytearray(200)
fcntl.ioctl(fd, 0x4C05, b)
struct.pack_into('I', b, 52, struct.unpack_from('I', b, 52)[0] | 4)
fcntl.ioctl(fd, 0x4C04, bytes(b))
o = sys.stdout
o.write('ok\\n'); o.flush()
for line in iter(sys.stdin.readline, ''):
    c = line.split(' ', 1)
    try:
        if c[0].strip() == 'flush': fcntl.ioctl(fd, 0x1261)
        elif c[0] == 'size': os.stat(c[1].rstrip('\\n')); fcntl.ioctl(fd, 0x4C07)
        else: raise OSError('unknown command ' + c[0])
        o.write('ok\\n')
    except OSError as e: o.write('err %s\\n' % e)
    o.flush()
`;
export interface Hold { pid: number; cmd(line: string): Promise<void>; release(): Promise<void> }
// Starts the hold on `dev`; rejects when it could not be set up. `cmd` runs one command (rejects on "err").
export const holdDevice = (dev: string): Promise<Hold> => new Promise((res, rej) => {
  const py = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const c = childProcess().spawn(py, ['-S', '-I', '-c', HOLD, dev], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiting: Array<(answer: string) => void> = [];
  const exited = new Promise<void>((r) => c.on('close', () => r()));
  const cmd = (line: string): Promise<void> => new Promise((ok, no) => {
    if (!c.stdin.writable) { no(new Error(`device hold on ${dev}: gone`)); return; }
    waiting.push((a) => (a === 'ok' ? ok() : no(new Error(`device hold on ${dev}: ${line}: ${a}`))));
    c.stdin.write(`${line}\n`);
  });
  c.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    for (let i = out.indexOf('\n'); i >= 0; i = out.indexOf('\n')) {
      const a = out.slice(0, i); out = out.slice(i + 1);
      const w = waiting.shift();
      if (w) w(a); else if (a === 'ok') res({ pid: c.pid ?? -1, cmd, release: async () => { c.stdin.end(); await exited; } });
    }
  });
  c.stdin.on('error', () => undefined); // gone: its commands are answered below
  c.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  c.on('error', (e) => rej(e));
  c.on('close', (code) => {
    for (const w of waiting.splice(0)) w(`exited (${err.trim() || `exit ${code}`})`);
    rej(new Error(`device hold on ${dev}: ${err.trim() || `exit ${code}`}`));
  });
});

// How many holders the device has: a mount (exclusive claim) or open file descriptors of other processes (not this
// one, nor the pids in `mine`).
export const openers = (dev: string, extraPaths: string[], mine: number[] = []): number => {
  let n = 0;
  try { closeSync(openSync(dev, constants.O_RDONLY | constants.O_EXCL)); } catch (e) { if ((e as NodeJS.ErrnoException).code === 'EBUSY') n++; }
  let rdev = -1;
  try { rdev = statSync(dev).rdev; } catch { return n; }
  const names = new Set([dev, ...extraPaths]);
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid || mine.includes(Number(pid))) continue;
    let fds: string[] = [];
    try { fds = readdirSync(`/proc/${pid}/fd`); } catch { continue; }
    for (const fd of fds) {
      try {
        const l = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (!l.startsWith('/dev/')) continue;
        if (names.has(l) || statSync(`/proc/${pid}/fd/${fd}`).rdev === rdev) n++;
      } catch (e) { if ((e as NodeJS.ErrnoException).code === 'EACCES') break; } // EACCES: none of its fds is readable (one throw, not hundreds); else raced
    }
  }
  return n;
};

export const ensureDir = (d: string): void => { if (!existsSync(d)) mkdirSync(d, { recursive: true, mode: 0o700 }); };
// Writes a file in place (keeps the inode: a bind mount of it stays valid).
export const writeInPlace = (path: string, text: string): void => {
  const fd = openSync(path, existsSync(path) ? 'r+' : 'w');
  try { const b = Buffer.from(text); writeSync(fd, b, 0, b.length, 0); ftruncateSync(fd, b.length); } finally { closeSync(fd); }
};
export { writeFileSync };
