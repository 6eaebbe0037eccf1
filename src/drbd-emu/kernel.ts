// hakit-drbd-kernel <resource>: the emulated DRBD 8.4 kernel for one resource on one node. Holds the state,
// answers drbdsetup on a unix socket, replicates over TCP to the peer at the configured addresses.
import { spawn } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { formatProc } from './format';
import { BLOCK, backingBytes, freshMeta, fromRuns, geometry, readMeta, writeMeta } from './meta';
import { logPath, minorPath, procPath, runDir, sockPath, statePath, devPath } from './paths';
import { checkDemote, checkOutdate, checkPromote, newUuid, rotateUuids } from './rules';
import { UUID_ZERO, type ConnState, type DiskState, type Meta, type Role, type Snapshot } from './types';
import { ensureDir, openers, writeInPlace, type Hold } from './dataplane';
import { bindDevice, deviceIoctl, failInflight, onAck, onPeerWrite, releaseDevice, startFuse, stopFuse, unbindDevice, waitInflight, type Inflight } from './fuse/device';
import type { FuseServer } from './fuse/server';
import { reexecInOwnMountNs } from './fuse/namespace';
import { readFrames, sendFrame, type Frame } from './wire';
import { finishSyncTarget, handshake, startSyncSource, startSyncTarget } from './resync';
import { libexecDir } from './spawn';

// How often changed out-of-sync bitmaps (writes while disconnected) are saved to the meta data.
const META_MS = 100;

type Reply = { rc: number; err?: { code: number; text?: string; info?: string }; state?: Snapshot };
const splitAddr = (a: string): { host: string; port: number } => {
  const m = /^(?:ipv4:)?([^:]+):(\d+)$/.exec(a);
  return { host: m?.[1] ?? '', port: Number(m?.[2] ?? 0) };
};

export class Kernel {
  minor = -1; vnr = 0; loop?: string; role: Role = 'Secondary'; peerRole: Role = 'Unknown';
  cstate: ConnState = 'StandAlone'; disk: DiskState = 'Diskless'; pdsk: DiskState = 'DUnknown';
  meta?: Meta; backing?: string; usable = 0; diskOpts: Record<string, string> = {}; netOpts: Record<string, string> = {};
  resOpts: Record<string, string> = {}; local?: string; peer?: string; discard = false; susp = false;
  oos = new Set<number>(); link?: Socket; listener?: Server;
  timers: NodeJS.Timeout[] = []; lastRx = 0; peerHello?: Record<string, any>; sync?: { total: number; left: number; start: number; speed: number; blocks?: number[] };
  stats = { ns: 0, nr: 0, dw: 0, dr: 0, al: 0, bm: 0 }; metaDirty = false;
  // data plane (fuse/device.ts): the FUSE server, the daemon's hold on the device, writes awaiting the peer's ack
  fuse?: FuseServer; hold?: Hold; inflight = new Map<number, Inflight>(); writeSeq = 0; binding = false;
  constructor(readonly name: string) {}

  log(msg: string): void { try { appendFileSync(logPath(this.name), `${new Date().toISOString()} drbd ${this.name}: ${msg}\n`); } catch { /* */ } }
  // Kernel messages operators grep for also go to the kernel log (dmesg), as the module writes them.
  kmsg(msg: string): void {
    this.log(msg);
    if (process.env.HAKIT_DRBD_KMSG === '0') return;
    try { appendFileSync('/dev/kmsg', `<3>drbd ${this.name}: ${msg}\n`); } catch { /* no kernel log here */ }
  }

