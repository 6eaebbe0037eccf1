// Pure renderers of the outputs drbdsetup-84 (drbd-utils 9.22) prints for an 8.4 kernel, from a state snapshot.
import { connIndex, type ConnState, type Snapshot } from './types';

const unconfigured = (s: Snapshot): boolean => s.cstate === 'StandAlone' && s.disk === 'Diskless';

// `drbdsetup role|cstate|dstate <minor>`
export const formatRole = (s: Snapshot): string => (unconfigured(s) ? 'Unconfigured\n' : `${s.role}/${s.peer}\n`);
export const formatCstate = (s: Snapshot): string => (unconfigured(s) ? 'Unconfigured\n' : `${s.cstate}\n`);
export const formatDstate = (s: Snapshot): string => (unconfigured(s) ? 'Unconfigured\n' : `${s.disk}/${s.pdsk}\n`);

const shellEscape = (v: string): string => (/^[A-Za-z0-9_.:\/+-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`);

// Permille of the resync done, as drbdsetup computes _resynced_percent.
const syncedPermille = (s: Snapshot): number | undefined => {
  if (!s.sync) return undefined;
  const total = 1 + Math.floor(s.sync.totalKiB / 4 / 1024);
  const left = Math.floor(s.sync.leftKiB / 4 / 1024);
  return 1000 - Math.floor((left * 1000) / total);
};

// `drbdsetup sh-status <res|minor>`: shell assignments the ocf:linbit:drbd agent evals.
export const formatShStatus = (s: Snapshot): string => {
  let o = `_minor=${s.minor}\n_res_name=${shellEscape(s.name)}\n_volume=${s.vnr}\n`;
  if (s.cstate === 'StandAlone' && s.disk === 'Diskless' && s.role !== 'Primary') {
    o += '_known=Unconfigured\n\n_cstate=Unconfigured\n_role=\n_peer=\n_disk=\n_pdsk=\n';
    o += '_flags_susp=\n_flags_aftr_isp=\n_flags_peer_isp=\n_flags_user_isp=\n_resynced_percent=\n';
  } else {
    o += `_known=Configured\n\n_cstate=${s.cstate}\n_role=${s.role}\n_peer=${s.peer}\n_disk=${s.disk}\n_pdsk=${s.pdsk}\n\n`;
    o += `_flags_susp=${s.susp ? '1' : ''}\n_flags_aftr_isp=${s.aftrIsp ? '1' : ''}\n`;
    o += `_flags_peer_isp=${s.peerIsp ? '1' : ''}\n_flags_user_isp=${s.userIsp ? '1' : ''}\n\n`;
    const p = syncedPermille(s);
    o += `_resynced_percent=${p === undefined ? '' : `${Math.floor(p / 10)}.${p % 10}`}\n`;
  }
  return `${o}\n_sh_status_process\n\n\n`;
};

// DRBD 9 names drbdsetup-84 uses in status/events2 for 8.4 states.
export const connStr9 = (c: ConnState): string => (c === 'WFConnection' ? 'Connecting' : c === 'WFReportParams' ? 'Connected' : c);
export const replStr9 = (c: ConnState): string => (c === 'WFReportParams' ? 'Off' : c === 'Connected' ? 'Established' : c);
// The 8.4 kernel keeps the connection object at WFReportParams once connected; devices carry Connected/Sync*.
export const connectionState = (s: Snapshot): ConnState => (connIndex(s.cstate) >= connIndex('WFReportParams') ? 'WFReportParams' : s.cstate);
// A peer device's replication state: Off until connected (as the 8.4 kernel reports it).
const replOf = (s: Snapshot): string => (connIndex(s.cstate) < connIndex('Connected') ? 'Off' : replStr9(s.cstate));
const isSyncing = (c: ConnState): boolean => connIndex(c) >= connIndex('SyncSource');

// Lines drbdsetup's wrap_printf builds: an item starting with a blank at the start of a line is indented instead.
class Lines {
  private out = '';
  private col = 0;
  put(indent: number, text: string): void {
    if (this.col > 0 && indent > 0 && text !== '\n' && !text.startsWith('\n') && this.col + text.length > 80) {
      this.out += '\n'; // drbdsetup wraps at 80 columns, continuing at the item's indent
      this.col = 0;
    }
    if (this.col === 0 && text !== '\n') {
      const t = text.startsWith(' ') ? text.slice(1) : text;
      this.out += ' '.repeat(indent) + t;
      this.col = indent + t.length;
    } else {
      this.out += text;
      this.col = text.endsWith('\n') ? 0 : this.col + text.length;
    }
  }
  toString(): string { return this.out; }
}

export interface StatusOpts { verbose?: boolean; statistics?: boolean }

// `drbdsetup status <res>` text, for one resource with one volume and its one peer ("peer").
export const formatStatus = (s: Snapshot, o: StatusOpts = {}): string => {
  const w = new Lines();
  const v = !!o.verbose;
  w.put(0, s.name);
  w.put(4, ` role:${s.role}`);
  if (v || s.susp) w.put(4, ` suspended:${s.susp ? 'user' : 'no'}`);
  if (o.statistics && v) { w.put(4, '\n'); w.put(4, ' write-ordering:flush'); }
  w.put(0, '\n');
  let indent = 2;
  if (v) { w.put(indent, `volume:${s.vnr}`); indent = 6; w.put(indent, ` minor:${s.minor}`); }
  w.put(indent, ` disk:${s.disk}`);
  indent = 6;
  if (s.disk !== 'Diskless' || true) {
    if (o.statistics) {
      w.put(indent, '\n');
      if (v) w.put(indent, ` size:${s.sizeKiB}`);
      w.put(indent, ` read:${s.stats.dr}`);
      w.put(indent, ` written:${s.stats.dw}`);
      if (v) {
        w.put(indent, ` al-writes:${s.stats.al}`); w.put(indent, ` bm-writes:${s.stats.bm}`);
        w.put(indent, ' upper-pending:0'); w.put(indent, ' lower-pending:0'); w.put(indent, ' al-suspended:no');
      }
    }
    if (v) w.put(indent, ' blocked:no');
  }
  w.put(indent, '\n');
  const cs = connectionState(s);
  if (!s.net_conf) { w.put(0, '\n'); return w.toString(); } // StandAlone without a network configuration: no peer
  w.put(2, 'peer');
  if (v || connIndex(cs) < connIndex('WFReportParams')) w.put(6, ` connection:${connStr9(cs)}`);
  if (v || cs === 'WFReportParams') w.put(6, ` role:${s.peer}`);
  if (v) w.put(6, ' congested:no');
  w.put(0, '\n');
  if (v || o.statistics || cs === 'WFReportParams') {
    let ind = 4;
    if (v) { w.put(ind, `volume:${s.vnr}`); ind = 8; }
    if (v || connIndex(s.cstate) > connIndex('WFReportParams')) { w.put(ind, ` replication:${replOf(s)}`); ind = 8; }
    if (v || o.statistics || s.cstate !== 'WFReportParams' || s.pdsk !== 'DUnknown') {
      w.put(ind, ` peer-disk:${s.pdsk}`);
      ind = 8;
      if (s.sync && isSyncing(s.cstate)) w.put(ind, ` done:${(100 * (1 - s.sync.leftKiB / Math.max(1, s.sizeKiB))).toFixed(2)}`);
      if (v || s.userIsp || s.peerIsp || s.aftrIsp) w.put(ind, ` resync-suspended:${s.userIsp ? 'user' : s.peerIsp ? 'peer' : s.aftrIsp ? 'dependency' : 'no'}`);
      if (o.statistics) {
        w.put(ind, '\n');
        w.put(ind, ` received:${s.stats.nr}`); w.put(ind, ` sent:${s.stats.ns}`);
        if (v || s.stats.oosKiB) w.put(ind, ` out-of-sync:${s.stats.oosKiB}`);
        if (v) { w.put(ind, ' pending:0'); w.put(ind, ' unacked:0'); }
      }
    }
    w.put(0, '\n');
  }
  w.put(0, '\n');
  return w.toString();
};

// `drbdsetup events2 --now <res>` as drbd-utils 9.22 prints it for the 8.4 kernel (checked against VM recordings:
// resource, connection, device, peer-device; the peer device is `replication:Off` until connected).
export const formatEvents2Now = (s: Snapshot, statistics = false): string => {
  const conn = s.net_conf ? ' conn-name:peer' : '';
  const st = (x: string): string => (statistics ? x : '');
  const cs = connectionState(s);
  const repl = replOf(s);
  return [
    `exists resource name:${s.name} role:${s.role} suspended:${s.susp ? 'user' : 'no'}${st(' write-ordering:flush')}`,
    `exists connection name:${s.name} peer-node-id:0${conn} connection:${connStr9(cs)} role:${s.peer}${st(' congested:no')}`,
    `exists device name:${s.name} volume:${s.vnr} minor:${s.minor} disk:${s.disk}${st(` size:${s.sizeKiB} read:${s.stats.dr} written:${s.stats.dw} al-writes:${s.stats.al} bm-writes:${s.stats.bm} upper-pending:0 lower-pending:0 al-suspended:no`)}`,
    `exists peer-device name:${s.name} peer-node-id:0${conn} volume:${s.vnr} replication:${repl} peer-disk:${s.pdsk} resync-suspended:no${st(` received:${s.stats.nr} sent:${s.stats.ns} out-of-sync:${s.stats.oosKiB} pending:0 unacked:0`)}`,
    'exists -',
    '',
  ].join('\n');
};

const thousands = (n: number): string => Math.floor(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');

// One minor's lines of /proc/drbd (8.4 format).
export const formatProcMinor = (s: Snapshot): string => {
  const proto = s.net_conf ? s.protocol : ' ';
  const flags = `${s.susp ? 's' : 'r'}${s.aftrIsp ? 'a' : '-'}${s.peerIsp ? 'p' : '-'}${s.userIsp ? 'u' : '-'}--`;
  let o = `${String(s.minor).padStart(2)}: cs:${s.cstate} ro:${s.role}/${s.peer} ds:${s.disk}/${s.pdsk} ${proto} ${flags}\n`;
  const t = s.stats;
  o += `    ns:${t.ns} nr:${t.nr} dw:${t.dw} dr:${t.dr} al:${t.al} bm:${t.bm} lo:0 pe:0 ua:0 ap:0 ep:1 wo:f oos:${t.oosKiB}\n`;
  if (s.sync && isSyncing(s.cstate)) {
    // drbd_get_syncer_progress: permille done from bitmap bits (4 KiB each)
    const total = Math.max(1, Math.floor(s.sync.totalKiB / 4));
    const p = 1000 - Math.floor((Math.floor(s.sync.leftKiB / 4) * 1000) / total);
    const x = Math.floor(p / 50);
    const bar = `${'='.repeat(Math.max(0, x - 1))}>${'.'.repeat(20 - x)}`;
    const big = s.sync.totalKiB > 4 * 1024 * 1024; // more than 4 GiB: MiB, and (as 8.3/8.4 print it) no line break
    const amounts = big ? `(${Math.floor(s.sync.leftKiB / 1024)}/${Math.floor(s.sync.totalKiB / 1024)})M` : `(${s.sync.leftKiB}/${s.sync.totalKiB})K\n\t`;
    o += `\t[${bar}] sync'ed:${`${Math.floor(p / 10)}`.padStart(3)}.${p % 10}% ${amounts}`;
    const speed = Math.max(1, s.sync.speedKiBs);
    const eta = Math.round(s.sync.leftKiB / speed);
    const hms = `${Math.floor(eta / 3600)}:${String(Math.floor(eta / 60) % 60).padStart(2, '0')}:${String(eta % 60).padStart(2, '0')}`;
    const want = s.sync.wantKiBs ? ` want: ${thousands(s.sync.wantKiBs)}` : '';
    o += `finish: ${hms} speed: ${thousands(speed)} (${thousands(speed)})${want} K/sec\n`;
  }
  return o;
};

export const PROC_HEADER = 'version: 8.4.11 (api:1/proto:86-101)\nsrcversion: F73C670A7EC572DB9CF3E5B \n';

// The whole /proc/drbd text for the given minors.
export const formatProc = (all: readonly Snapshot[]): string =>
  PROC_HEADER + [...all].sort((a, b) => a.minor - b.minor).map(formatProcMinor).join('');
