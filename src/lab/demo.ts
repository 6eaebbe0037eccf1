import { down } from './down';
import { runFailover, type FailoverResult } from './failover';
import { getFromSwitch } from './poll-client';
import { createProgress } from './progress';
import { textReport } from './report';
import { FLOATING_IP } from './layout';
import { labStatus, formatStatus, table } from './status';
import { readState } from './state';
import { up } from './up';

// `hakit demo`: the README's main job. A 2-node lab with the web template (hakit agents, emulated DRBD), the page
// over the floating IP, apache killed, the active node crashed, the page back each time with the data intact,
// the timings, and the lab torn down. Returns the exit code (0: everything as expected).
export const demo = async (out: NodeJS.WritableStream = process.stdout): Promise<number> => {
  if (process.getuid?.() !== 0) throw new Error('the demo needs root (network namespaces, mounts, loop devices)');
  if (readState()) throw new Error('a lab is already up: hakit lab down first (the demo brings up and tears down its own)');
  const say = (s = '') => out.write(`${s}\n`);
  const p = createProgress();
  say('== hakit demo: a 2-node Pacemaker + corosync cluster in network namespaces, web stack on emulated DRBD');
  const runs: FailoverResult[] = [];
  let ok = true;
  try {
    const { layout, state } = await up({ nodes: 2, template: 'web', sets: {}, provider: 'hakit', progress: p });
    say();
    say(formatStatus(labStatus(layout), state));
    say();
    const page = getFromSwitch(layout, '/');
    say(`== GET http://${FLOATING_IP}/ from the switch namespace: ${page.ok ? `HTTP ${page.status}` : `FAILED (${page.error ?? page.status})`}`);
    say(`   ${page.body.trim()}`);
    ok &&= page.ok;
    for (const sc of ['apache-kill', 'node-crash'] as const) {
      say();
      say(`== ${sc === 'apache-kill' ? 'killing apache (kill -9 of its main process)' : 'crashing the active node (power cut)'}`);
      const r = await runFailover(layout, sc, 'hakit', p);
      runs.push(r);
      const good = r.page.ok && r.data.readBack && r.data.overHttp && r.drbdPromotedOn === r.to && r.clean;
      ok &&= good;
      say(`   ${r.from} -> ${r.to}: serving again after ${((r.servingMs ?? NaN) / 1000).toFixed(2)} s; DRBD promoted on ${r.drbdPromotedOn ?? 'NONE'}; ` +
        `file written before the failure read back ${r.data.readBack ? 'intact' : 'LOST'} (on ${r.to} and over the floating IP ${r.data.overHttp ? 'ok' : 'FAILED'})`);
    }
    say();
    say(textReport(runs, '== failover report').trimEnd());
    say();
    say('== timings');
    say(table(['STEP', 'SECONDS'], [
      ['lab formed (DC elected, nodes online)', ((state.formedMs ?? 0) / 1000).toFixed(1)],
      ['lab up, web stack started', ((state.stackStartedMs ?? 0) / 1000).toFixed(1)],
      ...runs.map((r) => [`${r.scenario}: serving again`, ((r.servingMs ?? NaN) / 1000).toFixed(2)]),
      ...runs.filter((r) => r.rejoinedMs !== undefined).map((r) => [`${r.scenario}: ${r.from} back online`, ((r.rejoinedMs ?? 0) / 1000).toFixed(1)]),
    ]));
  } finally {
    say();
    say('== tearing the lab down');
    const checks = await down({ progress: p });
    for (const c of checks) say(`   ${c.ok ? 'ok  ' : 'LEFT'} ${c.what}: ${c.detail}`);
    ok &&= checks.every((c) => c.ok);
  }
  say();
  say(ok ? '== demo passed: the page came back each time with the data intact' : '== demo FAILED (see above)');
  return ok ? 0 : 1;
};
