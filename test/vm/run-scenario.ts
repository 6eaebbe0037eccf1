// Dev script: runs scenarios by name on fresh pairs and records into .cache/vm/rec/<name> (or RECORD_DIR).
import { join } from 'node:path';
import { buildKit, REPO, VM_CACHE } from './kit';
import { Pair } from './pair';
import { loadScenario, runScenario } from './scenario';
const kit = buildKit();
const dist = process.env.HAKIT_DIST ?? join(REPO, 'dist');
for (const name of process.argv.slice(2)) {
  const sc = loadScenario(name);
  const pair = await Pair.create(kit, { dist });
  const t0 = Date.now();
  try {
    const boot = await pair.boot();
    const log = await runScenario(pair, sc, join(process.env.RECORD_DIR ?? join(VM_CACHE, 'rec'), name));
    console.log(`${name}: OK boot ${boot} ms, total ${Date.now() - t0} ms, ${log.length} steps`);
  } catch (e) {
    console.log(`${name}: FAILED after ${Date.now() - t0} ms: ${(e as Error).message}`);
  } finally {
    await pair.destroy(process.env.KEEP === '1');
  }
}