  snapshot(): Snapshot {
    const oosKiB = this.sync ? this.sync.left : this.oos.size * 4;
    return {
      name: this.name, minor: this.minor, vnr: this.vnr, role: this.role, peer: this.peerRole, cstate: this.cstate,
      disk: this.disk, pdsk: this.pdsk, susp: this.susp, userIsp: false, peerIsp: false, aftrIsp: false,
      configured: { disk: !!this.backing, net: !!this.peer }, protocol: this.netOpts.protocol ?? 'C', sizeKiB: this.usable / 1024,
      stats: { ...this.stats, oosKiB }, res_opts: this.resOpts,
      ...(this.sync ? { sync: { totalKiB: this.sync.total, leftKiB: this.sync.left, startMs: this.sync.start, nowMs: Date.now(), speedKiBs: this.sync.speed, ...(this.diskOpts['c-plan-ahead'] !== '0' ? { wantKiBs: this.sync.speed } : {}) } } : {}),
      ...(this.meta ? { uuids: this.meta.uuids, flags: this.meta.flags } : {}),
      ...(this.backing ? { disk_conf: { backing: this.backing, meta: this.diskOpts.__meta ?? this.backing, idx: this.diskOpts.__idx ?? 'internal', opts: this.diskOpts } } : {}),
      ...(this.peer && this.local ? { net_conf: { local: this.local, peer: this.peer, opts: this.netOpts } } : {}),
    };
  }

