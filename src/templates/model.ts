// The cluster configuration a template produces, independent of the output syntax (crm, crm-ms, pcs, CIB XML).

export type Role = 'Promoted' | 'Unpromoted';
export type Pairs = ReadonlyArray<readonly [string, string]>;

export interface AgentRef {
  readonly cls: 'ocf' | 'stonith';
  readonly provider?: string; // ocf only
  readonly type: string;
}

export interface Op {
  readonly name: string;
  readonly interval: number; // seconds (0 for non-recurring)
  readonly timeout: number; // seconds
  readonly role?: Role;
}

export interface Primitive {
  readonly id: string;
  readonly agent: AgentRef;
  readonly params: Pairs;
  readonly ops: readonly Op[];
  readonly meta?: Pairs;
}

export interface Group {
  readonly id: string;
  readonly members: readonly string[];
}

export interface Clone {
  readonly id: string;
  readonly child: string; // a primitive or group id
  readonly promotable: boolean;
  readonly meta: Pairs; // clone-max, notify, interleave ... (promoted-max/promoted-node-max for promotable)
}

export interface Order {
  readonly id: string;
  readonly first: string;
  readonly firstAction: 'start' | 'promote';
  readonly then: string;
  readonly thenAction: 'start';
}

export interface Colocation {
  readonly id: string;
  readonly rsc: string; // placed...
  readonly withRsc: string; // ...where this one runs
  readonly withRole?: 'Promoted';
}

export interface Location {
  readonly id: string;
  readonly rsc: string;
  readonly node: string;
  readonly score: '-INFINITY';
}

export interface ClusterConfig {
  readonly nodes: readonly string[];
  readonly properties: Pairs;
  readonly rscDefaults: Pairs;
  readonly primitives: readonly Primitive[];
  readonly groups: readonly Group[];
  readonly clones: readonly Clone[];
  readonly locations: readonly Location[];
  readonly colocations: readonly Colocation[];
  readonly orders: readonly Order[];
}

// The DRBD resource file that goes with a configuration (rendered to drbd.conf syntax).
export interface DrbdHost {
  readonly name: string; // must equal the node's host name (uname -n)
  readonly address: string; // replication address
  readonly port: number;
  readonly disk: string;
}

export interface DrbdResource {
  readonly name: string;
  readonly minor: number;
  readonly metaDisk: string; // "internal" or a device
  readonly hosts: readonly DrbdHost[];
  readonly allowTwoPrimaries: boolean;
  readonly version: '9' | '8.4'; // the drbd.conf syntax: DRBD 9, or DRBD 8.4 (drbdadm-84)
}

// What a template renders: the cluster configuration and the DRBD resource it runs on.
export interface Rendered {
  readonly config: ClusterConfig;
  readonly drbd: DrbdResource;
  // The resource whose placement shows the service (group or clone), and the promotable clone under it.
  readonly service: string;
  readonly promotable: string;
  readonly dualPrimary: boolean;
}

// The OCF spelling of an agent: ocf:provider:type or stonith:type.
export const agentName = (a: AgentRef): string => (a.cls === 'ocf' ? `ocf:${a.provider}:${a.type}` : `stonith:${a.type}`);
