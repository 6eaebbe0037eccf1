import { writeFileSync } from 'node:fs';
import { runFailover, SCENARIOS, type FailoverResult, type Scenario } from './failover';
import { createProgress } from './progress';
import { textReport } from './report';
import { svgReport } from './report-svg';
import { currentLab } from './state';

// `hakit lab failover --scenario S [--repeat N] [--report FILE]` on the running lab.
export const failoverCommand = async (scenario: string, repeat: number, report?: string): Promise<FailoverResult[]> => {
  if (!(SCENARIOS as readonly string[]).includes(scenario)) throw new Error(`--scenario must be one of ${SCENARIOS.join(', ')}`);
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 100) throw new Error('--repeat must be 1..100');
  const { layout, state } = currentLab();
  const p = createProgress();
  const runs: FailoverResult[] = [];
  for (let i = 0; i < repeat; i++) {
    p(`run ${i + 1}/${repeat}: ${scenario}`);
    runs.push(await runFailover(layout, scenario as Scenario, state.provider, p));
  }
  const header = `hakit lab failover: ${state.nodes} nodes, template ${state.template}, provider ${state.provider}, ${new Date().toISOString()}`;
  const text = textReport(runs, header);
  process.stdout.write(text);
  if (report) {
    writeFileSync(report, text);
    writeFileSync(`${report}.svg`, svgReport(runs, header));
    writeFileSync(`${report}.json`, `${JSON.stringify(runs, null, 2)}\n`);
    p(`report: ${report}, ${report}.svg, ${report}.json`);
  }
  if (runs.some((r) => r.servingMs === undefined || !r.page.ok || !r.clean || (r.data.file && !(r.data.readBack && r.data.overHttp)))) process.exitCode = 1;
  return runs;
};