  // Publishes the state file (with this daemon's pid: drbdsetup answers state queries from it while this process
  // lives, drbdsetup.ts publishedState) and rewrites the node's /proc/drbd view. Written to a new file and renamed
  // over the old one, so a reader never sees half of it.
  publish(): void {
    try {
      const tmp = `${statePath(this.name)}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ ...this.snapshot(), pid: process.pid }));
      renameSync(tmp, statePath(this.name));
      this.publishProc();
    } catch (e) { this.log(`publish: ${(e as Error).message}`); }
  }

  // Withdraws this resource from the queries (its state file and socket) and from the /proc/drbd view.
  unpublish(): void {
    rmSync(statePath(this.name), { force: true }); rmSync(sockPath(this.name), { force: true });
    this.publishProc();
  }

  // Rewrites the node's /proc/drbd view from every resource's published state.
  publishProc(): void {
    try {
      const all: Snapshot[] = [];
      for (const f of readdirSync(runDir())) if (f.endsWith('.state.json')) { try { all.push(JSON.parse(readFileSync(join(runDir(), f), 'utf8'))); } catch { /* */ } }
      writeInPlace(procPath(), formatProc(all.filter((s) => s.minor >= 0)));
    } catch (e) { this.log(`publish: ${(e as Error).message}`); }
  }

  // The backing device, kept open while attached.
  private bfd?: number;
  fd(): number { if (this.bfd === undefined) this.bfd = openSync(this.backing!, 'r+'); return this.bfd; }
  closeFd(): void { if (this.bfd !== undefined) { closeSync(this.bfd); this.bfd = undefined; } }
  private publishTimer?: NodeJS.Timeout;
  // Coalesces frequent updates (resync progress) into one publish per 100 ms.
  publishSoon(): void { if (!this.publishTimer) this.publishTimer = setTimeout(() => { this.publishTimer = undefined; this.publish(); }, 100); }

  // Writes the meta data (`lazy`: its flush to stable storage in the background, see writeMeta).
  saveMeta(lazy = false): void {
    if (!this.meta || !this.backing) return;
    const f = this.meta.flags;
    f.consistent = this.disk === 'UpToDate' || this.disk === 'Consistent' || this.disk === 'Outdated';
    f.wasUpToDate = this.disk === 'UpToDate';
    f.outdated = this.disk === 'Outdated';
    f.primaryInd = this.role === 'Primary';
    f.peerOutdated = this.pdsk === 'Outdated';
    writeMeta(this.backing, this.meta, this.oos, lazy);
    this.stats.bm++;
  }

  // Runs a usermode helper the way the 8.4 kernel does: `drbdadm <helper> <resource|minor-N>`.
  helper(cmd: string, obj: string): Promise<number> {
    const adm = process.env.HAKIT_DRBD_USERMODE_HELPER || join(libexecDir(), 'drbdadm');
    const peer = this.peer ? splitAddr(this.peer) : undefined;
    this.log(`helper command: ${adm} ${cmd} ${obj}`);
    return new Promise((res) => {
      const c = spawn(adm, [cmd, obj], { stdio: 'ignore', env: { ...process.env, HOME: '/', TERM: 'linux', DRBD_MINOR: String(this.minor), ...(peer ? { DRBD_PEER_AF: 'ipv4', DRBD_PEER_ADDRESS: peer.host } : {}) } });
      c.on('error', () => res(127));
      c.on('exit', (code) => { const rc = code ?? 128; this.log(`helper command: ${adm} ${cmd} ${obj} exit code ${rc} (0x${(rc << 8).toString(16)})`); res(rc); });
    });
  }

  // ---- requests from drbdsetup ----
  async handle(r: Record<string, any>): Promise<Reply> {
    const ok = (): Reply => { this.publish(); return { rc: 0, state: this.snapshot() }; };
    const fail = (code: number, info?: string): Reply => ({ rc: 1, err: { code, ...(info ? { info } : {}) }, state: this.snapshot() });
    switch (r.op) {
      case 'status': return { rc: 0, state: this.snapshot() };
      case 'new-minor':
        if (this.minor >= 0) return fail(161);
        this.minor = Number(r.minor); this.vnr = Number(r.vnr ?? 0);
        writeFileSync(minorPath(this.minor), this.name);
        writeFileSync(join(runDir(), `${this.name}.empty`), '');
        await bindDevice(this);
        return ok();
      case 'attach': return this.attach(r);
      case 'detach':
        if (this.role === 'Primary' && this.pdsk !== 'UpToDate') return fail(-2);
        await releaseDevice(this); await this.flush();
        this.saveMeta(); this.closeFd(); this.backing = undefined; this.meta = undefined; this.disk = 'Diskless'; this.usable = 0;
        await bindDevice(this); await stopFuse(this);
        this.sendState(); return ok();
      case 'connect':
        if (this.peer) return fail(125);
        this.local = r.local; this.peer = r.peer; this.netOpts = r.opts ?? {}; this.discard = !!r.opts?.['discard-my-data'];
        this.startNet(); return ok();
      case 'disconnect':
        if (!this.peer) return fail(162, 'unknown connection');
        await this.flush();
        this.stopNet('StandAlone'); return ok();
      case 'primary': return this.promote(!!r.force);
      case 'secondary': return this.demote();
      case 'outdate': {
        const ref = checkOutdate(this.snapshot());
        if (ref) return fail(ref.rv);
        this.disk = 'Outdated'; this.saveMeta(); this.sendState(); return ok();
      }
      case 'invalidate':
        if (!this.backing) return fail(-11);
        if (this.link && this.cstate === 'Connected') { startSyncTarget(this, true); return ok(); }
        this.disk = 'Inconsistent'; for (let b = 0; b < this.usable / BLOCK; b++) this.oos.add(b); this.saveMeta(); return ok();
      case 'new-current-uuid':
        if (!this.meta) return fail(138);
        this.meta.uuids = r.clearBitmap ? { ...this.meta.uuids, current: newUuid(), bitmap: UUID_ZERO } : rotateUuids(this.meta.uuids, newUuid());
        if (r.clearBitmap) {
          // skips the initial sync: both sides take the new UUID and become UpToDate without copying data
          this.oos.clear(); this.disk = 'UpToDate';
          if (this.link && this.cstate === 'Connected' && this.peerHello) { this.pdsk = 'UpToDate'; sendFrame(this.link, { t: 'ncu', uuids: this.meta.uuids }); }
        }
        this.saveMeta(); return ok();
      case 'options':
        Object.assign(r.kind === 'net' ? this.netOpts : r.kind === 'disk' ? this.diskOpts : this.resOpts, r.opts ?? {});
        return ok();
      case 'down': {
        if (this.role === 'Primary') { const d = await this.demote(); if (d.rc) return d; }
        await this.flush();
        this.stopNet('StandAlone'); this.saveMeta();
        // gone for every query from now on, as on the real kernel once `down` returns (the shutdown takes longer)
        this.unpublish();
        setTimeout(() => void this.shutdown(), 10);
        return { rc: 0, state: this.snapshot() };
      }
      default: return fail(162, `unknown request ${String(r.op)}`);
    }
  }

  async attach(r: Record<string, any>): Promise<Reply> {
    const fail = (code: number, info?: string): Reply => ({ rc: 1, err: { code, ...(info ? { info } : {}) }, state: this.snapshot() });
    if (this.minor < 0) return fail(127);
    if (this.backing) return fail(124);
    let bytes = 0;
    try { bytes = backingBytes(r.backing); } catch { return fail(104, 'open(' + r.backing + ') failed'); }
    const m = readMeta(r.backing);
    if (!m) return fail(119);
    const g = geometry(bytes);
    this.backing = r.backing; this.meta = m; this.usable = g.usable; this.diskOpts = { ...(r.opts ?? {}), __meta: r.meta ?? r.backing, __idx: r.idx ?? 'internal' };
    this.oos = fromRuns(m.oos);
    try { await startFuse(this); } catch (e) {
      this.log(`attach: ${(e as Error).message}`);
      this.backing = undefined; this.meta = undefined; this.usable = 0; this.oos.clear();
      return fail(104, `data plane: ${(e as Error).message}`);
    }
    const fencing = this.diskOpts.fencing ?? 'dont-care';
    if (!m.flags.consistent) this.disk = 'Inconsistent';
    else if (m.flags.outdated) this.disk = 'Outdated';
    else if (m.flags.peerOutdated || fencing === 'dont-care') this.disk = 'UpToDate';
    else this.disk = 'Consistent';
    if (m.flags.peerOutdated) this.pdsk = 'Outdated';
    await bindDevice(this);
    this.publish();
    if (this.link && this.cstate === 'Connected') this.link.destroy(); // renegotiate with the disk
    return { rc: 0, state: this.snapshot() };
  }

  async promote(force: boolean): Promise<Reply> {
    const fail = (code: number): Reply => ({ rc: 1, err: { code }, state: this.snapshot() });
    if (this.role === 'Primary') return { rc: 0, state: this.snapshot() };
    const allowTwo = this.netOpts['allow-two-primaries'] === 'yes';
    const ref = checkPromote(this.snapshot(), force, allowTwo);
    if (ref) return fail(ref.rv);
    const fencing = this.diskOpts.fencing ?? 'dont-care';
    if (!force && this.disk === 'Consistent' || (!force && fencing !== 'dont-care' && this.pdsk === 'DUnknown' && this.cstate !== 'Connected')) {
      const rc = await this.helper('fence-peer', this.name);
      if ([3, 4, 5, 7].includes(rc)) { this.pdsk = rc === 3 ? 'Inconsistent' : rc === 5 ? 'DUnknown' : 'Outdated'; if (this.disk === 'Consistent') this.disk = 'UpToDate'; }
      else return fail(-7);
    }
    if (force && this.disk !== 'UpToDate') {
      this.disk = 'UpToDate';
      if (this.meta) this.meta.uuids = rotateUuids(this.meta.uuids, newUuid());
      if (this.cstate === 'Connected' && this.link && (this.pdsk === 'Inconsistent' || this.pdsk === 'Outdated')) {
        this.role = 'Primary'; await this.becomePrimary(); startSyncSource(this, true); return { rc: 0, state: this.snapshot() };
      }
    } else if (this.meta && this.cstate !== 'Connected' && this.cstate !== 'SyncSource') {
      this.meta.uuids = rotateUuids(this.meta.uuids, newUuid());
    }
    this.role = 'Primary';
    await this.becomePrimary();
    return { rc: 0, state: this.snapshot() };
  }

  // The device shows the data only while Primary; a Secondary's device has size 0, so a mount there fails instead of
  // reading data that changes underneath (real DRBD refuses the open). Cached pages are dropped first: the peer may
  // have written since this node was last Primary.
  async becomePrimary(): Promise<void> {
    await deviceIoctl(this, 'flush', 'size');
    this.saveMeta(true); this.sendState(); this.publish();
  }

  async demote(): Promise<Reply> {
    if (this.role !== 'Primary') return { rc: 0, state: this.snapshot() };
    const ref = checkDemote(this.snapshot(), this.loop ? openers(this.loop, [devPath(this.minor)], this.hold ? [this.hold.pid] : []) : 0);
    if (ref) return { rc: 1, err: { code: ref.rv }, state: this.snapshot() };
    await deviceIoctl(this, 'flush'); // pages still cached are written back (and replicated) now, by the hold process
    await this.flush();
    this.role = 'Secondary';
    await deviceIoctl(this, 'size'); // 0 bytes
    this.saveMeta(true); this.sendState(); this.publish();
    return { rc: 0, state: this.snapshot() };
  }

  // ---- data plane (fuse/device.ts) ----
  // Synchronous point: every write acknowledged to the device is on the peer (or marked out of sync) when this resolves.
  async flush(): Promise<void> { await waitInflight(this); }

  // ---- network ----
  startNet(): void {
    const me = splitAddr(this.local!);
    this.cstate = 'Unconnected';
    this.listener = createServer((s) => this.adopt(s));
    this.listener.on('error', (e) => this.log(`listen: ${e.message}`));
    this.listener.listen(me.port, me.host);
    this.cstate = 'WFConnection';
    this.publish();
    const dial = (): void => {
      if (!this.peer || this.link || this.local! > this.peer) return; // the lower address dials
      const p = splitAddr(this.peer);
      const s = createConnection({ host: p.host, port: p.port, localAddress: me.host });
      s.on('error', () => s.destroy());
      s.on('connect', () => this.adopt(s));
    };
    this.timers.push(setInterval(dial, 500));
    dial();
  }

  stopNet(to: ConnState): void {
    if (to === 'StandAlone') { this.local = undefined; this.peer = undefined; this.discard = false; } // 8.4 frees net_conf
    this.listener?.close(); this.listener = undefined;
    for (const t of this.timers.splice(0)) clearInterval(t);
    const l = this.link; this.link = undefined; l?.destroy();
    this.lostPeer(to);
  }

  adopt(s: Socket): void {
    if (this.link || !this.peer) { s.destroy(); return; }
    this.link = s; this.lastRx = Date.now(); this.peerHello = undefined;
    s.setNoDelay(true);
    this.cstate = 'WFReportParams';
    readFrames(s, (f) => { this.lastRx = Date.now(); this.onFrame(f); });
    s.on('close', () => { if (this.link === s) { this.link = undefined; this.lostPeer(this.peer ? 'WFConnection' : 'StandAlone'); } });
    s.on('error', () => s.destroy());
    const ping = setInterval(() => {
      if (this.link !== s) { clearInterval(ping); return; }
      if (Date.now() - this.lastRx > Number(this.netOpts['ping-timeout-ms'] ?? 3000)) { this.log('PingAck did not arrive in time.'); s.destroy(); return; }
      sendFrame(s, { t: 'ping' });
    }, 500);
    sendFrame(s, { t: 'hello', uuids: this.meta?.uuids, disk: this.disk, role: this.role, changes: this.oos.size, discard: this.discard, name: hostname(), oos: [...this.oos], size: this.usable });
  }

  lostPeer(to: ConnState): void {
    const wasConnected = this.peerRole !== 'Unknown' || this.pdsk !== 'DUnknown';
    if (this.sync) { for (let b = 0; this.sync.blocks && b < this.sync.blocks.length; b++) this.oos.add(this.sync.blocks[b]!); this.sync = undefined; }
    this.peerRole = 'Unknown';
    const pdskWas = this.pdsk;
    // 8.4's sanitize_state while unconnected: a known-bad peer disk (Inconsistent/Outdated) is kept, a good one becomes
    // DUnknown (recorded: Inconsistent/Inconsistent after the peer's down, UpToDate/DUnknown after a link cut)
    if (this.pdsk !== 'Outdated' && this.pdsk !== 'Inconsistent') this.pdsk = 'DUnknown';
    this.cstate = to;
    failInflight(this);
    if (wasConnected && this.role === 'Primary' && this.meta && pdskWas === 'UpToDate') {
      this.meta.uuids = rotateUuids(this.meta.uuids, newUuid());
      const fencing = this.diskOpts.fencing ?? 'dont-care';
      if (fencing !== 'dont-care') {
        if (fencing === 'resource-and-stonith') this.susp = true;
        void this.helper('fence-peer', this.name).then((rc) => { if ([4, 7].includes(rc)) this.pdsk = 'Outdated'; this.susp = false; this.saveMeta(); this.publish(); });
      }
    }
    if (this.backing) this.saveMeta();
    this.publish();
  }

  sendState(): void { if (this.link && this.peerHello) sendFrame(this.link, { t: 'state', role: this.role, disk: this.disk }); }

  onFrame(f: Frame): void {
    const h = f.h;
    switch (h.t) {
      case 'ping': if (this.link) sendFrame(this.link, { t: 'pong' }); return;
      case 'pong': return;
      case 'hello': this.peerHello = h; handshake(this, h); return;
      case 'state':
        this.peerRole = h.role; this.pdsk = h.disk; this.publish(); return;
      case 'w': if (f.data) onPeerWrite(this, h, f.data); return;
      case 'rs':
        if (this.backing && f.data) { writeSync(this.fd(), f.data, 0, f.data.length, h.b * BLOCK); this.stats.nr += f.data.length / 1024; }
        if (this.sync) { this.sync.left = h.left; this.sync.speed = h.speed ?? this.sync.speed; this.oos.delete(h.b); this.publishSoon(); }
        return;
      case 'ack': onAck(this, h.id); return;
      case 'rs-done': finishSyncTarget(this, h.uuids); return;
      case 'ncu':
        if (this.meta) { this.meta.uuids = h.uuids; this.oos.clear(); this.disk = 'UpToDate'; this.pdsk = 'UpToDate'; this.saveMeta(); this.sendState(); this.publish(); }
        return;
      case 'sync':
        if (this.cstate !== 'SyncTarget') {
          this.disk = 'Inconsistent'; this.cstate = 'SyncTarget'; this.pdsk = 'UpToDate';
          this.sync = { total: h.total, left: h.total, start: Date.now(), speed: 0, blocks: [] };
          this.saveMeta(); this.publish();
        }
        return;
    }
  }

  async shutdown(): Promise<void> {
    setTimeout(() => process.exit(0), 10_000).unref(); // never hang on the way out
    this.stopNet('StandAlone');
    await unbindDevice(this); await stopFuse(this);
    this.closeFd();
    if (this.minor >= 0) { rmSync(devPath(this.minor), { force: true }); rmSync(minorPath(this.minor), { force: true }); }
    rmSync(join(runDir(), `${this.name}.empty`), { force: true });
    this.minor = -1; this.unpublish();
    process.exit(0);
  }
}

// Entry of the daemon: serve the control socket until `down`.
export const main = async (argv: string[]): Promise<number> => {
  const name = argv[0] ?? '';
  ensureDir(runDir());
  if (process.env.HAKIT_DRBD_KERNEL_NS !== '1' && process.env.HAKIT_DRBD_UNSHARE !== '0') {
    if (await reexecInOwnMountNs(argv)) process.exit(0);
    new Kernel(name).log('unshare --mount failed: running in the caller\'s mount namespace (a killed kernel may hang its exit)');
  }
  const k = new Kernel(name);
  const srv = createServer((c) => {
    let buf = '';
    c.on('data', (d) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      const req = JSON.parse(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
      void k.handle(req).then((r) => c.end(`${JSON.stringify(r)}\n`), (e: Error) => c.end(`${JSON.stringify({ rc: 1, err: { code: 162, info: e.message } })}\n`));
    });
    c.on('error', () => c.destroy());
  });
  rmSync(sockPath(name), { force: true });
  srv.listen(sockPath(name));
  setInterval(() => { try { if (k.metaDirty) { k.metaDirty = false; k.saveMeta(); k.publish(); } } catch (e) { k.log(`meta: ${(e as Error).message}`); } }, META_MS);
  process.on('SIGTERM', () => void k.shutdown());
  k.publish();
  if (existsSync(sockPath(name))) k.log('up');
  return new Promise<number>(() => undefined);
};
