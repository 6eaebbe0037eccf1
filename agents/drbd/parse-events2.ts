import type { DrbdState, PeerState, PeerVolumeState, VolumeState } from './state';

// Parser for `drbdsetup events2 --now <res>` (the DRBD 9 line format, which drbd-utils 9.x also prints for an 8.4
// kernel): lines `exists <object> name:<res> key:value ...`, ended by `exists -`. Pure.

type Fields = Map<string, string>;

const fieldsOf = (tokens: readonly string[]): Fields => {
  const m = new Map<string, string>();
  for (const t of tokens) {
    const i = t.indexOf(':');
    if (i > 0) m.set(t.slice(0, i), t.slice(i + 1));
  }
  return m;
};

const int = (v: string | undefined): number | undefined => (v !== undefined && /^-?\d+$/.test(v) ? Number(v) : undefined);
const yes = (v: string | undefined): boolean => v === 'yes';

interface PeerAcc {
  id: string;
  name: string | undefined;
  connection: string;
  role: string;
  volumes: PeerVolumeState[];
}

// Parses the events2 snapshot of one resource; lines about other resources are ignored.
export const parseEvents2 = (text: string, resource: string): DrbdState => {
  let role = 'Unconfigured';
  let suspended = false;
  let seen = false;
  const volumes: VolumeState[] = [];
  const peers = new Map<string, PeerAcc>();
  const peerKey = (f: Fields) => f.get('peer-node-id') ?? f.get('conn-name') ?? 'peer';
  const peerOf = (f: Fields): PeerAcc => {
    const key = peerKey(f);
    let p = peers.get(key);
    if (!p) {
      p = { id: key, name: f.get('conn-name'), connection: 'Unknown', role: 'Unknown', volumes: [] };
      peers.set(key, p);
    }
    return p;
  };
  for (const raw of text.split('\n')) {
    const tokens = raw.trim().split(/\s+/);
    if (tokens[0] !== 'exists') continue; // --now prints only "exists" lines; anything else is not a snapshot
    if (tokens[1] === '-') break;
    const object = tokens[1];
    const f = fieldsOf(tokens.slice(2));
    if (f.get('name') !== resource) continue;
    seen = true;
    switch (object) {
      case 'resource':
        role = f.get('role') ?? role;
        suspended = (f.get('suspended') ?? 'no') !== 'no';
        break;
      case 'connection': {
        const p = peerOf(f);
        p.connection = f.get('connection') ?? p.connection;
        p.role = f.get('role') ?? p.role;
        p.name = f.get('conn-name') ?? p.name;
        break;
      }
      case 'device': {
        const q = f.get('quorum');
        volumes.push({
          volume: int(f.get('volume')) ?? volumes.length,
          minor: int(f.get('minor')),
          disk: f.get('disk') ?? 'Unknown',
          client: yes(f.get('client')),
          quorum: q === undefined ? undefined : q === 'yes',
        });
        break;
      }
      case 'peer-device': {
        const p = peerOf(f);
        const done = f.get('done');
        p.volumes.push({
          volume: int(f.get('volume')) ?? p.volumes.length,
          replication: f.get('replication'),
          peerDisk: f.get('peer-disk') ?? 'DUnknown',
          peerClient: yes(f.get('peer-client')),
          donePercent: done !== undefined && /^\d+(\.\d+)?$/.test(done) ? Number(done) : undefined,
        });
        break;
      }
      default:
        break;
    }
  }
  // A resource object without a role (never seen in practice) counts as configured Secondary only if it has devices.
  if (seen && role === 'Unconfigured' && volumes.length > 0) role = 'Secondary';
  const peerList: PeerState[] = [...peers.values()].map((p) => ({ ...p, volumes: p.volumes }));
  return { source: 'events2', role, suspended, volumes, peers: peerList };
};
