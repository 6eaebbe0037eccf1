import type { FailoverResult } from './failover';
import { table } from './status';

// The failover report as text: each run's timeline, the data check, and medians per scenario and provider.

const s = (ms: number | undefined): string => (ms === undefined ? '-' : (ms / 1000).toFixed(2));

// Median of numbers (undefined when empty).
export const median = (xs: readonly number[]): number | undefined => {
  if (!xs.length) return undefined;
  const v = [...xs].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1]! + v[m]!) / 2;
};

// A run counts for the medians when the service really went down and came back on the other node.
export const validRun = (r: FailoverResult): boolean =>
  r.servingMs !== undefined && r.servingMs > 0 && r.timeline.some((e) => e.label === 'started');

const LABELS = ['detected', 'stopped', 'promoted', 'started', 'serving again'] as const;

// One row per run: seconds from the injection to each event.
export const runsTable = (runs: readonly FailoverResult[]): string =>
  table(['SCENARIO', 'PROVIDER', 'FROM', 'TO', ...LABELS.map((l) => l.toUpperCase()), 'DATA', 'PAGE', 'CLEAN'],
    runs.map((r) => [r.scenario, r.provider, r.from, r.to, ...LABELS.map((l) => s(r.timeline.find((e) => e.label === l)?.ms)),
      r.data.file ? (r.data.readBack && r.data.overHttp ? 'intact' : 'LOST') : 'n/a', r.page.ok ? 'ok' : 'FAIL', r.clean ? 'yes' : 'NO']));

// What DRBD adds to a failover (--compare-drbd stateful): median "serving again" with DRBD minus with Stateful.
// net: with each run's Pacemaker re-query pause (schedulerPauseMs, the same 1 s coin flip for both variants) taken out.
export const drbdCost = (runs: readonly FailoverResult[], sc: string, pv: string, net = false): { drbdMs: number; statefulMs: number; diffMs: number; paused: number } | undefined => {
  const of = (v: string) => runs.filter((r) => r.scenario === sc && r.provider === `${pv}+${v}` && validRun(r));
  const med = (v: string) => median(of(v).map((r) => r.servingMs! - (net ? r.schedulerPauseMs ?? 0 : 0)));
  const drbdMs = med('drbd');
  const statefulMs = med('stateful');
  const paused = [...of('drbd'), ...of('stateful')].filter((r) => (r.schedulerPauseMs ?? 0) > 0).length;
  return drbdMs === undefined || statefulMs === undefined ? undefined : { drbdMs, statefulMs, diffMs: drbdMs - statefulMs, paused };
};

// Medians per scenario × provider, and the hakit/heartbeat ratio of "serving again" where both were measured.
export const summary = (runs: readonly FailoverResult[]): string => {
  const keys = [...new Set(runs.map((r) => `${r.scenario}|${r.provider}`))];
  const med = (sc: string, pv: string) => median(runs.filter((r) => r.scenario === sc && r.provider === pv && validRun(r)).map((r) => r.servingMs!));
  const rows = keys.map((k) => {
    const [sc, pv] = k.split('|') as [string, string];
    const n = runs.filter((r) => r.scenario === sc && r.provider === pv && validRun(r)).length;
    return [sc, pv, String(n), s(med(sc, pv))];
  });
  const out = [table(['SCENARIO', 'PROVIDER', 'RUNS', 'MEDIAN SERVING AGAIN (s)'], rows)];
  for (const sc of new Set(runs.map((r) => r.scenario))) {
    const a = med(sc, 'hakit');
    const b = med(sc, 'heartbeat');
    if (a !== undefined && b !== undefined) out.push(`${sc}: hakit / heartbeat = ${(a / b).toFixed(2)} (medians ${s(a)} s / ${s(b)} s)`);
    for (const pv of ['hakit', 'heartbeat']) {
      const d = drbdCost(runs, sc, pv);
      if (d) out.push(`${sc}: ${pv}+drbd - ${pv}+stateful = ${d.diffMs >= 0 ? '+' : ''}${s(d.diffMs)} s (medians ${s(d.drbdMs)} s / ${s(d.statefulMs)} s)`);
      const n = drbdCost(runs, sc, pv, true);
      if (d && n) out.push(`${sc}: ${pv}+drbd - ${pv}+stateful without Pacemaker's 1 s re-query pauses (${n.paused} runs had one) = ${n.diffMs >= 0 ? '+' : ''}${s(n.diffMs)} s (medians ${s(n.drbdMs)} s / ${s(n.statefulMs)} s)`);
    }
  }
  return out.join('\n');
};

// The full text report.
export const textReport = (runs: readonly FailoverResult[], header: string): string => {
  const out = [header, '', runsTable(runs), '', summary(runs), '', 'timelines (seconds after the failure was injected):'];
  runs.forEach((r, i) => {
    out.push(`#${i + 1} ${r.scenario} (${r.provider}) ${r.from} -> ${r.to} at ${r.injectedAt}`);
    for (const e of r.timeline) out.push(`  ${s(e.ms).padStart(7)}  ${e.label.padEnd(13)} ${e.node ?? ''}  ${e.detail}`);
    out.push(`  data: ${r.data.file ? `${r.data.file} written ${r.data.written ? 'yes' : 'NO'}, read back on ${r.to} ${r.data.readBack ? 'yes' : 'NO'}, over the floating IP ${r.data.overHttp ? 'yes' : 'NO'}` : 'no shared storage in this template'}`);
    out.push(`  page over the floating IP: ${r.page.ok ? 'ok' : 'FAILED'}${r.drbdPromotedOn ? `; DRBD promoted on ${r.drbdPromotedOn}` : ''}${r.rejoinedMs !== undefined ? `; ${r.from} rejoined in ${s(r.rejoinedMs)} s` : ''}; clean after cleanup: ${r.clean ? 'yes' : `NO (${r.failuresAfterCleanup.join('; ')})`}`);
  });
  return `${out.join('\n')}\n`;
};
