import type { DrbdState, VolumeState } from './state';

// Parser for /proc/drbd, the fallback state source and the module version's cheapest source. Handles the 8.2/8.3
// `st:` and the 8.3/8.4 `ro:` spellings, `cs:Unconfigured` minors and the resync progress lines. Pure.

export interface ProcMinor {
  readonly minor: number;
  readonly cs: string; // connection state: Connected, SyncSource, WFConnection, StandAlone, Unconfigured...
  readonly role: string | undefined; // local role
  readonly peerRole: string | undefined;
  readonly disk: string | undefined;
  readonly peerDisk: string | undefined;
  readonly syncedPercent: number | undefined; // "sync'ed: 88.8%"
  readonly outOfSyncKiB: number | undefined; // oos:
}

export interface ProcDrbd {
  readonly version: string | undefined; // "8.4.11"
  readonly api: string | undefined;
  readonly minors: readonly ProcMinor[];
}

const MINOR = /^\s*(\d+):\s+cs:(\S+)(?:\s+(?:ro|st):([^/\s]+)\/(\S+))?(?:\s+ds:([^/\s]+)\/(\S+))?/;

// Parses the whole of /proc/drbd.
export const parseProcDrbd = (text: string): ProcDrbd => {
  const version = /^\s*version:\s*(\d+\.\d+\.\d+)/m.exec(text);
  const api = /^\s*version:\s*\S+\s*\((api:[^)]*)\)/m.exec(text);
  const minors: ProcMinor[] = [];
  let cur: { -readonly [K in keyof ProcMinor]: ProcMinor[K] } | undefined;
  for (const line of text.split('\n')) {
    const m = MINOR.exec(line);
    if (m) {
      cur = {
        minor: Number(m[1]),
        cs: m[2] ?? 'Unknown',
        role: m[3],
        peerRole: m[4],
        disk: m[5],
        peerDisk: m[6],
        syncedPercent: undefined,
        outOfSyncKiB: undefined,
      };
      minors.push(cur);
      continue;
    }
    if (!cur) continue;
    const oos = /\boos:(\d+)/.exec(line);
    if (oos) cur.outOfSyncKiB = Number(oos[1]);
    const synced = /sync'ed:\s*([\d.]+)%/.exec(line);
    if (synced) cur.syncedPercent = Number(synced[1]);
  }
  return { version: version?.[1], api: api?.[1], minors };
};

const SYNC_STATES = new Set(['SyncSource', 'SyncTarget', 'PausedSyncS', 'PausedSyncT', 'StartingSyncS', 'StartingSyncT']);

// The state of one resource from the /proc/drbd lines of its minors (8.x: one peer, roles per minor).
export const stateFromProc = (proc: ProcDrbd, minors: readonly number[]): DrbdState => {
  const mine = proc.minors.filter((m) => minors.includes(m.minor) && m.cs !== 'Unconfigured' && m.role !== undefined);
  if (mine.length === 0) return { source: 'proc', role: 'Unconfigured', suspended: false, volumes: [], peers: [] };
  const role = mine.some((m) => m.role === 'Primary') ? 'Primary' : 'Secondary';
  const volumes: VolumeState[] = mine.map((m, i) => ({
    volume: i,
    minor: m.minor,
    disk: m.disk ?? 'Unknown',
    client: false,
    quorum: undefined,
  }));
  const first = mine[0];
  const connection = first === undefined ? 'Unknown' : mine.every((m) => m.cs === first.cs) ? first.cs : 'Mixed';
  const peer = {
    id: 'peer',
    name: undefined,
    connection,
    role: mine.some((m) => m.peerRole === 'Primary') ? 'Primary' : first?.peerRole ?? 'Unknown',
    volumes: mine.map((m, i) => ({
      volume: i,
      replication: SYNC_STATES.has(m.cs) ? m.cs : m.cs === 'Connected' ? 'Established' : undefined,
      peerDisk: m.peerDisk ?? 'DUnknown',
      peerClient: false,
      donePercent: m.syncedPercent,
    })),
  };
  return { source: 'proc', role, suspended: false, volumes, peers: [peer] };
};
