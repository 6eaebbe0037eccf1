// Shared shapes of the emulated DRBD 8.4 kernel state (one resource, one volume per daemon).

export type Role = 'Primary' | 'Secondary' | 'Unknown';
export type DiskState =
  | 'Diskless' | 'Attaching' | 'Failed' | 'Negotiating' | 'Inconsistent' | 'Outdated' | 'DUnknown' | 'Consistent' | 'UpToDate';
// 8.4 connection states (drbd_conn_str)
export type ConnState =
  | 'StandAlone' | 'Disconnecting' | 'Unconnected' | 'Timeout' | 'BrokenPipe' | 'NetworkFailure' | 'ProtocolError'
  | 'TearDown' | 'WFConnection' | 'WFReportParams' | 'Connected' | 'StartingSyncS' | 'StartingSyncT' | 'WFBitMapS'
  | 'WFBitMapT' | 'WFSyncUUID' | 'SyncSource' | 'SyncTarget' | 'PausedSyncS' | 'PausedSyncT';

export const CONN_ORDER: readonly ConnState[] = [
  'StandAlone', 'Disconnecting', 'Unconnected', 'Timeout', 'BrokenPipe', 'NetworkFailure', 'ProtocolError', 'TearDown',
  'WFConnection', 'WFReportParams', 'Connected', 'StartingSyncS', 'StartingSyncT', 'WFBitMapS', 'WFBitMapT',
  'WFSyncUUID', 'SyncSource', 'SyncTarget', 'PausedSyncS', 'PausedSyncT',
];
export const connIndex = (c: ConnState): number => CONN_ORDER.indexOf(c);

// Generation identifiers as DRBD keeps them: current, bitmap, two history slots (hex strings of 64-bit values).
export interface Uuids { current: string; bitmap: string; history: [string, string] }
export const UUID_JUST_CREATED = '0000000000000004';
export const UUID_ZERO = '0000000000000000';

export interface MdFlags { consistent: boolean; wasUpToDate: boolean; outdated: boolean; primaryInd: boolean; peerOutdated: boolean }

// On-disk meta data of one volume (kept in the last bytes of the backing device).
export interface Meta { magic: 'hakit-drbd-emu-v08'; uuids: Uuids; flags: MdFlags; sizeKiB: number; oos: number[]; devUuid?: string }

// Snapshot the daemon publishes for every query (what the netlink GET_STATUS would return).
export interface Snapshot {
  name: string; minor: number; vnr: number;
  role: Role; peer: Role; cstate: ConnState; disk: DiskState; pdsk: DiskState;
  susp: boolean; userIsp: boolean; peerIsp: boolean; aftrIsp: boolean;
  configured: { disk: boolean; net: boolean };
  protocol: string; sizeKiB: number;
  stats: { ns: number; nr: number; dw: number; dr: number; al: number; bm: number; oosKiB: number };
  sync?: { totalKiB: number; leftKiB: number; startMs: number; nowMs: number; speedKiBs: number; wantKiBs?: number };
  uuids?: Uuids; flags?: MdFlags;
  disk_conf?: { backing: string; meta: string; idx: string; opts: Record<string, string> };
  net_conf?: { local: string; peer: string; opts: Record<string, string> };
  res_opts: Record<string, string>;
}
