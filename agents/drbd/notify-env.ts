// The OCF_RESKEY_CRM_meta_notify_* variables of one notification, as one typed structure. Pacemaker sends the
// Promoted/Unpromoted names and the legacy master/slave ones; each list is whitespace separated and the
// *_resource and *_uname lists pair by index. Pure.

export type NotifyType = 'pre' | 'post';
export type NotifyOperation = 'start' | 'stop' | 'promote' | 'demote';

export interface NotifyEntry {
  readonly resource: string; // clone instance, e.g. "p_drbd:1" (may be empty)
  readonly uname: string; // node name (may be empty)
}

export interface NotifyInfo {
  readonly type: NotifyType | undefined;
  readonly operation: NotifyOperation | undefined;
  readonly start: readonly NotifyEntry[];
  readonly stop: readonly NotifyEntry[];
  readonly promote: readonly NotifyEntry[];
  readonly demote: readonly NotifyEntry[];
  readonly active: readonly NotifyEntry[];
  readonly inactive: readonly NotifyEntry[];
  readonly promoted: readonly NotifyEntry[]; // promoted_* or master_*
  readonly unpromoted: readonly NotifyEntry[]; // unpromoted_* or slave_*
  readonly available: readonly string[];
  readonly all: readonly string[];
  readonly allHosts: readonly string[];
}

const words = (v: string | undefined): string[] => (v ?? '').split(/\s+/).filter((w) => w !== '');

// Pairs a *_resource list with its *_uname list by index.
const pairs = (env: NodeJS.ProcessEnv, names: readonly string[]): NotifyEntry[] => {
  for (const name of names) {
    const res = env[`OCF_RESKEY_CRM_meta_notify_${name}_resource`];
    const uname = env[`OCF_RESKEY_CRM_meta_notify_${name}_uname`];
    if (res === undefined && uname === undefined) continue; // try the legacy name
    const r = words(res);
    const u = words(uname);
    return Array.from({ length: Math.max(r.length, u.length) }, (_, i) => ({ resource: r[i] ?? '', uname: u[i] ?? '' }));
  }
  return [];
};

const oneOf = <T extends string>(v: string | undefined, allowed: readonly T[]): T | undefined =>
  (allowed as readonly string[]).includes((v ?? '').trim()) ? ((v ?? '').trim() as T) : undefined;

// Reads every notify variable (new names first, legacy master/slave names as fallback).
export const parseNotifyEnv = (env: NodeJS.ProcessEnv): NotifyInfo => ({
  type: oneOf(env.OCF_RESKEY_CRM_meta_notify_type, ['pre', 'post'] as const),
  operation: oneOf(env.OCF_RESKEY_CRM_meta_notify_operation, ['start', 'stop', 'promote', 'demote'] as const),
  start: pairs(env, ['start']),
  stop: pairs(env, ['stop']),
  promote: pairs(env, ['promote']),
  demote: pairs(env, ['demote']),
  active: pairs(env, ['active']),
  inactive: pairs(env, ['inactive']),
  promoted: pairs(env, ['promoted', 'master']),
  unpromoted: pairs(env, ['unpromoted', 'slave']),
  available: words(env.OCF_RESKEY_CRM_meta_notify_available_uname),
  all: words(env.OCF_RESKEY_CRM_meta_notify_all_uname),
  allHosts: words(env.OCF_RESKEY_CRM_meta_notify_all_hosts),
});

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

// The node names of a list other than this node (case-insensitive, as `grep -vix` in ocf:linbit:drbd).
export const othersIn = (entries: readonly NotifyEntry[], self: string): string[] =>
  [...new Set(entries.map((e) => e.uname).filter((u) => u !== '' && !same(u, self)))];

// The first other node that is, or is about to be, promoted/started (for logging and reconnects).
export const firstPeer = (n: NotifyInfo, self: string): string | undefined =>
  othersIn([...n.start, ...n.promote, ...n.promoted, ...n.unpromoted, ...n.demote], self)[0];

// The other node that Pacemaker says is promoted and is not being stopped (stop_outdates_secondary's rule).
export const promotedPeerNotStopping = (n: NotifyInfo, self: string): string | undefined => {
  const host = othersIn(n.promoted, self)[0];
  if (host === undefined) return undefined;
  return n.stop.some((e) => same(e.uname, host)) ? undefined : host;
};
