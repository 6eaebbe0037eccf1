// The real-kernel suite's scenarios (test/vm/scenarios, run in qemu against the real DRBD 8.4 module) run unchanged
// against the emulator: same steps, same expected exit codes and normalised outputs; and where the real kernel's
// recordings exist (test/fixtures/drbd/real/<scenario>/), the emulator's recorded outputs must equal them.
// CI runs the scenarios the emulator passes (see docs/drbd-emulator.md for the others and why);
// HAKIT_EMU_SCENARIOS=all (or a comma list) runs others.
import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadScenario, SCENARIO_DIR } from '../../vm/scenario';
import { writeTemplate84 } from '../../vm/template-file';
import type { TwoNodes } from './two-nodes';
import { createVmLikePair, runScenarioOnEmulator } from './vm-scenarios';

const PASSING = ['fresh', 'initial-sync', 'agent-connection-loss', 'agent-split-brain', 'agent-failover', 'template-84'];
const all = readdirSync(SCENARIO_DIR).filter((f) => f.endsWith('.json') && !f.startsWith('_')).map((f) => f.slice(0, -5)).sort();
const want = process.env.HAKIT_EMU_SCENARIOS;
const scenarios = want === 'all' ? all : want ? want.split(',').filter((s) => all.includes(s)) : PASSING;

describe('real-kernel scenarios on the emulator', () => {
  let lab: TwoNodes | undefined;
  afterEach(() => { lab?.destroy(); lab = undefined; });
  for (const name of scenarios) {
    it(name, async () => {
      lab = await createVmLikePair();
      writeTemplate84(lab.share);
      const diffs = await runScenarioOnEmulator(lab, loadScenario(name));
      expect(diffs).toEqual([]);
    }, 300_000);
  }
});
