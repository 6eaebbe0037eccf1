import { writeFileSync } from 'node:fs';
import { runFailover, SCENARIOS, type FailoverResult, type Scenario } from './failover';
import { createProgress } from './progress';
import { textReport, validRun } from './report';
import { svgReport } from './report-svg';
import { currentLab, type Provider } from './state';
import { clearInterruptedSwap, setProvider } from './swap';

// `hakit lab failover --scenario S [--repeat N] [--report FILE]` on the running lab.
// provider: measure with these agents (swapped in first), or `both`: alternate hakit and heartbeat (ABBA order).
export const failoverCommand = async (scenario: string, repeat: number, report?: string, provider?: string): Promise<FailoverResult[]> => {
  if (provider !== undefined && !['hakit', 'heartbeat', 'both'].includes(provider)) throw new Error('--provider must be hakit, heartbeat or both');
  if (!(SCENARIOS as readonly string[]).includes(scenario)) throw new Error(`--scenario must be one of ${SCENARIOS.join(', ')}`);
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 100) throw new Error('--repeat must be 1..100');
  const { layout, state } = currentLab();
  const p = createProgress();
  clearInterruptedSwap(layout);
  const runs: FailoverResult[] = [];
  const failed: string[] = [];
  const order: Provider[] = [];
  for (let i = 0; i < repeat; i++) {
    if (provider === 'both') order.push(...((i % 2 === 0 ? ['hakit', 'heartbeat'] : ['heartbeat', 'hakit']) as Provider[]));
    else order.push((provider as Provider | undefined) ?? state.provider);
  }
  for (const [i, pv] of order.entries()) {
    await setProvider(layout, state, pv, p);
    p(`run ${i + 1}/${order.length}: ${scenario} (${pv})`);
    try {
      runs.push(await runFailover(layout, scenario as Scenario, pv, p));
    } catch (e) {
      failed.push(`run ${i + 1} (${pv}): ${e instanceof Error ? e.message : String(e)}`);
      p(`run ${i + 1} failed: ${failed[failed.length - 1]}`);
      if (repeat === 1) throw e;
    }
  }
  const header = `hakit lab failover: ${state.nodes} nodes, template ${state.template}, provider ${provider ?? state.provider}, ${new Date().toISOString()}`;
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
