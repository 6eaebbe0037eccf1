import { existsSync, readdirSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, ROOT } from '../../helpers/dist';
import { buildKit } from '../../vm/kit';
import { Pair } from '../../vm/pair';
import { writeTemplate84 } from '../../vm/template-file';
import { loadScenario, runScenario, SCENARIO_DIR } from '../../vm/scenario';
import { prepareOcfTester } from '../../vm/tools';

// The real-kernel suite: two qemu guests booting Debian's kernel with the in-tree DRBD 8.4 module (test/vm,
// docs/real-drbd-vm.md), the scenarios of test/vm/scenarios run step by step with their expected exit codes and
// outputs. HAKIT_VM_RECORD=1 also runs the { record } steps and writes the raw recordings into
// test/fixtures/drbd/real/<scenario>/ (the reference for the DRBD emulator and the agent's parser tests); otherwise
// only the transcript goes to the run's temporary folder.
const RECORD = process.env.HAKIT_VM_RECORD === '1';
const ONLY = process.env.HAKIT_VM_SCENARIOS?.split(',').filter((x) => x !== '');
const scenarios = readdirSync(SCENARIO_DIR)
  .filter((f) => f.endsWith('.json') && !f.startsWith('_'))
  .map((f) => f.slice(0, -5))
  .filter((n) => !ONLY || ONLY.includes(n))
  .sort();

describe('real DRBD 8.4 kernel in two qemu guests', () => {
  let pair: Pair | undefined;
  const t0 = Date.now();

  beforeAll(async () => {
    const agent = join(DIST, 'resource.d', 'hakit', 'drbd');
    if (!existsSync(agent)) throw new Error(`the agent is not built: ${agent} (npm run build)`);
    const kit = buildKit();
    pair = await Pair.create(kit, { dist: DIST });
    prepareOcfTester(pair.share);
    writeTemplate84(pair.share);
    console.log(`real-drbd suite: both guests booted in ${await pair.boot()} ms`);
  }, 600_000);

  afterAll(async () => {
    await pair?.destroy(process.env.HAKIT_VM_KEEP === '1');
    console.log(`real-drbd suite: ${scenarios.length} scenarios in ${Math.round((Date.now() - t0) / 1000)} s`);
  });

  for (const name of scenarios) {
    it(name, async () => {
      const p = pair;
      if (!p) throw new Error('no VM pair');
      const sc = loadScenario(name);
      await p.reset();
      const dir = RECORD ? join(ROOT, 'test', 'fixtures', 'drbd', 'real', name) : join(p.dir, 'rec-out', name);
      if (RECORD) rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      const log = await runScenario(p, sc, dir, RECORD);
      expect(log.filter((s) => s.run !== undefined).length).toBeGreaterThan(0);
    }, 420_000);
  }
});
