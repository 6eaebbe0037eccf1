// The DRBD state of one resource as the agent sees it, from `drbdsetup events2 --now` or /proc/drbd, and the
// summary the promotion-score ladder and the actions decide on. Pure data and pure functions.

export interface VolumeState {
  readonly volume: number;
  readonly minor: number | undefined;
  readonly disk: string; // UpToDate, Consistent, Inconsistent, Outdated, Diskless, Attaching, Negotiating, Failed...
  readonly client: boolean; // intentional diskless client (DRBD 9 `client:yes`)
  readonly quorum: boolean | undefined; // DRBD 9 `quorum:`; undefined when not reported
}

export interface PeerVolumeState {
  readonly volume: number;
  readonly replication: string | undefined; // Established, SyncSource, SyncTarget, Off...
  readonly peerDisk: string; // DUnknown when not connected
  readonly peerClient: boolean;
  readonly donePercent: number | undefined; // resync progress when reported
}

export interface PeerState {
  readonly id: string; // peer-node-id, or conn-name / "peer" when the kernel reports none (8.4)
  readonly name: string | undefined; // conn-name
  readonly connection: string; // Connected, StandAlone, Connecting, WFConnection, Unconnected...
  readonly role: string; // Primary, Secondary, Unknown
  readonly volumes: readonly PeerVolumeState[];
}

export interface DrbdState {
  readonly source: 'events2' | 'proc';
  readonly role: string; // Primary, Secondary, or Unconfigured when the kernel does not know the resource
  readonly suspended: boolean;
  readonly volumes: readonly VolumeState[];
  readonly peers: readonly PeerState[];
}

export const UNCONFIGURED: DrbdState = { source: 'events2', role: 'Unconfigured', suspended: false, volumes: [], peers: [] };

// What the score ladder and the actions look at (the status_* flags of ocf:linbit:drbd, computed once).
export interface StateSummary {
  readonly configured: boolean;
  readonly primary: boolean;
  readonly somePeerPrimary: boolean;
  readonly disklessClient: boolean; // every local volume is an intentional diskless client
  readonly haveQuorum: boolean;
  readonly diskAllUpToDate: boolean;
  readonly diskAllConsistent: boolean; // Consistent or better everywhere (no Inconsistent/Outdated/Diskless/Failed)
  readonly diskTransitional: boolean; // Attaching/Negotiating somewhere
  readonly somePeerAllUpToDate: boolean; // some disk-ful peer has every volume UpToDate
  readonly pdskAllUpToDate: boolean; // every disk-ful peer has every volume UpToDate
  readonly pdskAnyUnknown: boolean; // some disk-ful peer's disk state is unknown (not connected)
  readonly standAlonePeers: readonly string[]; // peers whose connection is StandAlone
}

const BAD_LOCAL = new Set(['Diskless', 'Failed', 'Inconsistent', 'Outdated', 'Detaching']);
const TRANSITIONAL = new Set(['Attaching', 'Negotiating']);

// Reduces a state to the flags the decisions need (DRBD 9 multi-peer rules; one peer for 8.4).
export const summarizeState = (s: DrbdState): StateSummary => {
  const local = s.volumes.filter((v) => !v.client);
  const nVol = s.volumes.length;
  const disklessClient = nVol > 0 && local.length === 0;
  let diskAllUpToDate = local.length > 0;
  let diskAllConsistent = local.length > 0;
  let diskTransitional = false;
  for (const v of local) {
    if (v.disk === 'UpToDate') continue;
    diskAllUpToDate = false;
    if (BAD_LOCAL.has(v.disk)) diskAllConsistent = false;
    else if (TRANSITIONAL.has(v.disk)) diskTransitional = true;
    else if (v.disk !== 'Consistent') diskAllConsistent = false;
  }
  let somePeerAllUpToDate = false;
  let somePeerNotAll = false;
  let pdskAnyUnknown = false;
  for (const p of s.peers) {
    const clientVols = p.volumes.filter((v) => v.peerClient).length;
    if (nVol > 0 && clientVols === nVol) continue; // a diskless client peer holds no data
    const upToDate = p.volumes.filter((v) => v.peerDisk === 'UpToDate').length;
    const known = p.volumes.filter((v) => v.peerDisk !== 'DUnknown').length;
    const expected = Math.max(nVol, p.volumes.length);
    if (expected > 0 && upToDate === expected) somePeerAllUpToDate = true;
    else somePeerNotAll = true;
    if (known < expected || expected === 0) pdskAnyUnknown = true;
  }
  return {
    configured: s.role === 'Primary' || s.role === 'Secondary',
    primary: s.role === 'Primary',
    somePeerPrimary: s.peers.some((p) => p.role === 'Primary'),
    disklessClient,
    haveQuorum: !s.volumes.some((v) => v.quorum === false),
    diskAllUpToDate,
    diskAllConsistent,
    diskTransitional,
    somePeerAllUpToDate,
    pdskAllUpToDate: somePeerAllUpToDate && !somePeerNotAll && !pdskAnyUnknown,
    // no connection reported at all: nothing is known about the peers' data
    pdskAnyUnknown: pdskAnyUnknown || s.peers.length === 0,
    standAlonePeers: s.peers.filter((p) => p.connection === 'StandAlone').map((p) => p.name ?? p.id),
  };
};

// A one-line description of the state for logs ("Secondary disk:UpToDate peer node2 Connected Secondary UpToDate").
export const describeState = (s: DrbdState): string => {
  if (s.role === 'Unconfigured') return 'Unconfigured';
  const disks = s.volumes.map((v) => (v.client ? 'DisklessClient' : v.disk)).join(',') || 'none';
  const peers = s.peers.map((p) => `${p.name ?? p.id}:${p.connection}/${p.role}/${p.volumes.map((v) => v.peerDisk).join(',') || 'DUnknown'}`);
  return `${s.role} disk:${disks}${peers.length ? ` peers ${peers.join(' ')}` : ' no peers'}`;
};
