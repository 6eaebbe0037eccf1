// Handshake and resync of the emulated kernel (split from kernel.ts): DRBD's decision on connect and the block copy.
import { hostname } from 'node:os';
import { readSync } from 'node:fs';
import { BLOCK } from './meta';
import { afterSyncSource, compareUuids, resolveSplitBrain, type Side } from './rules';
import { UUID_JUST_CREATED, UUID_ZERO } from './types';
import { sendFrame } from './wire';
import type { Kernel } from './kernel';

const kib = (v: string | undefined, dflt: number): number => {
  if (!v) return dflt;
  const m = /^(\d+)([kKmMgG]?)$/.exec(v);
  if (!m) return dflt;
  const n = Number(m[1]);
  return m[2]?.toLowerCase() === 'm' ? n * 1024 : m[2]?.toLowerCase() === 'g' ? n * 1024 * 1024 : n;
};

// The connection handshake: compare generation identifiers, detect split brain, choose the resync direction.
export const handshake = (k: Kernel, p: Record<string, any>): void => {
  if (!k.link) return;
  k.peerRole = p.role;
  if (k.disk === 'Diskless' || p.disk === 'Diskless' || !k.meta || !p.uuids) {
    k.cstate = 'Connected'; k.pdsk = p.disk; k.publish(); k.sendState(); return;
  }
  let h = compareUuids(k.meta.uuids, p.uuids);
  if (h.kind === 'unrelated') { k.kmsg('Unrelated data, aborting!'); k.stopNet('StandAlone'); return; }
  if (h.kind === 'split-brain') {
    const me: Side = { uuids: k.meta.uuids, disk: k.disk, role: k.role === 'Primary' ? 'Primary' : 'Secondary', changes: k.oos.size, discardMyData: k.discard, name: hostname() };
    const peer: Side = { uuids: p.uuids, disk: p.disk, role: p.role, changes: p.changes, discardMyData: p.discard, name: p.name };
    const victim = resolveSplitBrain(me, peer, { pri0: k.netOpts['after-sb-0pri'] ?? 'disconnect', pri1: k.netOpts['after-sb-1pri'] ?? 'disconnect', pri2: k.netOpts['after-sb-2pri'] ?? 'disconnect' });
    if (!victim || (victim === 'me' && k.role === 'Primary')) {
      k.kmsg('Split-Brain detected but unresolved, dropping connection!');
      void k.helper('split-brain', `minor-${k.minor}`);
      k.stopNet('StandAlone'); return;
    }
    k.kmsg(`Split-Brain detected, 1 primaries, automatically solved. Sync from ${victim === 'me' ? 'peer' : 'this'} node`);
    h = { kind: victim === 'me' ? 'target' : 'source', full: false };
  }
  if (k.role === 'Primary' && p.role === 'Primary' && k.netOpts['allow-two-primaries'] !== 'yes') { k.stopNet('StandAlone'); return; }
  const peerOos: number[] = p.oos ?? [];
  if (h.kind === 'none') {
    k.cstate = 'Connected';
    if ((k.disk === 'Outdated' || k.disk === 'Consistent') && p.disk === 'UpToDate') k.disk = 'UpToDate';
    if (k.disk === 'Consistent' && (p.disk === 'Outdated' || p.disk === 'UpToDate')) k.disk = 'UpToDate';
    k.oos.clear();
    // two fresh disks: everything is out of sync until a forced primary or new-current-uuid --clear-bitmap
    if (k.meta.uuids.current === UUID_JUST_CREATED && p.uuids.current === UUID_JUST_CREATED) for (let b = 0; b < k.usable / BLOCK; b++) k.oos.add(b);
    k.pdsk = p.disk; k.saveMeta(); k.sendState(); k.publish();
    return;
  }
  if (h.kind === 'source') {
    for (const b of peerOos) k.oos.add(b);
    k.pdsk = 'Inconsistent'; k.sendState(); startSyncSource(k, h.full);
  } else {
    startSyncTarget(k, h.full, peerOos);
  }
};

// Streams the out-of-sync blocks to the peer at the configured rate, with visible progress.
export const startSyncSource = (k: Kernel, full: boolean): void => {
  if (!k.link || !k.backing) return;
  if (full) for (let b = 0; b < k.usable / BLOCK; b++) k.oos.add(b);
  const blocks = [...k.oos].sort((a, b) => a - b);
  const total = blocks.length * 4;
  const rate = k.diskOpts['c-plan-ahead'] === '0' ? kib(k.diskOpts['resync-rate'], 250) : kib(k.diskOpts['c-max-rate'], 102400);
  k.sync = { total, left: total, start: Date.now(), speed: rate, blocks };
  k.cstate = 'SyncSource'; k.pdsk = 'Inconsistent'; k.saveMeta(); k.publish();
  sendFrame(k.link, { t: 'state', role: k.role, disk: k.disk });
  sendFrame(k.link, { t: 'sync', total });
  const link = k.link;
  let i = 0;
  const tick = setInterval(() => {
    if (k.link !== link || !k.sync || !k.backing) { clearInterval(tick); return; }
    let budget = Math.max(4, Math.floor(rate / 10));
    while (budget > 0 && i < blocks.length) {
      const b = blocks[i++]!;
      k.sync.left -= 4; budget -= 4;
      k.oos.delete(b);
      const buf = Buffer.alloc(BLOCK);
      readSync(k.fd(), buf, 0, BLOCK, b * BLOCK);
      sendFrame(link, { t: 'rs', b, left: k.sync.left, speed: rate }, buf);
      k.stats.ns += 4;
    }
    if (i >= blocks.length) {
      clearInterval(tick);
      if (k.meta) k.meta.uuids = afterSyncSource(k.meta.uuids);
      k.sync = undefined; k.cstate = 'Connected'; k.pdsk = 'UpToDate'; k.oos.clear();
      k.saveMeta(); k.publish();
      sendFrame(link, { t: 'rs-done', uuids: k.meta?.uuids });
    } else k.publishSoon();
  }, 100);
};

// Becomes the resync target: Inconsistent until the source is done.
export const startSyncTarget = (k: Kernel, full: boolean, peerOos: number[] = []): void => {
  if (!k.link) return;
  if (full) for (let b = 0; b < k.usable / BLOCK; b++) k.oos.add(b);
  for (const b of peerOos) k.oos.add(b);
  k.disk = 'Inconsistent'; k.cstate = 'SyncTarget'; k.pdsk = 'UpToDate';
  const total = k.oos.size * 4;
  k.sync = { total, left: total, start: Date.now(), speed: 0, blocks: [...k.oos] };
  k.saveMeta(); k.sendState(); k.publish();
};

// The source finished: take its generation identifiers, UpToDate, call after-resync-target.
export const finishSyncTarget = (k: Kernel, uuids: any): void => {
  if (k.meta && uuids) k.meta.uuids = { current: uuids.current, bitmap: UUID_ZERO, history: uuids.history };
  k.sync = undefined; k.oos.clear(); k.disk = 'UpToDate'; k.cstate = 'Connected'; k.pdsk = 'UpToDate';
  k.saveMeta(); k.sendState(); k.publish();
  void k.helper('after-resync-target', `minor-${k.minor}`);
};

