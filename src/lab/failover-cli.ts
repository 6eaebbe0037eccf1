import { writeFileSync } from 'node:fs';
import { runFailover, SCENARIOS, type FailoverResult, type Scenario } from './failover';
import { createProgress } from './progress';
import { textReport, validRun } from './report';
import { svgReport } from './report-svg';
import { currentLab, type Provider } from './state';
import { clearInterruptedSwap, setProvider } from './swap';
import { setDrbdVariant, type DrbdVariant } from './variant';

// `hakit lab failover --scenario S [--repeat N] [--report FILE]` on the running lab.
// provider: measure with these agents (swapped in first), or `both`: alternate hakit and heartbeat (ABBA order).
// compareDrbd `stateful`: alternate the stack with DRBD and with ocf:pacemaker:Stateful in its place (ABBA order;
// runs labelled <provider>+drbd and <provider>+stateful, the report gives the difference of the medians).
export const failoverCommand = async (scenario: string, repeat: number, report?: string, provider?: string, compareDrbd?: string): Promise<FailoverResult[]> => {
  if (provider !== undefined && !['hakit', 'heartbeat', 'both'].includes(provider)) throw new Error('--provider must be hakit, heartbeat or both');
  if (compareDrbd !== undefined && compareDrbd !== 'stateful') throw new Error('--compare-drbd must be stateful');
  if (compareDrbd && provider === 'both') throw new Error('--compare-drbd and --provider both cannot be combined');
  if (!(SCENARIOS as readonly string[]).includes(scenario)) throw new Error(`--scenario must be one of ${SCENARIOS.join(', ')}`);
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 100) throw new Error('--repeat must be 1..100');
  const { layout, state } = currentLab();
  const p = createProgress();
  clearInterruptedSwap(layout);
  const runs: FailoverResult[] = [];
  const failed: string[] = [];
  const order: [Provider, DrbdVariant | undefined][] = [];
  for (let i = 0; i < repeat; i++) {
    if (provider === 'both') order.push(...((i % 2 === 0 ? ['hakit', 'heartbeat'] : ['heartbeat', 'hakit']) as Provider[]).map((x) => [x, undefined] as [Provider, undefined]));
    else if (compareDrbd) {
      const pv = (provider as Provider | undefined) ?? state.provider;
      order.push(...((i % 2 === 0 ? ['drbd', 'stateful'] : ['stateful', 'drbd']) as DrbdVariant[]).map((v) => [pv, v] as [Provider, DrbdVariant]));
    } else order.push([(provider as Provider | undefined) ?? state.provider, undefined]);
  }
  for (const [i, [pv, variant]] of order.entries()) {
    await setProvider(layout, state, pv, p);
    if (variant) await setDrbdVariant(layout, state, variant, p);
    const label = variant ? `${pv}+${variant}` : pv;
    p(`run ${i + 1}/${order.length}: ${scenario} (${label})`);
    try {
      runs.push(await runFailover(layout, scenario as Scenario, label, p));
    } catch (e) {
      failed.push(`run ${i + 1} (${label}): ${e instanceof Error ? e.message : String(e)}`);
      p(`run ${i + 1} failed: ${failed[failed.length - 1]}`);
      if (repeat === 1) throw e;
    }
  }
  if (compareDrbd) await setDrbdVariant(layout, state, 'drbd', p); // leave the lab as it was made
  const header = `hakit lab failover: ${state.nodes} nodes, template ${state.template}, provider ${provider ?? state.provider}${compareDrbd ? `, DRBD vs ${compareDrbd} (ABBA)` : ''}, ${new Date().toISOString()}`;
  const text = `${textReport(runs, header)}${failed.length ? `\nruns that failed (left out above):\n${failed.map((f) => `  ${f}`).join('\n')}\n` : ''}`;
  process.stdout.write(text);
  if (report) {
    writeFileSync(report, text);
    writeFileSync(`${report}.svg`, svgReport(runs, header));
    writeFileSync(`${report}.json`, `${JSON.stringify(runs, null, 2)}\n`);
    p(`report: ${report}, ${report}.svg, ${report}.json`);
  }
  if (failed.length || runs.some((r) => !validRun(r) || !r.page.ok || !r.clean || (r.data.file && !(r.data.readBack && r.data.overHttp)))) process.exitCode = 1;
  return runs;
};
