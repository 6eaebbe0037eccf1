// ocf:hakit:apache vs ocf:heartbeat:apache, side by side in one run (ABBA), on one real apache2 instance
// (/tmp/hk-ap-bench, port 18490). Untimed before/after steps put the server in the state each call needs.
// Figures (issue 4): start to serving ≤ 0.5× upstream; monitor depth 0 wall and CPU ≤ 1.0×; stop ≤ 1.0×.
import { join } from 'node:path';
import { compare, hakitAgent, median, ocfEnv, report, ROOT, upstreamAgent } from './lib.mjs';
import { createInstance, destroyInstance } from '../fixtures/apache/instance.mjs';

const N = Number(process.env.HAKIT_BENCH_N || 15);

export const run = async () => {
  const inst = createInstance({ name: 'bench', port: 18490 });
  const ctl = (cmd) => ['node', join(ROOT, 'test', 'fixtures', 'apache', 'ctl.mjs'), cmd, inst.dir];
  const env = (extra = {}) => ocfEnv(inst.params, { OCF_RESOURCE_INSTANCE: 'bench', HA_VARRUN: `${inst.dir}/run`,
    HA_RSCTMP: `${inst.dir}/run`, PATH: process.env.PATH, ...extra });
  const side = (label, agent, action, extra, before, after) => ({ label, argv: [agent, action], env: env(extra), before, after });
  const H = hakitAgent('apache');
  const U = upstreamAgent('heartbeat', 'apache');
  const results = [];
  try {
    results.push(compare({ name: 'apache start (to serving)', n: N, expectRc: 0,
      a: side('hakit', H, 'start', {}, [ctl('stop')], [ctl('stop')]),
      b: side('upstream', U, 'start', {}, [ctl('stop')], [ctl('stop')]) }));
    const mon = { OCF_RESKEY_CRM_meta_interval: '10000' };
    results.push(compare({ name: 'apache monitor depth 0 (recurring)', n: N, expectRc: 0,
      a: side('hakit', H, 'monitor', mon, [ctl('start')]),
      b: side('upstream', U, 'monitor', mon, [ctl('start')]) }));
    results.push(compare({ name: 'apache stop (graceful, idle server)', n: N, expectRc: 0,
      a: side('hakit', H, 'stop', {}, [ctl('start')], [ctl('stop')]),
      b: side('upstream', U, 'stop', {}, [ctl('start')], [ctl('stop')]) }));
  } finally {
    destroyInstance(inst);
  }
  for (const r of results) report(r);
  // Upstream's start polls its monitor once a second: when the first check after launching httpd misses, it sleeps a
  // whole second. Which case a run sees depends on the machine, so both are given: the calls that slept, and the
  // ratio against upstream's starts that did not.
  const start = results[0];
  const quick = start.b.walls.filter((w) => w < 1000);
  const slept = start.b.walls.length - quick.length;
  console.log(`apache start: upstream slept its 1 s poll in ${slept} of ${start.b.walls.length} starts` +
    (quick.length ? `; against the ${quick.length} that did not (median ${median(quick).toFixed(1)} ms): ratio wall ${(start.a.wall / median(quick)).toFixed(2)}` : ''));
  return results;
};
