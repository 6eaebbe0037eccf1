// Pure parsers of the cluster logs the failover timeline is read from (pacemaker.log and corosync.log of each node,
// both with millisecond timestamps but no year).

export interface OpEvent { t: number; node: string; op: string; rsc: string; onNode: string; result: string; rc: number; }
export interface MembershipEvent { t: number; node: string; what: 'failed' | 'members'; members: number[]; }

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// "Nov 21 19:53:40.525" → epoch ms (local time, the year of `near`, the closest one to `near`).
export const parseLogTime = (s: string, near: number): number | undefined => {
  const m = /^(\w{3})\s+(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?/.exec(s);
  if (!m) return undefined;
  const mon = MONTHS.indexOf(m[1]!);
  if (mon < 0) return undefined;
  const y = new Date(near).getFullYear();
  const ms = m[6] ? Number(m[6].padEnd(3, '0').slice(0, 3)) : 0;
  const cands = [y - 1, y, y + 1].map((yy) => new Date(yy, mon, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), ms).getTime());
  return cands.reduce((a, b) => (Math.abs(b - near) < Math.abs(a - near) ? b : a));
};

// pacemaker-controld's "Result of <op> operation for <rsc> on <node>: <result> | ... rc=N" lines.
export const parseOpEvents = (log: string, near: number): OpEvent[] => {
  const out: OpEvent[] = [];
  for (const line of log.split('\n')) {
    if (!line.includes('Result of ')) continue;
    const m = /^(\S+\s+\d+ [\d:.]+) (\S+) pacemaker-controld.*Result of (\S+) operation for (\S+) on (\S+): ([^|]*?)\s*(?:\|(?:.*\brc=(\d+))?.*)?$/.exec(line);
    if (!m) continue;
    const t = parseLogTime(m[1]!, near);
    if (t === undefined) continue;
    out.push({ t, node: m[2]!, op: m[3]!, rsc: m[4]!, onNode: m[5]!, result: m[6]!.trim(), rc: m[7] ? Number(m[7]) : -1 });
  }
  return out;
};

// Pacemaker's scheduler runs: the controller entering S_POLICY_ENGINE, the scheduler's "Calculated transition".
export interface SchedulerEvent { t: number; node: string; what: 'policy-engine' | 'calculated'; }
export const parseSchedulerEvents = (log: string, near: number): SchedulerEvent[] => {
  const out: SchedulerEvent[] = [];
  for (const line of log.split('\n')) {
    const what = /pacemaker-controld.*State transition \S+ -> S_POLICY_ENGINE/.test(line) ? 'policy-engine'
      : /pacemaker-schedulerd.*Calculated transition \d+/.test(line) ? 'calculated' : undefined;
    if (!what) continue;
    const t = parseLogTime(line, near);
    const node = /^\S+\s+\d+ [\d:.]+ (\S+)/.exec(line)?.[1];
    if (t !== undefined && node) out.push({ t, node, what });
  }
  return out.sort((a, b) => a.t - b.t);
};

// corosync's view of a lost member ("A processor failed", "Members[n]: ...").
export const parseMembership = (log: string, near: number): MembershipEvent[] => {
  const out: MembershipEvent[] = [];
  for (const line of log.split('\n')) {
    const t = parseLogTime(line, near);
    if (t === undefined) continue;
    const node = /^\S+\s+\d+ [\d:.]+ \[\d+\] (\S+)/.exec(line)?.[1] ?? '';
    if (/A processor failed|Token has not been received|link: host: \d+ link: \d+ is down/.test(line)) out.push({ t, node, what: 'failed', members: [] });
    const m = /\[QUORUM\] Members\[\d+\]:((?: \d+)*)/.exec(line);
    if (m) out.push({ t, node, what: 'members', members: m[1]!.trim().split(/\s+/).filter(Boolean).map(Number) });
  }
  return out;
};
