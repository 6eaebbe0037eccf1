import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, openSync, closeSync, ftruncateSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { qmpCommand } from './qmp';

export interface VmConfig {
  kit: string; // directory with vmlinux + initramfs.cpio (build-kit.sh)
  name: string; // node name (uname -n inside the guest)
  ip: string; // address/prefix on the private link, e.g. 10.77.0.1/24
  mac: string;
  disks: string[]; // raw image files, become /dev/vda, /dev/vdb...
  share: string; // host folder mounted at /share in the guest (9p)
  dir: string; // host folder for sockets and the console log
  udpLocal: number; // the private L2 link: -netdev socket over UDP on 127.0.0.1
  udpRemote: number;
  memMiB?: number;
  dist?: string; // optional host folder exported read-only at /opt/hakit (the built agent: bin/hakit, resource.d)
}

export interface RunResult {
  rc: number;
  stdout: string;
  stderr: string;
  ms: number;
}

interface Pending {
  resolve: (r: RunResult) => void;
  reject: (e: Error) => void;
  t0: number;
  timer: NodeJS.Timeout;
}

// Picks free UDP ports on 127.0.0.1 (held only while asking, so another process could still take them: rare).
export const freeUdpPorts = async (n: number): Promise<number[]> => {
  const socks = await Promise.all(
    Array.from({ length: n }, () =>
      new Promise<ReturnType<typeof createSocket>>((res, rej) => {
        const s = createSocket('udp4');
        s.once('error', rej);
        s.bind(0, '127.0.0.1', () => res(s));
      }),
    ),
  );
  const ports = socks.map((s) => s.address().port);
  socks.forEach((s) => s.close());
  return ports;
};

// Creates (or empties) a sparse raw disk image of the given size.
export const makeDisk = (path: string, sizeMiB: number): void => {
  const fd = openSync(path, 'w');
  ftruncateSync(fd, sizeMiB * 1024 * 1024);
  closeSync(fd);
};

// One qemu guest booted from the kit, driven through the command channel on its second serial port.
export class Vm {
  readonly cfg: VmConfig;
  private proc: ChildProcess | undefined;
  private sock: Socket | undefined;
  private buf = '';
  private seq = 0;
  private pending = new Map<string, Pending>();
  private readyWaiter: { resolve: () => void; reject: (e: Error) => void } | undefined;
  private exited: Promise<void> = Promise.resolve();

  constructor(cfg: VmConfig) {
    this.cfg = cfg;
  }

