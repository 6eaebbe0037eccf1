// Issue 6's failover figure, side by side in one lab: the web stack's node-crash failover with the emulated DRBD
// and with ocf:pacemaker:Stateful in its place (Filesystem on each node's local disk), alternated A B B A A B B A A B
// (5 runs each: with 3, the jitter of corosync's and Pacemaker's own timing, ~1.3 s between runs of either variant,
// made the medians' difference swing from -0.8 to +0.54 s); the median "serving again" with DRBD may be at most
// 0.5 s longer (Pacemaker's 1 s re-query pause, which hits either variant at random, taken out of both). Own lab
// prefix and directory (hkc, /var/lib/hakit-lab-cmp), so it never touches another lab on the machine.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hakit, type Failover } from './lab-helpers';

process.env.HAKIT_LAB_PREFIX = 'hkc';
process.env.HAKIT_LAB_DIR = '/var/lib/hakit-lab-cmp';

const median = (xs: number[]): number => { const v = [...xs].sort((a, b) => a - b); const m = v.length >> 1; return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2; };

describe('hakit lab failover --compare-drbd stateful (node-crash, 2 nodes, hakit agents)', () => {
  beforeAll(async () => {
    await hakit(['lab', 'down']);
    const r = await hakit(['lab', 'up', '--nodes', '2', '--template', 'web', '--provider', 'hakit', '--quiet']);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
  }, 180_000);
  afterAll(async () => {
    const r = await hakit(['lab', 'down']);
    expect(r.stdout).not.toMatch(/^LEFT|^FAIL/m);
  }, 120_000);

  it('DRBD adds at most 0.5 s to the median failover; both variants serve the page; DRBD keeps the data', async () => {
    const report = join(mkdtempSync(join(tmpdir(), 'hkc-test-')), 'compare.txt');
    const r = await hakit(['lab', 'failover', '--scenario', 'node-crash', '--compare-drbd', 'stateful', '--repeat', '5', '--report', report], 600_000);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const runs = JSON.parse(readFileSync(`${report}.json`, 'utf8')) as (Failover & { provider: string; schedulerPauseMs?: number })[];
    expect(runs.map((x) => x.provider)).toEqual(['drbd', 'stateful', 'stateful', 'drbd', 'drbd', 'stateful', 'stateful', 'drbd', 'drbd', 'stateful'].map((v) => `hakit+${v}`));
    for (const x of runs) {
      expect(x.to).not.toBe(x.from);
      expect(x.page.ok).toBe(true);
      expect(x.page.body).toContain('hakit lab');
      expect(x.servingMs).toBeGreaterThan(0);
      expect(x.clean).toBe(true);
      expect(x.rejoinedMs).toBeGreaterThan(0);
      if (x.provider === 'hakit+drbd') {
        expect(x.drbdPromotedOn).toBe(x.to);
        expect(x.data).toMatchObject({ written: true, readBack: true, overHttp: true });
      } else expect(x.data.file).toBeUndefined(); // local disks: nothing replicated to check
    }
    // Pacemaker's own 1 s re-query sleep after a node loss hits either variant at random (docs/lab.md): the figure is
    // the difference with each run's measured pause taken out; the raw difference is in the report next to it.
    for (const x of runs) expect(x.schedulerPauseMs === 0 || (x.schedulerPauseMs! >= 900 && x.schedulerPauseMs! < 2500), `pause ${x.schedulerPauseMs}`).toBe(true);
    const med = (v: string, net: boolean) => median(runs.filter((x) => x.provider === `hakit+${v}`).map((x) => x.servingMs! - (net ? x.schedulerPauseMs! : 0)));
    const text = readFileSync(report, 'utf8');
    const raw = med('drbd', false) - med('stateful', false);
    expect(text).toContain(`node-crash: hakit+drbd - hakit+stateful = ${raw >= 0 ? '+' : ''}${(raw / 1000).toFixed(2)} s`);
    const diff = med('drbd', true) - med('stateful', true);
    process.stdout.write(`${text.split('\n').filter((l) => l.startsWith('node-crash: hakit+drbd')).join('\n')}\n`);
    expect(text).toContain(`re-query pauses (${runs.filter((x) => x.schedulerPauseMs! > 0).length} runs had one) = ${diff >= 0 ? '+' : ''}${(diff / 1000).toFixed(2)} s`);
    expect(diff, `median serving again without Pacemaker's pauses: drbd ${med('drbd', true)} ms, stateful ${med('stateful', true)} ms (raw ${raw} ms)`).toBeLessThanOrEqual(500);
    // the lab is left with DRBD again
    const st = JSON.parse(readFileSync('/var/lib/hakit-lab-cmp/lab.json', 'utf8')) as { drbdVariant?: string };
    expect(st.drbdVariant ?? 'drbd').toBe('drbd');
  }, 660_000);
});