  get running(): boolean {
    return this.proc !== undefined && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  get consoleLog(): string {
    return join(this.cfg.dir, `${this.cfg.name}-console.log`);
  }

  // Starts qemu and resolves when the guest's command loop says @@READY.
  async boot(timeoutMs = 120_000): Promise<number> {
    const c = this.cfg;
    const t0 = Date.now();
    const cmdSock = join(c.dir, `${c.name}-cmd.sock`);
    const qmpSock = join(c.dir, `${c.name}-qmp.sock`);
    rmSync(cmdSock, { force: true }); // left over from an earlier (crashed) run of this guest
    rmSync(qmpSock, { force: true });
    const args = [
      '-nodefaults', '-nographic', '-no-user-config', '-accel', 'tcg', '-cpu', 'max', '-smp', '1',
      '-m', String(c.memMiB ?? 384), '-no-reboot',
      '-kernel', join(c.kit, 'vmlinux'), '-initrd', join(c.kit, 'initramfs.cpio'),
      '-append', `console=ttyS0 quiet loglevel=4 panic=-1 hk.node=${c.name} hk.ip=${c.ip}`,
      ...c.disks.flatMap((d) => ['-drive', `file=${d},format=raw,if=virtio,cache=unsafe`]),
      '-netdev', `socket,id=n0,udp=127.0.0.1:${c.udpRemote},localaddr=127.0.0.1:${c.udpLocal}`,
      '-device', `virtio-net-pci,netdev=n0,mac=${c.mac}`,
      '-virtfs', `local,path=${c.share},mount_tag=hkshare,security_model=none,id=fs0`,
      ...(c.dist ? ['-virtfs', `local,path=${c.dist},mount_tag=hkdist,security_model=none,readonly=on,id=fs1`] : []),
      '-chardev', `file,id=con,path=${this.consoleLog}`, '-serial', 'chardev:con',
      '-chardev', `socket,id=cmd,path=${cmdSock},server=on,wait=on`, '-serial', 'chardev:cmd',
      '-qmp', `unix:${qmpSock},server=on,wait=off`,
    ];
    const proc = spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.proc = proc;
    let stderr = '';
    proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    this.exited = new Promise((res) => proc.once('exit', () => res()));
    proc.once('exit', (code, sig) => {
      const err = new Error(`qemu ${c.name} exited (${code ?? sig}): ${stderr.trim().slice(-500)}`);
      this.failAll(err);
    });
    const ready = new Promise<void>((resolve, reject) => (this.readyWaiter = { resolve, reject }));
    ready.catch(() => undefined); // awaited below; a qemu that dies before must not leave an unhandled rejection
    // qemu creates the socket, then waits for us (wait=on) so no byte of the channel is lost.
    while (!existsSync(cmdSock)) {
      if (!this.running) throw new Error(`qemu ${c.name} did not start: ${stderr}`);
      if (Date.now() - t0 > timeoutMs) throw new Error(`qemu ${c.name}: no command socket`);
      await new Promise((r) => setTimeout(r, 20));
    }
    // The socket file appears at bind(), a moment before qemu listens: retry a refused connect.
    for (;;) {
      try {
        this.sock = await new Promise<Socket>((resolve, reject) => {
          const s = connect(cmdSock, () => resolve(s));
          s.once('error', reject);
        });
        break;
      } catch (e) {
        if (!this.running || Date.now() - t0 > timeoutMs) throw e;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    this.sock.setEncoding('utf8');
    this.sock.on('error', () => undefined); // a killed qemu resets the socket; its exit is handled above
    this.sock.on('data', (d: string) => this.onData(d));
    const timer = setTimeout(() => this.readyWaiter?.reject(new Error(`${c.name}: no @@READY in ${timeoutMs} ms`)), timeoutMs);
    try {
      await ready;
    } finally {
      clearTimeout(timer);
    }
    return Date.now() - t0;
  }

  private failAll(err: Error): void {
    this.readyWaiter?.reject(err);
    this.readyWaiter = undefined;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.pending.clear();
  }

  private onData(d: string): void {
    this.buf += d;
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl).replace(/\r$/, '');
      this.buf = this.buf.slice(nl + 1);
      if (line.startsWith('@@READY')) {
        this.readyWaiter?.resolve();
        this.readyWaiter = undefined;
      } else if (line.startsWith('@@RESULT ')) {
        const [, id = '', rc = '', out = '', err = ''] = line.split(' ');
        const p = this.pending.get(id);
        if (!p) continue;
        this.pending.delete(id);
        clearTimeout(p.timer);
        p.resolve({
          rc: Number(rc),
          stdout: Buffer.from(out, 'base64').toString('utf8'),
          stderr: Buffer.from(err, 'base64').toString('utf8'),
          ms: Date.now() - p.t0,
        });
      }
    }
  }

  // Runs a shell script in the guest (dash, cwd /root) and returns its exit code, stdout and stderr.
  run(script: string, timeoutMs = 60_000): Promise<RunResult> {
    const sock = this.sock;
    if (!sock || !this.running) return Promise.reject(new Error(`${this.cfg.name} is not running`));
    const id = String(++this.seq);
    return new Promise<RunResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.cfg.name}: command timed out after ${timeoutMs} ms: ${script.slice(0, 200)}`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, t0: Date.now(), timer });
      sock.write(`${id} ${Buffer.from(script).toString('base64')}\n`);
    });
  }

  // Sends one QMP command (e.g. set_link) to this guest's qemu and returns the parsed answer.
  qmp(execute: string, args: Record<string, unknown> = {}): Promise<unknown> {
    return qmpCommand(join(this.cfg.dir, `${this.cfg.name}-qmp.sock`), execute, args);
  }

  // Pulls or plugs the virtual network cable of this guest.
  async setLink(up: boolean): Promise<void> {
    await this.qmp('set_link', { name: 'n0', up });
  }

  // Simulates a crash / power loss: SIGKILL of qemu (nothing is flushed or shut down in the guest).
  async crash(): Promise<void> {
    if (this.running) this.proc?.kill('SIGKILL');
    await this.exited;
    this.sock?.destroy();
    this.sock = undefined;
  }

  // Powers the guest off (sync first); falls back to SIGKILL after a while.
  async shutdown(): Promise<void> {
    if (!this.running) return;
    this.sock?.write(`0 ${Buffer.from('sync; poweroff -f').toString('base64')}\n`);
    const t = setTimeout(() => this.proc?.kill('SIGKILL'), 5_000);
    await this.exited;
    clearTimeout(t);
    this.sock?.destroy();
    this.sock = undefined;
  }
}
